/**
 * `coc purge`: deletes cases from the work tree in one commit, and with
 * --rewrite-history replaces this clone's history. Everything is confirmed
 * before anything changes, and afterwards the user is told plainly what the
 * purge did not do and what every clone must do.
 */
import { assertCasesExist, expiredCases, historyToDrop, purgeCases, rewriteHistory, type Repo } from "../../../core/index.js";
import { CancelledError, UsageError, UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";

export interface PurgeOptions {
  codes: string[];
  /** Add every case past the retention period. */
  expired: boolean;
  rewriteHistory: boolean;
}

export async function run(o: PurgeOptions, io: Io): Promise<number> {
  const repo = await openRepo(io, { publishing: true });
  const purge = await casesToPurge(o, io, repo);
  if (purge === undefined) return 0;
  if (o.rewriteHistory) await confirmRewrite(io, repo, purge);
  else await confirmPurge(io, purge);

  const result = await purgeCases(repo, purge, { now: io.now() });
  if (result.purged.length > 0) io.info(`Purged ${result.purged.length} case(s) from the work tree in one commit: ${result.purged.join(", ")}.`);
  const rewritten = o.rewriteHistory ? await rewriteHistory(repo) : undefined;
  if (io.json) io.printJson({ purged: result.purged, committed: result.committed, history_rewritten: Boolean(rewritten), ...(rewritten ? { commit: rewritten.commit } : {}) });

  if (!rewritten) {
    io.info(
      "What this does not do: git history still holds every record of the purged cases, and so do the remote and every clone; whoever they were encrypted to can still read them from there. Run coc sync to share the purge; to remove them from history too, run coc purge --rewrite-history.",
    );
    return 0;
  }
  io.info(`Replaced the history of this clone with one commit (${rewritten.commit.slice(0, 12)}) of the current files; the ${rewritten.dropped} earlier commit(s) and their objects are gone from this clone.`);
  if (rewritten.remote) {
    io.info(`Next, replace the remote's history right away (before any coc sync, which would bring the old history back):\n  git push --force ${rewritten.remote} ${rewritten.branch}`);
  } else {
    io.info("No git remote is configured, so there is nothing to force-push.");
  }
  io.info(
    "Every other clone still holds the old history, purged cases included: each member must delete their clone and clone again (pulling into an old clone brings the old history back). Backups, forks and the hosting service's caches may hold it too. coc will pin the roster again on first use in each new clone: check it with coc team list.",
  );
  return 0;
}

/**
 * The cases named and, with --expired, those past the retention period (each
 * said on stderr); undefined when --expired found nothing else to do.
 * @throws UserError without a retention period, or for an unknown case; UsageError when nothing is named.
 */
async function casesToPurge(o: PurgeOptions, io: Io, repo: Repo): Promise<string[] | undefined> {
  const days = repo.config.retention.delete_after_days;
  const wanted = [...o.codes];
  if (o.expired) {
    if (!days) throw new UserError("no retention period is set (retention.delete_after_days in .coc/config.yaml), so no case expires; name the cases to purge instead");
    const expired = await expiredCases(repo.paths, repo.config, io.now());
    if (expired.length === 0 && o.codes.length === 0 && !o.rewriteHistory) {
      io.info(`No case has expired (retention: ${days} days after ${repo.config.event.ends_on ? `the event ends, ${repo.config.event.ends_on}` : "a case's last record"}); nothing to purge.`);
      return undefined;
    }
    for (const e of expired) io.info(`expired: ${e.case} (since ${e.expires_at.slice(0, 10)}, ${days} days after ${e.basis === "event-end" ? "the event ended" : "its last record"})`);
    wanted.push(...expired.map((e) => e.case));
  }
  const purge = [...new Set(wanted)];
  if (purge.length === 0 && !o.rewriteHistory) throw new UsageError("purge: name the case(s) to delete, or pass --expired");
  await assertCasesExist(repo.paths, purge);
  return purge;
}

/**
 * Asks before deleting cases. Not `confirm()`: its refusal without a terminal
 * says what --yes is required for ("to purge"), which scripts match on.
 */
async function confirmPurge(io: Io, purge: readonly string[]): Promise<void> {
  io.info(`To delete: ${purge.join(", ")}`);
  if (io.opts.yes) return;
  if (!io.canPrompt) throw new UsageError("purge: --yes required to purge when not running interactively");
  const ok = await io.ctx.prompter.confirm({ id: "confirm_purge", message: `Delete ${purge.length} case(s) and all their records from the work tree?`, default: false });
  if (!ok) throw new CancelledError("nothing was purged");
}

/**
 * Says everything a history rewrite loses, then has the user type the event
 * name (in a terminal, even with --yes); without a terminal, --yes confirms.
 * @throws UserError when the clone is not in a state to rewrite (nothing is changed).
 */
async function confirmRewrite(io: Io, repo: Repo, purge: readonly string[]): Promise<void> {
  const history = await historyToDrop(repo);
  if (!history.branch) throw new UserError("HEAD is detached; check out a branch (git switch main) before rewriting history");
  if (history.dirty) throw new UserError(`uncommitted changes in ${repo.paths.root}; commit or discard them first (git status shows them); nothing was changed`);
  if (history.behind > 0) throw new UserError(`this clone is ${history.behind} commit(s) behind ${history.remote}; run coc sync first, or the force-push would destroy what others pushed; nothing was changed`);
  const event = repo.config.event.name;
  io.warn("--rewrite-history cannot be undone. This clone will lose:");
  if (purge.length > 0) io.info(`  - the case${purge.length > 1 ? "s" : ""} ${purge.join(", ")}, deleted first`);
  io.info(`  - all ${history.commits} commit(s) of its history: who wrote what and when, for every case, including the purged ones`);
  io.info("  - the earlier versions of every record (before re-encryptions, recusals and member removals)");
  if (history.otherRefs.length > 0) io.info(`  - every other branch, tag and remote-tracking ref: ${history.otherRefs.map((ref) => ref.replace(/^refs\/(heads|tags|remotes)\//, "")).join(", ")}`);
  io.info(`  - anything pushed to ${history.remote ?? "the remote"} since your last coc sync (run it first if unsure)`);
  io.info(`Only the current files remain, in one new commit on ${history.branch}.`);
  if (io.canPrompt) {
    const typed = await io.ctx.prompter.input({ id: "confirm_rewrite", message: `Type the event name (${event}) to rewrite the history` });
    if (typed.trim() !== event) throw new CancelledError("the name did not match; nothing was changed");
  } else if (!io.opts.yes) {
    throw new UsageError("purge: --yes required to rewrite history when not running interactively");
  }
}
