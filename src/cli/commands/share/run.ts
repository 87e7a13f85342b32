/**
 * `coc share <case> <member>`: records a later member's no-conflict
 * declaration and re-encrypts the case to include them, in one commit.
 */
import { createdIds, planShare, share } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import { CancelledError, UsageError, UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface ShareOptions {
  code: string;
  member: string;
  /** `--no-conflict`: the member has declared no conflict (otherwise asked, in a terminal). */
  noConflict: boolean;
  /** `--closed`: share a closed case too. */
  closed: boolean;
}

export async function run(o: ShareOptions, io: Io): Promise<number> {
  const { code, member } = o;
  const repo = await openRepo(io);
  const plan = await planShare(repo, code, member);
  if (plan.alreadyShared) {
    io.info(`${member} can already read case ${code}; nothing to do.`);
    return 0;
  }
  if (plan.state === "closed" && !o.closed) {
    throw new UserError(`case ${code} is closed; closed cases are shared only when asked (add --closed)`);
  }
  // Not `confirm()`: the flag that answers this question is --no-conflict, not --yes.
  if (!o.noConflict) {
    if (!io.canPrompt) throw new UsageError(`share: --no-conflict required when not running interactively (once ${member} has declared no conflict with case ${code})`);
    const ok = await io.ctx.prompter.confirm({ id: "no_conflict", message: `Has ${member} declared that they have no conflict with case ${code}?`, default: false });
    if (!ok) throw new CancelledError(`not shared. If ${member} has a conflict, record it with: coc recuse ${code} ${member}`);
  }
  await confirmWarnings(
    io,
    plan.mentions.length > 0 ? [`the reports of case ${code} name ${plan.mentions.join(", ")}: make sure that is not ${member}`] : [],
    `Share case ${code} with ${member} anyway?`,
  );
  const result = await share(repo, code, member, { now: io.now(), closed: o.closed });
  const id = createdIds(result, 1)[0]!;
  if (io.json) io.printJson({ case: code, shared_with: member, recipients: result.recipients, records: [id] });
  // Every file but the declaration is an earlier record, re-encrypted.
  const n = result.files.length - 1;
  io.info(`Shared case ${io.err.bold(code)} with ${member}: recorded their no-conflict declaration and re-encrypted ${n} record${n === 1 ? "" : "s"} to include them (one commit).`);
  io.info(`Who can read the case now: ${result.recipients.join(", ")}. Run coc sync so ${member} receives it.`);
  await sayNotShared(io, repo);
  return 0;
}
