/**
 * History: what git has kept of cases/ in every commit (for `coc verify`), and
 * replacing a clone's history (for `coc purge --rewrite-history`).
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { gitEnv, gitError, type CommitAs, type Git } from "./client.js";

/** A blob that was added or changed under `cases/` by some commit of any branch. */
export interface HistoryBlob {
  commit: string;
  path: string;
  blob: string;
}

/** Every blob ever written under `cases/` in any commit reachable from any ref, with the commit that wrote it. */
export async function caseBlobsInHistory(git: Git): Promise<HistoryBlob[]> {
  let out: string;
  try {
    out = await git.raw(["log", "--all", "--format=commit %H", "--raw", "--no-abbrev", "--no-renames", "--diff-filter=AMT", "--", "cases"]);
  } catch (e) {
    if (/does not have any commits|unknown revision|bad default revision/.test((e as Error).message)) return [];
    throw gitError(e, "reading history");
  }
  const blobs: HistoryBlob[] = [];
  let commit = "";
  for (const line of out.split("\n")) {
    if (line.startsWith("commit ")) commit = line.slice(7).trim();
    else if (line.startsWith(":")) {
      const [meta, path] = line.split("\t");
      const blob = meta?.split(" ")[3];
      if (blob && path) blobs.push({ commit, path, blob });
    }
  }
  return blobs;
}

/**
 * The first `bytes` bytes of each blob, read through one `git cat-file --batch`
 * process (not one process per blob).
 */
export async function blobHeads(git: Git, blobs: readonly string[], bytes = 64): Promise<Map<string, Buffer>> {
  const unique = [...new Set(blobs)];
  const heads = new Map<string, Buffer>();
  if (unique.length === 0) return heads;
  const child = spawn("git", ["cat-file", "--batch"], { cwd: git.root, env: gitEnv(git.env), stdio: ["pipe", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git cat-file exited with ${code}`))));
  });
  child.stdin.end(`${unique.join("\n")}\n`);
  await done;
  const all = Buffer.concat(chunks);
  let pos = 0;
  for (const id of unique) {
    const nl = all.indexOf(10, pos);
    if (nl < 0) break;
    const header = all.subarray(pos, nl).toString("utf8").split(" ");
    pos = nl + 1;
    if (header[1] === "missing") continue;
    const size = Number(header[2]);
    heads.set(id, Buffer.from(all.subarray(pos, pos + Math.min(size, bytes))));
    pos += size + 1;
  }
  return heads;
}

/** What replacing the history of a clone would drop (see `replaceHistory`). */
export interface HistoryState {
  /** The current branch, or undefined on a detached HEAD. */
  branch: string | undefined;
  /** Commits reachable from any ref. */
  commits: number;
  /** Every ref but the current branch (other branches, tags, remote-tracking refs, the stash): all deleted. */
  otherRefs: string[];
  /** The remote the branch tracks (or the only remote / origin), if any. */
  remote: string | undefined;
  /** Commits of the tracked remote branch this clone has fetched but not merged (lost on a force-push). */
  behind: number;
  /** True when tracked files have uncommitted changes. */
  dirty: boolean;
}

/** Reads what `replaceHistory` would drop, without changing anything. */
export async function historyState(git: Git): Promise<HistoryState> {
  try {
    const branch = await git.currentBranch();
    const commits = Number((await git.raw(["rev-list", "--all", "--count"])).trim()) || 0;
    const refs = (await git.raw(["for-each-ref", "--format=%(refname)"])).split("\n").map((r) => r.trim()).filter(Boolean);
    const otherRefs = refs.filter((r) => r !== `refs/heads/${branch}`);
    const upstream = (await git.raw(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]).catch(() => "")).trim();
    const names = await git.remotes();
    const remote = upstream ? upstream.split("/")[0] : names.includes("origin") ? "origin" : names[0];
    const behind = upstream ? Number((await git.raw(["rev-list", "--count", "HEAD..@{u}"]).catch(() => "0")).trim()) || 0 : 0;
    const dirty = (await git.raw(["status", "--porcelain", "--untracked-files=no"])).trim() !== "";
    return { branch, commits, otherRefs, remote, behind, dirty };
  } catch (e) {
    throw gitError(e, "reading the history");
  }
}

/**
 * Replaces the whole history of this clone with one new root commit holding
 * HEAD's tree, on the current branch: every other ref (branches, tags,
 * remote-tracking refs, the stash) is deleted, every reflog expired, and
 * unreachable objects pruned at once (`git gc --prune=now`), so the old
 * commits and blobs are really gone from this clone. Other clones and the
 * remote are untouched (they need a force-push and a fresh clone).
 * @returns the new commit.
 * @throws UserError on a detached HEAD, uncommitted changes, or a git failure.
 */
export async function replaceHistory(git: Git, message: string, as: CommitAs): Promise<{ commit: string; branch: string }> {
  const state = await historyState(git);
  if (!state.branch) throw new UserError("HEAD is detached; check out a branch (git switch main) before rewriting history");
  if (state.dirty) throw new UserError(`uncommitted changes in ${git.root}; commit or discard them first (git status shows them)`);
  const config = await git.identityConfig(as);
  try {
    const tree = (await git.raw(["rev-parse", "HEAD^{tree}"])).trim();
    const commit = (await git.raw(["commit-tree", tree, "-m", message], config)).trim();
    await git.raw(["update-ref", "-m", "coc: replace history", `refs/heads/${state.branch}`, commit]);
    for (const ref of state.otherRefs) await git.raw(["update-ref", "--no-deref", "-d", ref]);
    const dir = await git.dir();
    // Pseudo-refs that may still name old commits.
    for (const name of ["ORIG_HEAD", "FETCH_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD"]) await rm(join(dir, name), { force: true });
    await git.raw(["reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all"]);
    await git.raw(["gc", "--prune=now", "--quiet"]);
    // The new branch, the deleted refs and the pruned objects reach the disk: else a power cut soon after could bring the purged history back.
    await git.flushRefs({ objects: true });
    return { commit, branch: state.branch };
  } catch (e) {
    throw gitError(e, "replacing the history");
  }
}

/** An entry under `cases/` that some commit recorded as something other than a regular file. */
export interface HistoryOddEntry {
  commit: string;
  path: string;
  /** The git mode: 120000 a symbolic link, 160000 a submodule (gitlink). */
  mode: string;
}

/**
 * Every entry under `cases/` (the directory itself included) that any commit
 * reachable from any ref added or changed as something other than a regular
 * file (git modes 100644 and 100755): symlinks above all. One git process.
 * Merges are compared with each parent, so an entry slipped into a merge
 * commit is found too; an entry a merge only brings in from a side branch is
 * named with the commit that made it.
 */
export async function oddCaseEntriesInHistory(git: Git): Promise<HistoryOddEntry[]> {
  let out: string;
  try {
    out = await git.raw(["log", "--all", "-m", "--format=commit %H %P", "--raw", "--no-abbrev", "--no-renames", "--diff-filter=AMT", "--", "cases"]);
  } catch (e) {
    if (/does not have any commits|unknown revision|bad default revision/.test((e as Error).message)) return [];
    throw gitError(e, "reading history");
  }
  // Raw lines: ":<old mode> <new mode> <old blob> <new blob> <status>\t<path>".
  const found: (HistoryOddEntry & { blob: string; merge: boolean })[] = [];
  let commit = "";
  let merge = false;
  for (const line of out.split("\n")) {
    if (line.startsWith("commit ")) {
      const [, id, ...parents] = line.trim().split(" ");
      commit = id ?? "";
      merge = parents.length > 1;
    } else if (line.startsWith(":")) {
      const [meta, path] = line.split("\t");
      const [, mode, , blob] = (meta ?? "").split(" ");
      if (!mode || !blob || !path || mode === "100644" || mode === "100755") continue;
      found.push({ commit, path, mode, blob, merge });
    }
  }
  // A merge shows what it brings in from a side branch: name the commit that made it instead.
  const made = new Set(found.filter((f) => !f.merge).map((f) => `${f.path}\0${f.blob}`));
  const entries = new Map<string, HistoryOddEntry>();
  for (const f of found) {
    if (f.merge && made.has(`${f.path}\0${f.blob}`)) continue;
    entries.set(`${f.commit}\0${f.path}`, { commit: f.commit, path: f.path, mode: f.mode });
  }
  return [...entries.values()];
}
