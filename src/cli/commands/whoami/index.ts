/** `coc whoami`: the member key of the current identity. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("whoami")
    .description("print your member key (age recipient and signing key), for the team lead's coc team add")
    .addHelpText("after", "\nWorks with any identity, including one made by age-keygen.\n\nExamples:\n  coc whoami\n  coc whoami --json");
  cmd.action(r.action(cmd, () => ({}), () => import("./run.js")));
}
