/** The transparency report over every case the caller can read. */
import { buildTransparency, type BuiltTransparency } from "../reports/transparency.js";
import type { Repo } from "../repo/repo.js";
import type { Problem } from "../repo/store.js";
import { sensitiveTerms } from "../reports/safety.js";

export interface CollectedTransparency extends BuiltTransparency {
  /** Cases not encrypted to the caller: not counted (local use only). */
  restricted: string[];
  /** Files that could not be read; their cases are counted from what could be. */
  problems: Problem[];
}

/**
 * Reads every case of the repository in one batch and builds the report over
 * those the caller can read. A case the team would describe but whose
 * reporter has not agreed is counted, not described, unless `overrideConsent`.
 * @throws UserError as buildTransparency, or when the identity cannot be unlocked.
 */
export async function collectTransparency(repo: Repo, opts: { since?: string | null | undefined; until?: string | null | undefined; now: Date; overrideConsent?: boolean | undefined }): Promise<CollectedTransparency> {
  const { cases, problems } = await repo.readCases();
  const input = {
    config: repo.config,
    team: repo.roster(),
    cases: cases.map((c) => ({ code: c.code, records: c.records.map((r) => r.record) })),
    since: opts.since,
    until: opts.until,
    now: opts.now,
  };
  let built = buildTransparency(input);
  // --override: the cases the team chose to describe without the reporter's agreement are described after all
  // (the caller records an override note in each); withoutConsent still names them.
  if (opts.overrideConsent && built.withoutConsent.length > 0) {
    const overridden = new Set(built.withoutConsent);
    built = { ...buildTransparency({ ...input, overridden }), withoutConsent: [...overridden] };
  }
  // Names in readable but unverified records are checked too (they only make the check stricter).
  for (const c of cases) built.terms.push(...sensitiveTerms(c.code, c.unverified.map((r) => r.record)));
  return {
    ...built,
    restricted: cases.filter((c) => c.records.length + c.unverified.length === 0 && c.notForYou.length > 0).map((c) => c.code),
    problems: [...problems, ...cases.flatMap((c) => c.problems)],
  };
}

