/** `coc sync`: pull (rebase) and push through the repository's git remote. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("sync")
    .description("pull (rebase) and push through the git remote; records never conflict")
    .addHelpText("after", "\nExample:\n  coc sync");
  cmd.action(r.action(cmd, () => ({}), () => import("./run.js")));
}
