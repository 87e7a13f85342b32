/**
 * The terms public text is checked against (DESIGN.md §8): those of every
 * case the caller can read, not only the case being announced, so that case
 * A's announcement cannot name case B's reporter.
 */
import type { Repo } from "../repo/repo.js";
import { sensitiveTerms, type SensitiveTerm, type TermExceptions } from "../reports/safety.js";

/**
 * Every name, contact, handle, address, phone number and link in the reports
 * of every case the caller can read (unverified records included: more terms
 * only make the check stricter), but those of `except` (a letter's addressee).
 * @throws UserError when the identity cannot be unlocked.
 */
export async function readableTerms(repo: Repo, except: TermExceptions = {}): Promise<SensitiveTerm[]> {
  const { cases } = await repo.readCases();
  return cases.flatMap((c) => sensitiveTerms(c.code, [...c.records, ...c.unverified].map((r) => r.record), except));
}
