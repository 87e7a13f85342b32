/** `coc sync`: fetch, check, merge and push through the repository's git remote. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("sync")
    .description("fetch, check and merge the remote's records, re-encrypt what a recusal or removal made stale, and push")
    .addHelpText(
      "after",
      `
A record written here before a recusal, exclusion or removal arrived is
re-encrypted before it is pushed, in every commit that goes out (the commits
not pushed yet are written again, same authors, dates and messages). When that
needs a roster change you have not confirmed, nothing is pushed: run coc trust,
then coc sync again.

Example:
  coc sync`,
    );
  cmd.action(r.action(cmd, () => ({}), () => import("./run.js")));
}
