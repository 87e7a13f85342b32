/**
 * Appeals (`coc appeal`, `coc appeal decide`): an appeal of the decision in
 * force, and its outcome. The rules and deadlines are in ../case/appeals.ts.
 */
import { appealOutcomeWarnings, appealWarnings, checkAppeal, checkAppealOutcome } from "../case/appeals.js";
import type { AppealBody, AppealOutcomeBody } from "../records/schema.js";
import type { Repo } from "../repo/repo.js";
import { openCase } from "./read.js";
import { addRecords } from "./records.js";
import type { WriteResult } from "./write.js";

/**
 * What recording an appeal would warn about, after checking it (nothing is
 * written): grounds from config.yaml `appeal_grounds` (returned in the
 * team's spelling), a final decision to appeal; a late appeal only warns.
 * @throws UserError naming the source and field, or for a case the caller cannot write to.
 */
export async function planAppeal(repo: Repo, code: string, body: AppealBody, source: string, now: Date): Promise<{ body: AppealBody; warnings: string[] }> {
  const records = (await openCase(repo, code)).records.map((r) => r.record);
  checkAppeal(body, records, repo.config.appeal_grounds, source);
  const grounds = body.grounds.map((g) => repo.config.appeal_grounds.find((x) => x.toLowerCase() === g.trim().toLowerCase())!);
  const normalised = { ...body, grounds };
  return { body: normalised, warnings: appealWarnings(normalised, records, repo.config.deadlines, now) };
}

/** Records an appeal (one commit). @throws as {@link planAppeal} and addRecords. */
export async function recordAppeal(repo: Repo, code: string, body: AppealBody, source: string, now: Date): Promise<WriteResult> {
  const plan = await planAppeal(repo, code, body, source, now);
  return addRecords(repo, code, [{ type: "appeal", body: plan.body, source }], { now, message: `coc: appeal ${code}` });
}

/**
 * What recording an appeal's outcome would warn about, after checking it:
 * an appeal waiting for it; who decided are members or oversight people. It
 * warns when members who took the original decision decide the appeal
 * without any oversight person (it is recorded anyway).
 * @throws UserError naming the source and field, or for a case the caller cannot write to.
 */
async function planAppealOutcome(repo: Repo, code: string, body: AppealOutcomeBody, source: string): Promise<{ warnings: string[] }> {
  const records = (await openCase(repo, code)).records.map((r) => r.record);
  const overseers = repo.oversight.people.map((p) => p.name);
  checkAppealOutcome(body, records, repo.roster(), overseers, source);
  return { warnings: appealOutcomeWarnings(body, records, overseers) };
}

/** Records an appeal's outcome (one commit). @throws as {@link planAppealOutcome} and addRecords. */
export async function recordAppealOutcome(repo: Repo, code: string, body: AppealOutcomeBody, source: string, now: Date): Promise<WriteResult & { warnings: string[] }> {
  const { warnings } = await planAppealOutcome(repo, code, body, source);
  const written = await addRecords(repo, code, [{ type: "appeal_outcome", body, source }], { now, message: `coc: appeal outcome ${code}` });
  return { ...written, warnings };
}
