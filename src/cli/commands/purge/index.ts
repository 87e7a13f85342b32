/**
 * `coc purge [<case>...] [--expired] [--rewrite-history]`: retention. Deletes
 * cases from the work tree in one commit and says plainly what that does not
 * do; with --rewrite-history, also replaces this clone's history with one
 * fresh commit, and says how to force-push and what every clone must do.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { PurgeOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("purge")
    .description("retention: delete cases from the work tree (one commit); --rewrite-history also removes them from this clone's history")
    .argument("[case...]", "case codes to delete, e.g. quiet-otter-42")
    .option("--expired", "every case past config.yaml retention.delete_after_days")
    .option("--rewrite-history", "then replace the whole git history with one fresh commit of the current files (cannot be undone)")
    .addHelpText(
      "after",
      `
A purge deletes the cases' directories in one commit, also cases you cannot
read. Git history, the remote and every clone still hold their ciphertexts,
readable by whoever they were encrypted to.

--rewrite-history replaces this clone's history with a single new commit and
prunes the old objects. Every commit and the history of every case (purged
or not) is lost. In a terminal you confirm it by typing the event name, even
with --yes; without a terminal (or with --no-input), --yes confirms it.
Afterwards: git push --force origin main, and every member deletes their
clone and clone again.

Examples:
  coc purge quiet-otter-42 bold-heron-17
  coc purge --expired
  coc purge --expired --rewrite-history
  coc purge --expired --yes                      # scripts`,
    );
  cmd.action(
    r.action(
      cmd,
      ([codes]): PurgeOptions => {
        const flags = cmd.opts<{ expired?: boolean; rewriteHistory?: boolean }>();
        return { codes: codes as string[], expired: Boolean(flags.expired), rewriteHistory: Boolean(flags.rewriteHistory) };
      },
      () => import("./run.js"),
    ),
  );
}
