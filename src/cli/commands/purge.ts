/**
 * `coc purge [<case>...] [--expired] [--rewrite-history]`: retention. Deletes
 * cases from the work tree in one commit and says plainly what that does not
 * do; with --rewrite-history, also replaces this clone's history with one
 * fresh commit, and says how to force-push and what every clone must do.
 */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

interface PurgeFlags {
  expired?: boolean;
  rewriteHistory?: boolean;
}

export function register(program: Command, r: Registrar): void {
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
clone and clones again.

Examples:
  coc purge quiet-otter-42 bold-heron-17
  coc purge --expired
  coc purge --expired --rewrite-history
  coc purge --expired --yes                      # scripts`,
    );
  cmd.action(
    r.action(cmd, async (s, codes: string[]) => {
      const { CancelledError, UsageError, UserError } = await import("../errors.js");
      const { assertCasesExist, expiredCases, historyToDrop, purgeCases, rewriteHistory } = await import("../../core/repo/retention.js");
      const flags = cmd.opts<PurgeFlags>();
      const ws = await s.workspace();
      const now = s.ctx.now();
      const days = ws.config.retention.delete_after_days;

      const wanted = [...codes];
      if (flags.expired) {
        if (!days) throw new UserError("no retention period is set (retention.delete_after_days in .coc/config.yaml), so no case expires; name the cases to purge instead");
        const expired = await expiredCases(ws.paths, ws.config, now);
        if (expired.length === 0 && codes.length === 0 && !flags.rewriteHistory) {
          s.info(`No case has expired (retention: ${days} days after ${ws.config.event.ends_on ? `the event ends, ${ws.config.event.ends_on}` : "a case's last record"}); nothing to purge.`);
          return 0;
        }
        for (const e of expired) s.info(`expired: ${e.case} (since ${e.expires_at.slice(0, 10)}, ${days} days after ${e.basis === "event-end" ? "the event ended" : "its last record"})`);
        wanted.push(...expired.map((e) => e.case));
      }
      const purge = [...new Set(wanted)];
      if (purge.length === 0 && !flags.rewriteHistory) throw new UsageError("purge: name the case(s) to delete, or pass --expired");
      await assertCasesExist(ws.paths, purge);

      // Everything is confirmed before anything changes.
      const history = flags.rewriteHistory ? await historyToDrop(ws) : undefined;
      if (history) {
        if (!history.branch) throw new UserError("HEAD is detached; check out a branch (git switch main) before rewriting history");
        if (history.dirty) throw new UserError(`uncommitted changes in ${ws.paths.root}; commit or discard them first (git status shows them); nothing was changed`);
        if (history.behind > 0) throw new UserError(`this clone is ${history.behind} commit(s) behind ${history.remote}; run coc sync first, or the force-push would destroy what others pushed; nothing was changed`);
        const event = ws.config.event.name;
        s.warn("--rewrite-history cannot be undone. This clone will lose:");
        if (purge.length > 0) s.info(`  - the case${purge.length > 1 ? "s" : ""} ${purge.join(", ")}, deleted first`);
        s.info(`  - all ${history.commits} commit(s) of its history: who wrote what and when, for every case, including the purged ones`);
        s.info("  - the earlier versions of every record (before re-encryptions, recusals and member removals)");
        if (history.otherRefs.length > 0) s.info(`  - every other branch, tag and remote-tracking ref: ${history.otherRefs.map((ref) => ref.replace(/^refs\/(heads|tags|remotes)\//, "")).join(", ")}`);
        s.info(`  - anything pushed to ${history.remote ?? "the remote"} since your last coc sync (run it first if unsure)`);
        s.info(`Only the current files remain, in one new commit on ${history.branch}.`);
        if (s.canPrompt) {
          const typed = await s.ctx.prompter.input({ id: "confirm_rewrite", message: `Type the event name (${event}) to rewrite the history` });
          if (typed.trim() !== event) throw new CancelledError("the name did not match; nothing was changed");
        } else if (!s.opts.yes) {
          throw new UsageError("purge: --yes required to rewrite history when not running interactively");
        }
      } else {
        s.info(`To delete: ${purge.join(", ")}`);
        if (!s.opts.yes) {
          if (!s.canPrompt) throw new UsageError("purge: --yes required to purge when not running interactively");
          const ok = await s.ctx.prompter.confirm({ id: "confirm_purge", message: `Delete ${purge.length} case(s) and all their records from the work tree?`, default: false });
          if (!ok) throw new CancelledError("nothing was purged");
        }
      }

      const result = await purgeCases(ws, purge);
      if (result.purged.length > 0) s.info(`Purged ${result.purged.length} case(s) from the work tree in one commit: ${result.purged.join(", ")}.`);
      const rewritten = flags.rewriteHistory ? await rewriteHistory(ws) : undefined;
      if (s.json) s.printJson({ purged: result.purged, committed: result.committed, history_rewritten: Boolean(rewritten), ...(rewritten ? { commit: rewritten.commit } : {}) });

      if (!rewritten) {
        s.info(
          "What this does not do: git history still holds every record of the purged cases, and so do the remote and every clone; whoever they were encrypted to can still read them from there. Run coc sync to share the purge; to remove them from history too, run coc purge --rewrite-history.",
        );
        return 0;
      }
      const remote = rewritten.remote;
      s.info(`Replaced the history of this clone with one commit (${rewritten.commit.slice(0, 12)}) of the current files; the ${rewritten.dropped} earlier commit(s) and their objects are gone from this clone.`);
      if (remote) {
        s.info(`Next, replace the remote's history right away (before any coc sync, which would bring the old history back):\n  git push --force ${remote} ${rewritten.branch}`);
      } else {
        s.info("No git remote is configured, so there is nothing to force-push.");
      }
      s.info(
        "Every other clone still holds the old history, purged cases included: each member must delete their clone and clone again (pulling into an old clone brings the old history back). Backups, forks and the hosting service's caches may hold it too. coc will pin the roster again on first use in each new clone: check it with coc team list.",
      );
      return 0;
    }),
  );
}
