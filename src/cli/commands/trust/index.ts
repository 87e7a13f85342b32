/** `coc trust`: show and confirm a roster, settings or template change that arrived from elsewhere. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("trust")
    .description("confirm the roster, the public settings and the templates after someone else changed them")
    .addHelpText(
      "after",
      `
coc remembers (outside the repository) the roster, the settings that reach
readers or delete data (contact, policy URL, event name and dates, retention)
and the templates you last confirmed. A change that arrived through a pull or
was edited by hand is used only once you confirm it here.

Examples:
  coc trust          # shows what changed and asks
  coc trust --yes    # confirm without asking (scripts)`,
    );
  cmd.action(r.action(cmd, () => ({ command: "trust" }), () => import("./run.js")));
}
