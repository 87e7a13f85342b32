/**
 * Team members named in a report (DESIGN.md §8's folding): a member who is
 * the reported person, the reporter or a witness must not receive the case
 * without someone deciding so.
 */
import type { ReportBody } from "../records/schema.js";
import { countKey, termKey, words } from "../reports/normalize.js";

export interface MemberNamed {
  member: string;
  /** How the report names them: "person involved", "reporter", "witness". */
  as: string;
  /** The name as the report spells it. */
  name: string;
}

/** True when `a` and `b` name the same person: the same folded, joined name, or one (of two words or more) within the other. */
function sameName(a: string, b: string): boolean {
  const [ka, kb] = [termKey(a), termKey(b)];
  if (ka === "" || kb === "") return false;
  if (ka === kb) return true;
  return (words(a).length >= 2 && countKey(words(b), ka) > 0) || (words(b).length >= 2 && countKey(words(a), kb) > 0);
}

/** The roster members the report names (people involved, reporter, witnesses), compared folded. */
export function membersNamed(body: ReportBody, roster: readonly string[]): MemberNamed[] {
  const named: { name: string | undefined; as: string }[] = [
    { name: body.reporter.name, as: "reporter" },
    ...body.incident.people.map((p) => ({ name: p.name, as: p.role?.trim() ? `person involved (${p.role.trim()})` : "person involved" })),
    ...body.incident.witnesses.map((w) => ({ name: w.name, as: "witness" })),
  ];
  const out: MemberNamed[] = [];
  for (const member of roster) {
    const hit = named.find((n) => n.name !== undefined && sameName(n.name, member));
    if (hit) out.push({ member, as: hit.as, name: hit.name! });
  }
  return out;
}
