/** Related cases: earlier cases whose reports name the same people, so a team sees patterns. */
import { foldCase, type CaseState } from "../case/fold.js";
import { peopleNames } from "../case/people.js";
import type { Repo } from "../repo/repo.js";
import { byCodeUnits } from "../records/order.js";

export interface RelatedCase {
  case: string;
  state: CaseState;
  received_at: string | null;
  /** The names in common. */
  names: string[];
}

/**
 * Other cases whose reports name the same people as this case (whole names,
 * case- and space-insensitive), oldest first. Cases the caller cannot read are
 * not looked at.
 */
export async function relatedCases(repo: Repo, code: string, now: Date): Promise<RelatedCase[]> {
  const { cases } = await repo.readCases();
  const own = cases.find((c) => c.code === code);
  if (!own) return [];
  const wanted = peopleNames(own.records.map((r) => r.record));
  if (wanted.size === 0) return [];
  const related: RelatedCase[] = [];
  for (const c of cases) {
    if (c.code === code || c.records.length === 0) continue;
    const records = c.records.map((r) => r.record);
    const names = [...peopleNames(records)].filter((n) => wanted.has(n));
    if (names.length === 0) continue;
    const summary = foldCase(c.code, records, repo.config.deadlines, now);
    related.push({ case: c.code, state: summary.state, received_at: summary.received_at, names });
  }
  return related.sort((a, b) => byCodeUnits(a.received_at ?? "", b.received_at ?? ""));
}
