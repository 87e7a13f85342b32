/**
 * `coc recuse <case> <member>`: records a conflict of interest and
 * re-encrypts every record of the case without that member, in one commit.
 */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("recuse")
    .description("record a conflict of interest and re-encrypt the whole case without that member")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .argument("<member>", "the team member who is recused")
    .option("--reason <text>", "why (optional: nobody has to say why; stored encrypted in the case)")
    .addHelpText(
      "after",
      `
The member stops receiving the case from now on: every record of it is
re-encrypted without them and committed at once. Copies they pulled before
stay readable to them (git history keeps old ciphertexts), so recuse before
the case is shared when you can (coc new-report: exclude; coc review).

Examples:
  coc recuse quiet-otter-42 bob
  coc recuse quiet-otter-42 carol --reason "works with the reported person"`,
    );
  cmd.action(
    r.action(cmd, async (s, code: string, member: string) => {
      const { UserError } = await import("../errors.js");
      const flags = cmd.opts<{ reason?: string }>();
      const ws = await s.workspace();
      const now = s.ctx.now();
      const me = await ws.me();
      const files = await ws.openCase(code);
      if (!ws.member(member)) throw new UserError(`"${member}" is not a team member (see \`coc team list\`)`);
      const rules = ws.ruleContext(files);
      const recipients = files.records.at(-1)?.record.recipients ?? [];
      if (rules.outOfCase.includes(member)) {
        throw new UserError(`${member} already cannot read case ${code} (recused or excluded); nothing to do`);
      }
      // A member the case was never shared with (joined later) who declares a conflict: the
      // recusal is still recorded, so the case can never be shared with them (coc share refuses).
      const notShared = !recipients.includes(member);
      if (member === me.name) {
        await s.confirmWarnings(
          [`you are recusing yourself: case ${code} will be re-encrypted without you and you will no longer be able to read it`],
          "Recuse yourself and lose access to this case?",
        );
      }
      const reason = flags.reason?.trim();
      const body = ws.validateBody("conflict", { member, conflict: true, ...(reason ? { reason } : {}), recused: true }, "--reason");
      const result = await ws.declareConflicts(code, [body], { now, source: "recuse" });
      const id = result.files.at(-1)!.replace(/^.*\//, "").replace(/\.age$/, "");
      const rewritten = result.files.length - 1;
      if (s.json) s.printJson({ case: code, recused: member, recipients: result.recipients, records: [id] });
      s.info(
        notShared
          ? `Recused ${member} from case ${s.err.bold(code)}: recorded the conflict (one commit). The case was never shared with them and now never will be.`
          : `Recused ${member} from case ${s.err.bold(code)}: recorded the conflict and re-encrypted ${rewritten} record${rewritten === 1 ? "" : "s"} without them (one commit).`,
      );
      s.info(`Who can read the case now: ${result.recipients.join(", ")}.`);
      if (!notShared) s.info(s.err.dim(`Copies ${member === me.name ? "you" : member} pulled before stay readable${member === me.name ? "" : " to them"}: git history keeps old ciphertexts.`));
    }),
  );
}
