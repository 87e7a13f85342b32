/**
 * Git for one repository. Local commands run as plain git processes
 * (./spawn.ts); commands that talk to a remote (`coc sync`) go through
 * simple-git, the only module that imports it, for its guard on unsafe
 * options and environment. Every git process runs with a deliberate
 * environment and with `core.hooksPath` forced to coc's own hooks in
 * `.git/coc/hooks`, so no hook that arrived through the remote (or was set in
 * the clone's config) ever runs (DESIGN.md §2, §7); coc's own commits run no
 * hook at all (see {@link Git.commitPaths}).
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { SimpleGit } from "simple-git";
import { UserError } from "../errors.js";
import { flushPath } from "../flush.js";
import { assertAgeFiles } from "./staged.js";
import { runGit, runGitBytes } from "./spawn.js";
import { PACK_THRESHOLD, packCommit, readForPack } from "./pack-commit.js";

export type Env = Readonly<Record<string, string | undefined>>;

// Git runs with a deliberate environment: what it needs to find its config,
// the user's locale and ssh agent, and the few GIT_* settings a user or a test
// may set on purpose. Anything else (GIT_DIR, GIT_EXEC_PATH, pagers, editors)
// could redirect or hijack it, and simple-git's guard refuses those anyway.
const PASS_ENV = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR", "XDG_CONFIG_HOME", "SSH_AUTH_SOCK", "SYSTEMROOT", "USERPROFILE"];
const GIT_ENV = ["GIT_CONFIG_NOSYSTEM", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_TERMINAL_PROMPT"];

/**
 * `paths` in parts of at most 64 KiB of arguments: a roll-back of a large
 * re-encryption names every record, and the system limits a command line
 * (about 2 MiB on Linux, much less elsewhere).
 */
function argumentChunks(paths: readonly string[]): string[][] {
  const parts: string[][] = [];
  let size = Infinity;
  for (const p of paths) {
    if (size + p.length + 1 > 65_536) {
      parts.push([]);
      size = 0;
    }
    parts.at(-1)!.push(p);
    size += p.length + 1;
  }
  return parts;
}

/** The environment a git process gets: only the variables above. */
export function gitEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...PASS_ENV, ...GIT_ENV]) {
    const v = env[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Who commits: the user's git identity when they have one, else the team member. */
export interface CommitAs {
  /** The team member's name, used when git has no user.name / user.email. */
  member: string;
}

/** A git failure as one line: the first "fatal:" or "error:" line git printed. */
export function gitError(e: unknown, doing: string): UserError {
  const message = ((e as Error).message ?? String(e)).trim().split("\n").filter(Boolean);
  const useful = message.find((l) => /^(fatal|error):/.test(l)) ?? message[0] ?? "unknown error";
  return new UserError(`git failed while ${doing}: ${useful.slice(0, 300)}`);
}

/** Where coc's own commits look for hooks: nowhere (no hook runs for them). */
const NO_HOOKS = "/dev/null";

/**
 * Every git process coc runs flushes the objects and refs it writes to disk
 * before it exits (objects from git 2.36, refs from 2.37; older git ignores
 * the setting). git's default flushes neither: a power cut in the seconds
 * after a report could leave the branch pointing at empty object files, the
 * report lost and the clone broken.
 */
const DURABLE = "core.fsync=committed";

/** The git directory shared by every worktree of a clone (`commondir` in a linked worktree's git directory). */
async function commonDir(dir: string): Promise<string> {
  const linked = await readFile(join(dir, "commondir"), "utf8").catch(() => undefined);
  return linked === undefined ? dir : resolve(dir, linked.trim());
}

/** coc's hooks directory inside a git directory: the only hooks that ever run. */
export function cocHooksDir(gitDir: string): string {
  return join(gitDir, "coc", "hooks");
}

/** One repository's git. Cheap to make; simple-git is loaded only when a remote is involved. */
export class Git {
  readonly root: string;
  readonly env: Env;
  #dir: string | undefined;

  constructor(root: string, env: Env) {
    this.root = root;
    this.env = env;
  }

  /** The repository's git directory (absolute); no git process when `.git` is a directory at the root. */
  async dir(): Promise<string> {
    if (this.#dir) return this.#dir;
    try {
      if ((await stat(join(this.root, ".git"))).isDirectory()) return (this.#dir = join(this.root, ".git"));
    } catch {
      // a worktree or a submodule: ask git
    }
    let out: string;
    try {
      out = await this.#plain(["rev-parse", "--absolute-git-dir"]);
    } catch {
      throw new UserError(`${this.root} is not a git repository (no .git); clone the team's repository or run \`git init\` there`);
    }
    return (this.#dir = out.trim());
  }

  /** coc's own hooks directory of this clone. */
  async hooksDir(): Promise<string> {
    return cocHooksDir(await this.dir());
  }

  #plain(args: string[]): Promise<string> {
    return runGit(this.root, gitEnv(this.env), args);
  }

  /** A simple-git instance (for commands that talk to a remote) whose every process runs coc's hooks only, plus `config` (`-c k=v`). */
  async open(config: readonly string[] = []): Promise<SimpleGit> {
    const { simpleGit } = await import("simple-git");
    const hooks = await this.hooksDir();
    const git = simpleGit({
      baseDir: this.root,
      config: [`core.hooksPath=${hooks}`, DURABLE, ...config],
      maxConcurrentProcesses: 4,
      allowEnvironment: GIT_ENV,
      unsafe: { allowUnsafeHooksPath: true, allowUnsafeSshCommand: true },
    });
    return git.env(gitEnv(this.env));
  }

  /**
   * `git <args>` (a local command), with coc's hooks only, plus `config` (`-c k=v`).
   * @throws GitCommandError on any non-zero exit, with what git printed (callers translate it with {@link gitError}).
   */
  async raw(args: readonly string[], config: readonly string[] = []): Promise<string> {
    return this.#run(await this.hooksDir(), args, config);
  }

  /**
   * `git <args>` for plumbing that builds objects: `input` on standard input,
   * the output as bytes, and `index` as the index file when given (a scratch
   * index, never the user's).
   */
  async plumbing(args: readonly string[], opts: { input?: Uint8Array | string; index?: string } = {}): Promise<Buffer> {
    const env = { ...gitEnv(this.env), ...(opts.index ? { GIT_INDEX_FILE: opts.index } : {}) };
    return runGitBytes(this.root, env, [...[`core.hooksPath=${await this.hooksDir()}`, DURABLE].flatMap((c) => ["-c", c]), ...args], opts.input);
  }

  #run(hooks: string, args: readonly string[], config: readonly string[], input?: Uint8Array | string): Promise<string> {
    return runGit(this.root, gitEnv(this.env), [...[`core.hooksPath=${hooks}`, DURABLE, ...config].flatMap((c) => ["-c", c]), ...args], input);
  }

  /**
   * The value of a git setting, or undefined.
   * @param scope "local": only this clone's own config file (not `-c` values, not the user's global config).
   */
  async config(key: string, scope: "any" | "local" = "any"): Promise<string | undefined> {
    try {
      const value = (await this.raw(["config", ...(scope === "local" ? ["--local"] : []), "--get", key])).trim();
      return value === "" ? undefined : value;
    } catch {
      return undefined;
    }
  }

  /** Sets a setting in this clone's config. */
  async setConfig(key: string, value: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.raw(["config", key, value]);
        return;
      } catch (e) {
        // Another git (another coc command starting in this clone, say) writing the config at the same moment:
        // done if it set the same value, else tried again; in the end one line, never an internal error.
        if (!/could not lock config file/.test((e as Error).message ?? "")) throw gitError(e, `setting ${key}`);
        if ((await this.config(key, "local")) === value) return;
        if (attempt >= 5) throw gitError(e, `setting ${key}`);
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  /** `-c user.name/user.email` for whichever of them git lacks (GIT_AUTHOR_* / GIT_COMMITTER_* still win). */
  async identityConfig(as: CommitAs): Promise<string[]> {
    // One git process for both (a missing key is no line; none at all exits 1).
    const set = new Map<string, string>();
    for (const line of (await this.raw(["config", "--get-regexp", "^user\\.(name|email)$"]).catch(() => "")).split("\n")) {
      const space = line.indexOf(" ");
      if (space > 0 && line.slice(space + 1).trim() !== "") set.set(line.slice(0, space).toLowerCase(), line.slice(space + 1));
    }
    const [name, email] = [set.get("user.name"), set.get("user.email")];
    const config: string[] = [];
    if (!name) config.push(`user.name=${as.member}`);
    if (!email) config.push(`user.email=${as.member}@coc.invalid`);
    return config;
  }

  /**
   * Stages exactly `paths` (additions, changes and deletions, relative to the
   * root) and commits them with `message`. Nothing is committed when nothing
   * changed. @returns true when a commit was made.
   *
   * coc's own commit runs no hook at all (`core.hooksPath` points nowhere, and
   * `--no-verify`): the guard's one check, that every file under cases/ is
   * age-encrypted, is made here in-process on exactly the files committed.
   * No automatic gc or maintenance runs after it either: it would run while
   * the next coc command writes. A few paths: `git add` + `git commit`; many
   * (a re-encryption): one pack through fast-import (./pack-commit.ts).
   * @throws UserError when a file under cases/ is not age-encrypted, or git refuses.
   */
  async commitPaths(paths: readonly string[], message: string, as: CommitAs): Promise<boolean> {
    const committed = await this.#commitPaths(paths, message, as);
    if (committed) await this.flushRefs();
    return committed;
  }

  /**
   * Flushes to disk the directories whose entries a commit (or, with
   * `objects`, a history rewrite and its `gc`) changed. git flushes the
   * branch file's new content (DURABLE) but not its rename into place, so a
   * power cut soon after could bring back the commit before, and the next
   * command would roll the change back from its journal (a report gone), or
   * a purged history come back. The branch's directory and those above it up
   * to `refs/heads` (in the clone's shared git directory when this is a
   * linked worktree; `reftable/` for a reftable repository), or the git
   * directory for a detached HEAD; with `objects`, also `packed-refs`'
   * directory and the object store's. Never fails: a file system that cannot
   * flush a directory leaves it to its own timing.
   */
  async flushRefs(opts: { objects?: boolean } = {}): Promise<void> {
    try {
      const dir = await this.dir();
      const common = await commonDir(dir);
      const head = (await readFile(join(dir, "HEAD"), "utf8")).trim();
      const dirs = new Set<string>();
      const heads = join(common, "refs", "heads");
      if (!head.startsWith("ref: ")) dirs.add(dir);
      else if (existsSync(join(common, "reftable"))) dirs.add(join(common, "reftable"));
      else for (let d = dirname(join(common, head.slice(5).trim())); d === heads || d.startsWith(`${heads}${sep}`); d = dirname(d)) dirs.add(d);
      if (opts.objects) for (const d of [common, join(common, "objects", "pack"), join(common, "objects")]) dirs.add(d);
      for (const d of dirs) await flushPath(d);
    } catch {
      // See above.
    }
  }

  async #commitPaths(paths: readonly string[], message: string, as: CommitAs): Promise<boolean> {
    const files = paths.length >= PACK_THRESHOLD ? readForPack(this.root, paths) : undefined;
    if (!files) await assertAgeFiles(this.root, paths);
    const config = [...(await this.identityConfig(as)), "gc.auto=0", "maintenance.auto=false"];
    const run = (args: readonly string[], input?: Uint8Array | string) => this.#run(NO_HOOKS, args, config, input);
    if (files) {
      try {
        const committed = await packCommit(run, (fn) => this.#retryingIndex(fn, () => undefined), files, message);
        if (committed !== undefined) return committed;
      } catch (e) {
        throw gitError(e, "committing");
      }
    }
    return this.#retryingIndex(
      async () => {
        await run(["add", "--all", "--", ...paths]);
        try {
          await run(["commit", "--quiet", "--no-verify", "-m", message, "--", ...paths]);
          return true;
        } catch (e) {
          // "nothing to commit" is a failed commit too: tell it from a real failure by what is staged.
          if ((await run(["diff", "--cached", "--name-only", "--", ...paths])).trim() === "") return false;
          throw e;
        }
      },
      // Leave the index as it was so a retry starts clean.
      () => run(["reset", "--quiet", "--", ...paths]).catch(() => undefined),
    ).catch((e: unknown) => {
      throw gitError(e, "committing");
    });
  }

  /** Runs `fn` again (after `undo`) while another git process holds the index for a moment (the user's, or one a finished coc command left running). */
  async #retryingIndex<T>(fn: () => Promise<T>, undo: () => unknown): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        await undo();
        if (attempt < 5 && /index\.lock': File exists/.test((e as Error).message ?? "")) {
          await new Promise((r) => setTimeout(r, 100 * attempt));
          continue;
        }
        throw e;
      }
    }
  }

  /** Unstages `paths` (used when rolling back a failed write). */
  async unstage(paths: readonly string[]): Promise<void> {
    // A failure (a full disk: git cannot write the index) is the caller's to know: a roll-back then keeps its journal.
    for (const part of argumentChunks(paths)) await this.raw(["reset", "--quiet", "--", ...part]).catch((e: unknown) => Promise.reject(gitError(e, "undoing a change in the index")));
  }

  /**
   * Restores `paths` to their committed content (used when rolling back a
   * failed re-encryption): those HEAD holds, since git refuses the whole list
   * for one path it does not know; the others are left as they are.
   */
  async restore(paths: readonly string[]): Promise<void> {
    const committed = await this.committedPaths();
    const known = paths.filter((p) => committed.has(p.replace(/\/+$/, "")));
    for (const part of argumentChunks(known)) await this.raw(["checkout", "HEAD", "--", ...part]).catch((e: unknown) => Promise.reject(gitError(e, "restoring files from HEAD")));
  }

  /** The paths HEAD holds, files and the directories above them (empty before the first commit). */
  async committedPaths(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const file of (await this.raw(["ls-tree", "-r", "-z", "--name-only", "HEAD"]).catch(() => "")).split("\0")) {
      for (let p = file; p !== "" && !out.has(p); p = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "") out.add(p);
    }
    return out;
  }

  /** The commit HEAD points at, or null before the first commit. */
  async head(): Promise<string | null> {
    try {
      return (await this.raw(["rev-parse", "--verify", "--quiet", "HEAD"])).trim() || null;
    } catch {
      return null;
    }
  }

  /** The subject of the last commit, or null. */
  async lastCommitMessage(): Promise<string | null> {
    try {
      return (await this.raw(["log", "-1", "--format=%s"])).trim() || null;
    } catch {
      return null;
    }
  }

  /** The names of the repository's remotes. */
  async remotes(): Promise<string[]> {
    return (await this.raw(["remote"])).split("\n").map((r) => r.trim()).filter(Boolean);
  }

  /** The current branch, or undefined on a detached HEAD. */
  async currentBranch(): Promise<string | undefined> {
    const name = (await this.raw(["rev-parse", "--abbrev-ref", "HEAD"])).trim();
    return name === "HEAD" ? undefined : name;
  }

  /** `git init` (branch main) when `alreadyGit` is false. */
  async init(alreadyGit: boolean): Promise<void> {
    if (alreadyGit) return;
    try {
      await this.#plain(["init", "--quiet", "--initial-branch=main"]);
    } catch (e) {
      throw gitError(e, "initialising the repository");
    }
  }
}
