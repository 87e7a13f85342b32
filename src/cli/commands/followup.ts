/** `coc followup <case>`: progress on one action of the decision in force. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("followup")
    .description("record progress on an action of the decision in force (done, or what is still open)")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the follow-up body as YAML from a file or stdin instead of asking")
    .addHelpText(
      "after",
      `
Examples:
  coc followup quiet-otter-42
  coc followup quiet-otter-42 --from - <<< '{action: 0, done_at: "2026-06-02T09:00:00Z"}'

The --from file holds the follow-up body, for example:
  action: 0                  # the action's index in the decision in force (from 0), or its level
  done_at: 2026-06-02 09:00  # local time, or UTC with Z; leave out while still open
  text: Told them in person, with bob taking notes.`,
    );
  cmd.action(
    r.action(cmd, async (s, code: string) => {
      const { addRecord } = await import("../add-record.js");
      const { UserError } = await import("../errors.js");
      const { followupQuestions } = await import("../prompts/records.js");
      const { localTime } = await import("../output/format.js");
      const flags = cmd.opts<{ from?: string }>();
      await addRecord(s, {
        command: "followup",
        type: "followup",
        code,
        from: flags.from,
        ask: (c) => {
          if (c.rules.actions.length === 0) {
            throw new UserError(`case ${code} has no actions to follow up: the decision in force has none (record one with \`coc decide ${code}\`)`);
          }
          const followups = c.files.records.flatMap(({ record }) => (record.type === "followup" && record.body.done_at ? [record.body.action] : []));
          const actions = c.rules.actions.map((a, i) => {
            const { level, detail, owner, due } = a as { level: string; detail?: string; owner?: string; due?: string };
            const label = [detail ? `${level}: ${detail}` : level, owner ? `owner ${owner}` : "", due ? `due ${localTime(due)}` : ""].filter(Boolean).join(", ");
            const done = followups.some((f) => f === i || (typeof f === "string" && f.trim().toLowerCase() === level.trim().toLowerCase()));
            return { label, done };
          });
          return followupQuestions(s.ctx.prompter, { actions, now: c.now });
        },
      });
    }),
  );
}
