/**
 * `coc recuse <case> <member>`: records a conflict of interest and
 * re-encrypts every record of the case without that member, in one commit.
 */
import { checkRecusal, createdIds, recuse } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface RecuseOptions {
  code: string;
  member: string;
  reason?: string | undefined;
}

export async function run(o: RecuseOptions, io: Io): Promise<void> {
  const { code, member } = o;
  const repo = await openRepo(io);
  const now = io.now();
  const me = await repo.me();
  // Checked before the question, so nobody confirms a recusal that cannot happen.
  const checked = await checkRecusal(repo, code, member);
  if (member === me.name) {
    await confirmWarnings(
      io,
      [`you are recusing yourself: case ${code} will be re-encrypted without you and you will no longer be able to read it`],
      "Recuse yourself and lose access to this case?",
    );
  }
  const result = await recuse(repo, code, member, { now, reason: o.reason, checked });
  if (result.alreadyOut) {
    if (io.json) io.printJson({ case: code, recused: member, recipients: result.recipients, records: [], reencrypted: result.files.length });
    io.info(`${member} was already recused or excluded from case ${io.err.bold(code)}; re-encrypted ${result.files.length} record${result.files.length === 1 ? "" : "s"} still encrypted to them (one commit).`);
    io.info(`Who can read the case now: ${result.recipients.join(", ")}.`);
    return;
  }
  // A member the case was never shared with (joined later) who declares a conflict: the
  // recusal is still recorded, so the case can never be shared with them (coc share refuses).
  const notShared = !result.wasReader;
  const [id] = createdIds(result, 1);
  const rewritten = result.files.length - 1;
  if (io.json) io.printJson({ case: code, recused: member, recipients: result.recipients, records: [id] });
  io.info(
    notShared
      ? `Recused ${member} from case ${io.err.bold(code)}: recorded the conflict (one commit). The case was never shared with them and now never will be.`
      : `Recused ${member} from case ${io.err.bold(code)}: recorded the conflict and re-encrypted ${rewritten} record${rewritten === 1 ? "" : "s"} without them (one commit).`,
  );
  io.info(`Who can read the case now: ${result.recipients.join(", ")}.`);
  if (!notShared) io.info(io.err.dim(`Copies ${member === me.name ? "you" : member} pulled before stay readable${member === me.name ? "" : " to them"}: git history keeps old ciphertexts.`));
  await sayNotShared(io, repo);
}
