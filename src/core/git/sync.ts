/**
 * `coc sync`'s git part: pull (rebase) and push through the branch's upstream.
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

/**
 * `git pull --rebase` then `git push`, through the branch's upstream (or the
 * only remote). Records are append-only files, so ordinary concurrent work
 * never conflicts; when something does (team.yaml, config.yaml), the rebase
 * is aborted, nothing is lost, and the error says how to go on.
 * @throws UserError when there is no remote, or on a conflict or a refused push.
 */
export async function pullAndPush(client: Git, as: CommitAs): Promise<SyncResult> {
  const git = await client.open(await client.identityConfig(as));
  const names = await client.remotes();
  if (names.length === 0) throw new UserError("no git remote is configured; add a private one with: git remote add origin <url>");
  const branch = await client.currentBranch();
  if (!branch) throw new UserError("HEAD is detached; check out a branch (git switch main) before syncing");
  const upstream = (await git.raw(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]).catch(() => "")).trim();
  const remote = upstream ? upstream.split("/")[0]! : names.includes("origin") ? "origin" : names[0]!;
  const remoteBranch = upstream ? upstream.slice(remote.length + 1) : branch;
  const status = (await git.raw(["status", "--porcelain", "--untracked-files=no"])).trim();
  if (status !== "") throw new UserError(`uncommitted changes in ${client.root}; commit or discard them first (git status shows them)`);

  const before = (await git.raw(["rev-parse", "HEAD"])).trim();
  let remoteHas: boolean;
  try {
    remoteHas = (await git.raw(["ls-remote", "--heads", remote, remoteBranch])).trim() !== "";
  } catch (e) {
    throw gitError(e, `reaching the remote ${remote}`);
  }
  if (remoteHas) {
    try {
      await git.raw(["pull", "--rebase", "--quiet", remote, remoteBranch]);
    } catch (e) {
      const conflicted = (await git.raw(["diff", "--name-only", "--diff-filter=U"]).catch(() => "")).trim().split("\n").filter(Boolean);
      await git.raw(["rebase", "--abort"]).catch(() => undefined);
      if (conflicted.length > 0) {
        throw new UserError(`your commits conflict with ${remote}/${remoteBranch} in ${conflicted.join(", ")}; nothing was lost (the pull was undone)`, [
          "Settle it by hand: git pull --rebase; edit the file(s) to keep both sides' intent; git add <file>; git rebase --continue",
          "then run coc sync again.",
        ]);
      }
      throw gitError(e, `pulling from ${remote}`);
    }
  }
  const pulled = remoteHas ? Number((await git.raw(["rev-list", "--count", `${before}..${remote}/${remoteBranch}`]).catch(() => "0")).trim()) || 0 : 0;
  const ahead = remoteHas ? Number((await git.raw(["rev-list", "--count", `${remote}/${remoteBranch}..HEAD`]).catch(() => "0")).trim()) || 0 : Number((await git.raw(["rev-list", "--count", "HEAD"])).trim());
  if (ahead > 0 || !upstream) {
    try {
      await git.raw(["push", "--quiet", ...(upstream ? [] : ["--set-upstream"]), remote, `HEAD:${remoteBranch}`]);
    } catch (e) {
      throw gitError(e, `pushing to ${remote}`);
    }
  }
  return { remote, branch: remoteBranch, pulled, pushed: ahead };
}

