/**
 * The people a case's reports name: for the conflict question (a member must
 * know who is involved to say whether they are close to them) and for
 * related cases. Pure.
 */
import type { CocRecord } from "../records/schema.js";

/** A name as compared across cases: trimmed, single spaces, lower case. */
export function sameName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The people named in a case's reports, for the conflict check: "Pat Example (reported)", "Sam (reporter)". */
export function partiesOf(records: readonly CocRecord[]): string[] {
  const out: string[] = [];
  for (const record of records) {
    if (record.type !== "report") continue;
    const r = record.body.reporter;
    if (!r.anonymous && r.name?.trim()) out.push(`${r.name.trim()} (reporter)`);
    for (const p of record.body.incident.people) if (p.name?.trim()) out.push(`${p.name.trim()}${p.role ? ` (${p.role})` : ""}`);
  }
  return [...new Set(out)];
}

/** The names of the people involved in a case's reports, compared form (see {@link sameName}). */
export function peopleNames(records: readonly CocRecord[]): Set<string> {
  return new Set(
    records.flatMap((record) =>
      record.type === "report" ? record.body.incident.people.map((p) => p.name).filter((n): n is string => !!n?.trim()).map(sameName) : [],
    ),
  );
}
