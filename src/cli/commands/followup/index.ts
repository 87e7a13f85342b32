/** `coc followup <case>`: progress on one action of the decision in force. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { FollowupOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("followup")
    .description("record progress on an action of the decision in force (done, or what is still open)")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the follow-up body as YAML from a file or stdin instead of asking")
    .option("--action <n|level>", "the action of the decision in force, by index (from 0) or level")
    .option("--check-in <n>", "a check-in of the decision's plan, by index (from 0): it counts as held")
    .option("--done", "done now")
    .option("--done-at <time>", "done at this time (local time, or UTC with Z)")
    .option("--text <text>", "what was done, or what is still open")
    .addHelpText(
      "after",
      `
Examples:
  coc followup quiet-otter-42
  coc followup quiet-otter-42 --from - <<< '{action: 0, done_at: "2026-06-02T09:00:00Z"}'
  coc followup quiet-otter-42 --action 0 --done --text "Told them in person, with bob."
  coc followup quiet-otter-42 --check-in 0 --done --text "Met them; the expectations hold."

The --from file holds the follow-up body, for example:
  action: 0                  # the action's index in the decision in force (from 0), or its level
  # check_in: 0              # or: a check-in of the decision's plan, by index (from 0)
  done_at: 2026-06-02 09:00  # local time, or UTC with Z; leave out while still open
  text: Told them in person, with bob taking notes.`,
    );
  cmd.action(r.action(cmd, ([code]): FollowupOptions => ({ code: code as string, ...cmd.opts<Omit<FollowupOptions, "code">>() }), () => import("./run.js")));
}
