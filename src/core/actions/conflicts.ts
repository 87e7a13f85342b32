/**
 * Conflicts of interest: declarations (in a review) and recusals. A member
 * with a conflict (recused, the default) is cut out: every record of the case
 * is re-encrypted without them before anything else is written.
 */
import { UserError } from "../errors.js";
import { caseAudience, withRecusalDefault } from "../case/audience.js";
import { recusalOf } from "../case/standing.js";
import { checkRules } from "../case/rules.js";
import { makeRecord } from "../records/record.js";
import type { ConflictBody } from "../records/schema.js";
import { newRecordId } from "../repo/codes.js";
import type { Repo } from "../repo/repo.js";
import { openCase, ruleContext } from "./read.js";
import { validateBody } from "./records.js";
import { reencryptStale } from "./heal.js";
import { writeCase, type WriteResult } from "./write.js";

/**
 * Records conflict declarations for a case in one commit, re-encrypting the
 * case without everyone recused.
 * @throws UserError for unknown members, an unconfirmed roster, or when nobody would be left.
 */
export async function declareConflicts(repo: Repo, code: string, bodies: readonly ConflictBody[], opts: { now: Date; source: string; prefix?: string }): Promise<WriteResult & { recused: string[] }> {
  return repo.write(async () => {
    const me = await repo.me();
    const files = await openCase(repo, code);
    const ctx = ruleContext(repo, files);
    bodies.forEach((b, i) => checkRules("conflict", b, ctx, opts.source, opts.prefix ? `${opts.prefix}[${i}]` : ""));
    await repo.ensureTrusted();
    const normalised = bodies.map(withRecusalDefault);
    const recused = normalised.filter((b) => b.conflict && recusalOf(b)).map((b) => b.member);
    const records = files.records.map((r) => r.record);
    const before = caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people);
    if (!before.readers.includes(me.name)) throw new UserError(`you are not a recipient of case ${code}`);
    // A recusal is lifted only by another member (DESIGN.md §7).
    const own = normalised.findIndex((b) => b.member === me.name && b.recused === false && before.recused.includes(me.name));
    if (own >= 0) throw new UserError(`${opts.source}: ${opts.prefix ? `${opts.prefix}[${own}].` : ""}recused: you cannot lift your own recusal; another member records it`);
    const { readers } = caseAudience(repo.roster(), records, { recuse: recused }, repo.rejoined(), repo.oversight.people);
    if (readers.length === 0) throw new UserError(`nobody would be left to read case ${code}: every recipient is recused`);
    const created = normalised.map((body) =>
      makeRecord({ type: "conflict", case: code, id: newRecordId("conflict", opts.now), author: me.name, created_at: opts.now, recipients: readers, body }),
    );
    const message = recused.length > 0 ? `coc: recusal in ${code}` : `coc: conflict declarations in ${code}`;
    return { ...(await writeCase(repo, code, files, readers, created, message, me.name)), recused };
  });
}

/** What a recusal did: whether the member could read the case before. */
export interface RecuseResult extends WriteResult {
  /** False when the case was never shared with the member (joined later): the recusal only keeps it from them. */
  wasReader: boolean;
  /** True when the member was already recused or excluded: only the records still encrypted to them were re-encrypted. */
  alreadyOut?: boolean;
}

/**
 * Checks that `member` can be recused from a case, before anything is asked or written.
 * @returns whether they can read the case now (false: it was never shared with them).
 * @throws UserError for an unknown member, one already recused or excluded, or a case the caller cannot write to.
 */
export async function checkRecusal(repo: Repo, code: string, member: string): Promise<{ wasReader: boolean; alreadyOut: boolean }> {
  const files = await openCase(repo, code);
  if (!repo.member(member)) throw new UserError(`"${member}" is not a team member`, [], "unknown-member");
  const audience = caseAudience(repo.roster(), files.records.map((r) => r.record), {}, repo.rejoined(), repo.oversight.people);
  if ([...audience.excluded, ...audience.recused].includes(member)) {
    // Already out, but a record written on a clone that had not seen it yet may still be encrypted to them.
    const stale = [...files.records, ...files.unverified].some(({ record }) => record.recipients.includes(member));
    if (!stale) throw new UserError(`${member} already cannot read case ${code} (recused or excluded); nothing to do`);
    return { wasReader: false, alreadyOut: true };
  }
  return { wasReader: audience.readers.includes(member), alreadyOut: false };
}

/**
 * `coc recuse`: records a conflict of `member` and re-encrypts the case without them.
 * @throws as {@link checkRecusal} and {@link declareConflicts}.
 */
export async function recuse(
  repo: Repo,
  code: string,
  member: string,
  opts: { now: Date; reason?: string | undefined; checked?: Awaited<ReturnType<typeof checkRecusal>> | undefined },
): Promise<RecuseResult> {
  // The caller may have checked already (before asking for a confirmation); the write re-reads the case under the lock anyway.
  const { wasReader, alreadyOut } = opts.checked ?? (await checkRecusal(repo, code, member));
  if (alreadyOut) {
    const healed = await repo.write(async () => reencryptStale(repo, (await repo.me()).name, [code]));
    const files = await openCase(repo, code);
    const records = files.records.map((r) => r.record);
    const { readers } = caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people);
    return { case: code, files: healed.files, recipients: readers, removedFromCase: healed.removed[code] ?? [], committed: healed.committed, records, wasReader, alreadyOut };
  }
  const reason = opts.reason?.trim();
  const body = validateBody("conflict", { member, conflict: true, ...(reason ? { reason } : {}), recused: true }, "--reason");
  const result = await declareConflicts(repo, code, [body], { now: opts.now, source: "recuse" });
  return { ...result, wasReader };
}
