/**
 * `coc sync`'s git steps: fetch, look at what arrived, merge (never rebase)
 * and push, through the branch's upstream. The checks between the steps are
 * the caller's (../actions/sync.ts); nothing here leaves a merge in progress.
 */
import { UserError } from "../errors.js";
import { gitError, type CommitAs, type Git } from "./client.js";

export interface SyncResult {
  remote: string;
  branch: string;
  /** Commits that came in. */
  pulled: number;
  /** Commits that went out. */
  pushed: number;
}

/** Where a sync goes: the remote, its branch, and a git whose commits are the member's when the user has no identity. */
export interface SyncTarget {
  client: Git;
  git: Awaited<ReturnType<Git["open"]>>;
  remote: string;
  /** The remote's branch. */
  branch: string;
  /** The remote-tracking ref fetched into, e.g. refs/remotes/origin/main. */
  ref: string;
  /** The remote's URL (the sync state is kept per URL and branch). */
  url: string;
  upstream: boolean;
}

/** @throws UserError when there is no remote, HEAD is detached or the work tree has uncommitted changes. */
export async function syncTarget(client: Git, as: CommitAs): Promise<SyncTarget> {
  const git = await client.open(await client.identityConfig(as));
  const names = await client.remotes();
  if (names.length === 0) throw new UserError("no git remote is configured; add a private one with: git remote add origin <url>");
  const current = await client.currentBranch();
  if (!current) throw new UserError("HEAD is detached; check out a branch (git switch main) before syncing");
  const upstream = (await git.raw(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]).catch(() => "")).trim();
  const remote = upstream ? upstream.split("/")[0]! : names.includes("origin") ? "origin" : names[0]!;
  const branch = upstream ? upstream.slice(remote.length + 1) : current;
  const status = (await git.raw(["status", "--porcelain", "--untracked-files=no"])).trim();
  if (status !== "") throw new UserError(`uncommitted changes in ${client.root}; commit or discard them first (git status shows them)`);
  const url = (await git.raw(["remote", "get-url", remote]).catch(() => remote)).trim();
  return { client, git, remote, branch, ref: `refs/remotes/${remote}/${branch}`, url, upstream: upstream !== "" };
}

/** The commit `rev` names, or null. */
export async function resolve(t: SyncTarget, rev: string): Promise<string | null> {
  return (await t.git.raw(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).catch(() => "")).trim() || null;
}

/** Fetches the remote branch into its tracking ref (forced: what the remote has now). @returns its commit, or null when the remote has no such branch. */
export async function fetchRemote(t: SyncTarget): Promise<string | null> {
  let heads: string;
  try {
    heads = (await t.git.raw(["ls-remote", "--heads", t.remote, t.branch])).trim();
    if (heads === "") return null;
    await t.git.raw(["fetch", "--quiet", "--no-tags", t.remote, `+refs/heads/${t.branch}:${t.ref}`]);
  } catch (e) {
    throw gitError(e, `fetching from ${t.remote}`);
  }
  return resolve(t, t.ref);
}

/** `git rev-list --count <range>`, 0 on failure. */
export async function countCommits(t: SyncTarget, ...range: string[]): Promise<number> {
  return Number((await t.git.raw(["rev-list", "--count", ...range]).catch(() => "0")).trim()) || 0;
}

/** Whether `a` is an ancestor of (or equal to) `b`. */
export async function isAncestor(t: SyncTarget, a: string, b: string): Promise<boolean> {
  // `merge-base --is-ancestor` answers by exit status alone, which simple-git does not report reliably.
  const [ca, base] = await Promise.all([resolve(t, a), t.git.raw(["merge-base", a, b]).catch(() => "")]);
  return ca !== null && base.trim() === ca;
}

/** Record files present in `from` and missing in `to` (`to` null: every record file of `from`). */
export async function filesLost(t: SyncTarget, from: string, to: string | null): Promise<string[]> {
  const out = to ? await t.git.raw(["diff", "--name-only", "--no-renames", "--diff-filter=D", from, to, "--", "cases"]) : await t.git.raw(["ls-tree", "-r", "--name-only", from, "--", "cases"]);
  return out.split("\n").filter(Boolean);
}

/** What the commits of `ref` not in HEAD change under `cases/`, relative to the merge base. */
export async function incomingChanges(t: SyncTarget, ref: string): Promise<{ status: string; path: string }[]> {
  const out = await t.git.raw(["diff", "--name-status", "--no-renames", `HEAD...${ref}`, "--", "cases"]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [status, path] = line.split("\t");
      return { status: status!.charAt(0), path: path! };
    });
}

/** The merge base of HEAD and `ref`. */
export async function mergeBase(t: SyncTarget, ref: string): Promise<string | null> {
  return (await t.git.raw(["merge-base", "HEAD", ref]).catch(() => "")).trim() || null;
}

/** Which side of a conflicted record file to keep. */
export type Side = "ours" | "theirs";

/**
 * Merges `ref` into HEAD (a fast-forward when HEAD has nothing of its own).
 * Conflicts in record files are settled by `settle` (both sides re-encrypted
 * the same record); any other conflict aborts the merge, leaving the work
 * tree as it was. Whatever happens, no merge is left in progress.
 * @throws UserError on a conflict outside cases/, or when git fails.
 */
export async function mergeRemote(t: SyncTarget, ref: string, settle: (paths: string[]) => Promise<Map<string, Side>>): Promise<void> {
  let done = false;
  try {
    // A conflicting merge may exit without a word on stderr, which simple-git does not report: look at the index instead.
    const failure = await t.git.raw(["merge", "--ff", "--no-edit", "--quiet", ref]).then(
      () => undefined,
      (e: unknown) => e,
    );
    const conflicted = (await t.git.raw(["diff", "--name-only", "--diff-filter=U"]).catch(() => "")).split("\n").filter(Boolean);
    if (conflicted.length === 0) {
      if (failure !== undefined) throw gitError(failure, `merging ${t.remote}/${t.branch}`);
      if (await inProgress(t)) throw new UserError(`git did not finish merging ${t.remote}/${t.branch}; nothing was changed here (the merge was undone)`);
      done = true;
      return;
    }
    const others = conflicted.filter((p) => !p.startsWith("cases/"));
    if (others.length > 0) {
      throw new UserError(`your commits conflict with ${t.remote}/${t.branch} in ${others.join(", ")}; nothing was lost (the merge was undone)`, [
        `Settle it by hand: git merge ${t.remote}/${t.branch}; edit the file(s) to keep both sides' intent; git add <file>; git commit --no-edit`,
        "then run coc sync again.",
      ]);
    }
    const sides = await settle(conflicted);
    for (const path of conflicted) {
      await t.git.raw(["checkout", `--${sides.get(path) ?? "theirs"}`, "--", path]);
      await t.git.raw(["add", "--", path]);
    }
    await t.git.raw(["commit", "--quiet", "--no-edit"]);
    if (await inProgress(t)) throw new UserError(`git did not finish merging ${t.remote}/${t.branch}; nothing was changed here (the merge was undone)`);
    done = true;
  } finally {
    if (!done) await t.git.raw(["merge", "--abort"]).catch(() => undefined);
  }
}

/** Whether a merge is in progress (MERGE_HEAD exists). */
async function inProgress(t: SyncTarget): Promise<boolean> {
  return (await resolve(t, "MERGE_HEAD")) !== null;
}

/** Pushes HEAD to the remote branch. @returns "rejected" when the remote moved meanwhile. @throws UserError for any other failure. */
export async function pushHead(t: SyncTarget): Promise<"pushed" | "rejected"> {
  try {
    await t.git.raw(["push", "--quiet", ...(t.upstream ? [] : ["--set-upstream"]), t.remote, `HEAD:refs/heads/${t.branch}`]);
    return "pushed";
  } catch (e) {
    const text = (e as Error).message ?? "";
    // Another push landing at the same moment: the remote then fails to update (or lock) the branch.
    if (/\[rejected\]|non-fast-forward|fetch first|\[remote rejected\].*(stale|lock|failed to update ref)|cannot lock ref/.test(text)) return "rejected";
    throw gitError(e, `pushing to ${t.remote}`);
  }
}
