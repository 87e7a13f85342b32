/**
 * Sharing a case with a member who joined after it (or was never given it),
 * once they have declared they have no conflict.
 */
import { UserError } from "../errors.js";
import { caseAudience } from "../case/audience.js";
import { foldCase, type CaseState } from "../case/fold.js";
import { makeRecord } from "../records/record.js";
import type { ConflictBody } from "../records/schema.js";
import { findSensitive, sensitiveTerms } from "../reports/safety.js";
import { newRecordId } from "../repo/codes.js";
import type { Repo } from "../repo/repo.js";
import type { CaseFiles } from "../repo/store.js";
import { openCase } from "./read.js";
import { writeCase, type WriteResult } from "./write.js";

/** A share prepared by {@link planShare}. */
export interface SharePlan {
  case: string;
  member: string;
  state: CaseState;
  records: number;
  /** True when the member can already read the case. */
  alreadyShared: boolean;
  /** Names in the case's reports that match the member's name, e.g. "bob (person involved)". */
  mentions: string[];
}

/**
 * What sharing an existing case with a member would do (nothing is written):
 * the case's state, whether they can already read it, and the names in its
 * reports that match theirs (so the sharer can check they are not involved).
 * @throws UserError for an unknown member or case, a case the caller cannot
 * write to, or a member recused or excluded from the case.
 */
export async function planShare(repo: Repo, code: string, member: string): Promise<SharePlan> {
  return planFrom(repo, code, member, await openCase(repo, code));
}

/** {@link planShare} over a case already read. */
function planFrom(repo: Repo, code: string, member: string, files: CaseFiles): SharePlan {
  if (!repo.member(member)) throw new UserError(`"${member}" is not a team member`, [], "unknown-member");
  const records = files.records.map((r) => r.record);
  const audience = caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people);
  if (audience.recused.includes(member) || audience.excluded.includes(member)) {
    throw new UserError(`${member} is ${audience.recused.includes(member) ? "recused from" : "excluded from"} case ${code}; it cannot be shared with them`);
  }
  const state = foldCase(code, records, repo.config.deadlines, new Date(0)).state;
  const mentions = findSensitive(member, sensitiveTerms(code, records)).map((h) => `${h.term} (${h.what})`);
  return { case: code, member, state, records: files.records.length, alreadyShared: audience.readers.includes(member), mentions };
}

/**
 * Shares a case: records the member's declaration as a conflict record
 * `{member, conflict: false}` and re-encrypts every record of the case to
 * include them, in one commit. Checked again under the lock.
 * @param opts.closed a closed case is shared only when this is true.
 * @throws UserError when they can already read it, the case is closed and
 * `closed` is not set, or the caller cannot write to the case.
 */
export async function share(repo: Repo, code: string, member: string, opts: { now: Date; closed?: boolean }): Promise<WriteResult> {
  return repo.write(async () => {
    const me = await repo.me();
    const files = await openCase(repo, code);
    const plan = planFrom(repo, code, member, files);
    if (plan.alreadyShared) throw new UserError(`${member} can already read case ${code}; nothing to do`);
    if (plan.state === "closed" && !opts.closed) throw new UserError(`case ${code} is closed; closed cases are shared only when asked`, [], "share-closed");
    await repo.ensureTrusted();
    const records = files.records.map((r) => r.record);
    if (!caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people).readers.includes(me.name)) throw new UserError(`you are not a recipient of case ${code}`);
    const { readers } = caseAudience(repo.roster(), records, { share: member }, repo.rejoined(), repo.oversight.people);
    const body: ConflictBody = { member, conflict: false };
    const record = makeRecord({ type: "conflict", case: code, id: newRecordId("conflict", opts.now), author: me.name, created_at: opts.now, recipients: readers, body });
    return writeCase(repo, code, files, readers, [record], `coc: share ${code} with ${member}`, me.name);
  });
}

/**
 * The cases `member` cannot read and who could share them: open and closed
 * cases the caller can read (codes only), and cases the caller cannot read
 * either. Cases the member is recused or excluded from are left out.
 */
export async function casesToShare(repo: Repo, member: string, now: Date): Promise<{ open: string[]; closed: string[]; notYours: string[] }> {
  const { cases } = await repo.readCases();
  const out = { open: [] as string[], closed: [] as string[], notYours: [] as string[] };
  for (const c of cases) {
    if (c.records.length === 0) {
      if (c.notForYou.length > 0 && c.unverified.length === 0) out.notYours.push(c.code);
      continue;
    }
    const records = c.records.map((r) => r.record);
    const audience = caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people);
    if (audience.recused.includes(member) || audience.excluded.includes(member) || audience.readers.includes(member)) continue;
    (foldCase(c.code, records, repo.config.deadlines, now).state === "closed" ? out.closed : out.open).push(c.code);
  }
  return out;
}
