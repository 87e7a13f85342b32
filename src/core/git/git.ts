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
