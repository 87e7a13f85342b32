/**
 * `coc share <case> <member>`: shares an existing case with a member who
 * joined after it, once they have declared (told only the case code, never
 * its content) that they have no conflict. Records the declaration and
 * re-encrypts the whole case to include them, in one commit.
 */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("share")
    .description("share an existing case with a member who joined later, after they declared no conflict (one commit)")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .argument("<member>", "the team member to share it with")
    .option("--no-conflict", "the member has declared that they have no conflict with this case")
    .option("--closed", "share a closed case too (closed cases are not re-shared unless asked)")
    .addHelpText(
      "after",
      `
Ask the member about each case by its code only, never its content: "do you
have a conflict with case quiet-otter-42?" If they do, record it with
coc recuse <case> <member> instead; the case is never shared with them.
Run by a member who can read the case. Once shared, they can read every
record of it, including earlier ones.

Examples:
  coc share quiet-otter-42 dave                  # asks whether dave declared no conflict
  coc share quiet-otter-42 dave --no-conflict    # scripts
  coc share calm-heron-17 dave --no-conflict --closed`,
    );
  cmd.action(
    r.action(cmd, async (s, code: string, member: string) => {
      const { CancelledError, UsageError, UserError } = await import("../errors.js");
      // commander turns --no-conflict into `conflict: false`; by default it is true (not declared).
      const flags = cmd.opts<{ conflict: boolean; closed?: boolean }>();
      const ws = await s.workspace();
      const plan = await ws.planShare(code, member);
      if (plan.alreadyShared) {
        s.info(`${member} can already read case ${code}; nothing to do.`);
        return 0;
      }
      if (plan.state === "closed" && !flags.closed) {
        throw new UserError(`case ${code} is closed; closed cases are shared only when asked (add --closed)`);
      }
      if (flags.conflict !== false) {
        if (!s.canPrompt) throw new UsageError(`share: --no-conflict required when not running interactively (once ${member} has declared no conflict with case ${code})`);
        const ok = await s.ctx.prompter.confirm({ id: "no_conflict", message: `Has ${member} declared that they have no conflict with case ${code}?`, default: false });
        if (!ok) throw new CancelledError(`not shared. If ${member} has a conflict, record it with: coc recuse ${code} ${member}`);
      }
      await s.confirmWarnings(
        plan.mentions.length > 0 ? [`the reports of case ${code} name ${plan.mentions.join(", ")}: make sure that is not ${member}`] : [],
        `Share case ${code} with ${member} anyway?`,
      );
      const result = await ws.share(plan, { now: s.ctx.now(), closed: Boolean(flags.closed) });
      const id = result.files.at(-1)!.replace(/^.*\//, "").replace(/\.age$/, "");
      if (s.json) s.printJson({ case: code, shared_with: member, recipients: result.recipients, records: [id] });
      const n = result.files.length - 1;
      s.info(`Shared case ${s.err.bold(code)} with ${member}: recorded their no-conflict declaration and re-encrypted ${n} record${n === 1 ? "" : "s"} to include them (one commit).`);
      s.info(`Who can read the case now: ${result.recipients.join(", ")}. Run coc sync so ${member} receives it.`);
      return 0;
    }),
  );
}
