/** `coc sync`: fetch, check, merge and push through the repository's git remote. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("sync")
    .description("fetch, check and merge the remote's records, re-encrypt what a recusal or removal made stale, and push")
    .addHelpText("after", "\nExample:\n  coc sync");
  cmd.action(r.action(cmd, () => ({}), () => import("./run.js")));
}
