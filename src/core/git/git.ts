/**
 * Git, through simple-git: the only module that imports it. Every change coc
 * makes is one commit with a neutral message and no case content.
 */
import type { SimpleGit } from "simple-git";
import { UserError } from "../../errors.js";

export type Env = Readonly<Record<string, string | undefined>>;

// Git runs with a deliberate environment: what it needs to find its config,
// the user's locale and ssh agent, and the few GIT_* settings a user or a test
// may set on purpose. Anything else (GIT_DIR, GIT_EXEC_PATH, pagers, editors)
// could redirect or hijack it, and simple-git's guard refuses those anyway.
const PASS_ENV = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR", "XDG_CONFIG_HOME", "SSH_AUTH_SOCK", "SYSTEMROOT", "USERPROFILE"];
const GIT_ENV = [
  "GIT_CONFIG_NOSYSTEM",
  "GIT_AUTHOR_NAME",
  "GIT_AUTHOR_EMAIL",
  "GIT_COMMITTER_NAME",
  "GIT_COMMITTER_EMAIL",
  "GIT_SSH_COMMAND",
  "GIT_SSL_CAINFO",
  "GIT_TERMINAL_PROMPT",
];

function cleanEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...PASS_ENV, ...GIT_ENV]) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

// simple-git is loaded on first use: reading cases never needs it.
async function open(root: string, env: Env, config: string[] = [], allowHooksPath = false): Promise<SimpleGit> {
  const { simpleGit } = await import("simple-git");
  const git = simpleGit({
    baseDir: root,
    config,
    maxConcurrentProcesses: 4,
    allowEnvironment: GIT_ENV,
    unsafe: allowHooksPath ? { allowUnsafeHooksPath: true, allowUnsafeSshCommand: true } : { allowUnsafeSshCommand: true },
  });
  return git.env(cleanEnv(env));
}

function gitError(e: unknown, doing: string): UserError {
  const message = ((e as Error).message ?? String(e)).trim().split("\n").filter(Boolean);
  const useful = message.find((l) => /^(fatal|error):/.test(l)) ?? message[0] ?? "unknown error";
  return new UserError(`git failed while ${doing}: ${useful}`);
}

/** True when `git` is installed and can run. */
export async function gitAvailable(env: Env, cwd: string): Promise<boolean> {
  try {
    await (await open(cwd, env)).raw(["--version"]);
    return true;
  } catch {
    return false;
  }
}

/** True when `dir` is inside a git work tree. */
export async function isGitRepo(dir: string, env: Env): Promise<boolean> {
  try {
    return (await (await open(dir, env)).raw(["rev-parse", "--is-inside-work-tree"])).trim() === "true";
  } catch {
    return false;
  }
}

/** `git init` (branch main) and point `core.hooksPath` at `.coc/hooks` so the pre-commit guard runs. */
export async function initRepository(root: string, env: Env, alreadyGit: boolean): Promise<void> {
  const git = await open(root, env, [], true);
  try {
    if (!alreadyGit) await git.raw(["init", "--quiet", "--initial-branch=main"]);
    await git.raw(["config", "core.hooksPath", ".coc/hooks"]);
  } catch (e) {
    throw gitError(e, "initialising the repository");
  }
}

/** The configured value of a git setting, or undefined. */
async function configValue(git: SimpleGit, key: string): Promise<string | undefined> {
  try {
    const value = (await git.raw(["config", "--get", key])).trim();
    return value === "" ? undefined : value;
  } catch {
    return undefined;
  }
}

/** Who commits: the user's git identity when they have one, else the team member. */
export interface CommitAs {
  /** The team member's name, used when git has no user.name / user.email. */
  member: string;
}

async function identityConfig(root: string, env: Env, as: CommitAs): Promise<string[]> {
  const git = await open(root, env);
  // GIT_AUTHOR_* / GIT_COMMITTER_* override user.* by themselves; the fallback
  // is still needed for whichever of author and committer they do not cover.
  const name = await configValue(git, "user.name");
  const email = await configValue(git, "user.email");
  const config: string[] = [];
  if (!name) config.push(`user.name=${as.member}`);
  if (!email) config.push(`user.email=${as.member}@coc.invalid`);
  return config;
}

/**
 * Stages exactly `paths` (additions, changes and deletions, relative to the
 * root) and commits them with `message`. Nothing is committed when nothing
 * changed. @returns true when a commit was made.
 * @throws UserError when git refuses (for example the pre-commit guard).
 */
export async function commitPaths(root: string, env: Env, paths: readonly string[], message: string, as: CommitAs): Promise<boolean> {
  const git = await open(root, env, await identityConfig(root, env, as));
  try {
    await git.raw(["add", "--all", "--", ...paths]);
    const staged = (await git.raw(["diff", "--cached", "--name-only", "--", ...paths])).trim();
    if (staged === "") return false;
    await git.raw(["commit", "--quiet", "-m", message, "--", ...paths]);
    return true;
  } catch (e) {
    // Leave the index as it was so a retry starts clean.
    await git.raw(["reset", "--quiet", "--", ...paths]).catch(() => undefined);
    throw gitError(e, "committing");
  }
}

/** Unstages `paths` (used when rolling back a failed write). */
export async function unstage(root: string, env: Env, paths: readonly string[]): Promise<void> {
  await (await open(root, env)).raw(["reset", "--quiet", "--", ...paths]).catch(() => undefined);
}

/** Restores `paths` to their committed content (used when rolling back a failed re-encryption). */
export async function restorePaths(root: string, env: Env, paths: readonly string[]): Promise<void> {
  await (await open(root, env)).raw(["checkout", "HEAD", "--", ...paths]).catch(() => undefined);
}

/** The value of a git config key in the repository, or undefined. */
export async function getConfig(root: string, env: Env, key: string): Promise<string | undefined> {
  return configValue(await open(root, env), key);
}

/** A blob that was added or changed under `cases/` by some commit of any branch. */
export interface HistoryBlob {
  commit: string;
  path: string;
  blob: string;
}

/** Every blob ever written under `cases/` in any commit reachable from any ref, with the commit that wrote it. */
export async function caseBlobsInHistory(root: string, env: Env): Promise<HistoryBlob[]> {
  const git = await open(root, env);
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
export async function blobHeads(root: string, env: Env, blobs: readonly string[], bytes = 64): Promise<Map<string, Buffer>> {
  const unique = [...new Set(blobs)];
  const heads = new Map<string, Buffer>();
  if (unique.length === 0) return heads;
  const { spawn } = await import("node:child_process");
  const child = spawn("git", ["cat-file", "--batch"], { cwd: root, env: cleanEnv(env), stdio: ["pipe", "pipe", "pipe"] });
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

/** The names of the repository's remotes. */
export async function remotes(root: string, env: Env): Promise<string[]> {
  return (await (await open(root, env)).raw(["remote"])).split("\n").map((r) => r.trim()).filter(Boolean);
}

/** The current branch, or undefined on a detached HEAD. */
export async function currentBranch(root: string, env: Env): Promise<string | undefined> {
  const name = (await (await open(root, env)).raw(["rev-parse", "--abbrev-ref", "HEAD"])).trim();
  return name === "HEAD" ? undefined : name;
}

/** The root commit(s) of the repository: the same in every clone, so it identifies the repository. */
export async function rootCommit(root: string, env: Env): Promise<string | undefined> {
  try {
    const out = (await (await open(root, env)).raw(["rev-list", "--max-parents=0", "HEAD"])).trim().split("\n").filter(Boolean).sort();
    return out[0];
  } catch {
    return undefined;
  }
}

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
export async function pullAndPush(root: string, env: Env, as: CommitAs): Promise<SyncResult> {
  const git = await open(root, env, await identityConfig(root, env, as));
  const names = await remotes(root, env);
  if (names.length === 0) throw new UserError("no git remote is configured; add a private one with: git remote add origin <url>");
  const branch = await currentBranch(root, env);
  if (!branch) throw new UserError("HEAD is detached; check out a branch (git switch main) before syncing");
  const upstream = (await git.raw(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]).catch(() => "")).trim();
  const remote = upstream ? upstream.split("/")[0]! : names.includes("origin") ? "origin" : names[0]!;
  const remoteBranch = upstream ? upstream.slice(remote.length + 1) : branch;
  const status = (await git.raw(["status", "--porcelain", "--untracked-files=no"])).trim();
  if (status !== "") throw new UserError(`uncommitted changes in ${root}; commit or discard them first (git status shows them)`);

  const before = (await git.raw(["rev-parse", "HEAD"])).trim();
  let remoteHas = true;
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

/**
 * Makes sure the pre-commit guard runs in this clone (a fresh `git clone`
 * does not carry local config). @returns true when it had to be set.
 */
export async function ensureHooksPath(root: string, env: Env): Promise<boolean> {
  if ((await getConfig(root, env, "core.hooksPath")) === ".coc/hooks") return false;
  await (await open(root, env, [], true)).raw(["config", "core.hooksPath", ".coc/hooks"]);
  return true;
}

/** The repository's git directory (absolute). */
export async function gitDir(root: string, env: Env): Promise<string> {
  return (await (await open(root, env)).raw(["rev-parse", "--absolute-git-dir"])).trim();
}

/** The commit HEAD points at, or null before the first commit. */
export async function headCommit(root: string, env: Env): Promise<string | null> {
  try {
    return (await (await open(root, env)).raw(["rev-parse", "--verify", "--quiet", "HEAD"])).trim() || null;
  } catch {
    return null;
  }
}

/** The subject of the last commit, or null. */
export async function lastCommitMessage(root: string, env: Env): Promise<string | null> {
  try {
    return (await (await open(root, env)).raw(["log", "-1", "--format=%s"])).trim() || null;
  } catch {
    return null;
  }
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
export async function historyState(root: string, env: Env): Promise<HistoryState> {
  const git = await open(root, env);
  try {
    const branch = await currentBranch(root, env);
    const commits = Number((await git.raw(["rev-list", "--all", "--count"])).trim()) || 0;
    const refs = (await git.raw(["for-each-ref", "--format=%(refname)"])).split("\n").map((r) => r.trim()).filter(Boolean);
    const otherRefs = refs.filter((r) => r !== `refs/heads/${branch}`);
    const upstream = (await git.raw(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]).catch(() => "")).trim();
    const names = await remotes(root, env);
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
export async function replaceHistory(root: string, env: Env, message: string, as: CommitAs): Promise<{ commit: string; branch: string }> {
  const state = await historyState(root, env);
  if (!state.branch) throw new UserError("HEAD is detached; check out a branch (git switch main) before rewriting history");
  if (state.dirty) throw new UserError(`uncommitted changes in ${root}; commit or discard them first (git status shows them)`);
  const git = await open(root, env, await identityConfig(root, env, as));
  try {
    const tree = (await git.raw(["rev-parse", "HEAD^{tree}"])).trim();
    const commit = (await git.raw(["commit-tree", tree, "-m", message])).trim();
    await git.raw(["update-ref", "-m", "coc: replace history", `refs/heads/${state.branch}`, commit]);
    for (const ref of state.otherRefs) await git.raw(["update-ref", "--no-deref", "-d", ref]);
    const { rm } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const dir = (await git.raw(["rev-parse", "--absolute-git-dir"])).trim();
    // Pseudo-refs that may still name old commits.
    for (const name of ["ORIG_HEAD", "FETCH_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD"]) await rm(join(dir, name), { force: true });
    await git.raw(["reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all"]);
    await git.raw(["gc", "--prune=now", "--quiet"]);
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
export async function oddCaseEntriesInHistory(root: string, env: Env): Promise<HistoryOddEntry[]> {
  const git = await open(root, env);
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
