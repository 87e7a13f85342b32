/**
 * The lock that keeps two coc commands in one clone from changing it at
 * once: one file in .git/coc/ naming its process, created atomically with
 * that name already in it (of two processes, exactly one gets it, and no
 * other ever reads it half-written).
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, link, lstat, open, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UserError } from "../errors.js";
import { readStateFile } from "../state-file.js";

/**
 * Who is changing the repository: this process, and how to tell whether
 * another one still runs (supplied by the front end: the lock lives in this
 * clone's .git, so it is always a process on this machine).
 */
export interface ProcessOwner {
  pid: number;
  /** Something that differs between two processes that had the same pid (e.g. the start time), when known. */
  token?: string | undefined;
  /** True when process `pid` runs and, when `token` is given, is the one that had it. */
  alive(pid: number, token?: string): boolean;
}

/** Without an owner, no other process is ever considered running. */
export const NO_OWNER: ProcessOwner = { pid: 0, alive: () => false };

/** The process a lock (or a journal) names, or undefined when there is none or it is unreadable. */
export async function readOwner(path: string): Promise<{ pid: number; token?: string } | undefined> {
  try {
    const owner = JSON.parse((await readStateFile(path)) ?? "null") as { pid?: unknown; token?: unknown } | null;
    // Not a process's id (0 or -1 would stand for a whole group of processes, and always seem to run): unreadable.
    if (!Number.isSafeInteger(owner?.pid) || (owner!.pid as number) <= 0) return undefined;
    return typeof owner!.token === "string" ? { pid: owner!.pid as number, token: owner!.token } : { pid: owner!.pid as number };
  } catch {
    return undefined;
  }
}

/**
 * The process the lock at `lock` names, as {@link readOwner}.
 * @throws UserError when it is not a file (a directory, a symbolic link) or coc may not read it: never taken for left over.
 */
async function lockOwner(lock: string): Promise<{ pid: number; token?: string } | undefined> {
  const st = await lstat(lock).catch(() => undefined);
  const remove = [`If no coc command is running, remove ${lock}`];
  if (st && !st.isFile()) throw new UserError(`the lock ${lock} is not a file (${st.isDirectory() ? "a directory" : st.isSymbolicLink() ? "a symbolic link" : "something else"}); coc changes nothing while it is there`, remove);
  const denied = await access(lock, constants.R_OK).then(
    () => false,
    (e: unknown) => ["EACCES", "EPERM"].includes((e as NodeJS.ErrnoException).code ?? ""),
  );
  if (denied) throw new UserError(`coc may not read the lock ${lock} (permission denied); coc changes nothing while it is there`, remove);
  return readOwner(lock);
}

/** The error for a repository another coc process is changing, with how to clear a lock left over. */
export function busy(pid: number, lockFile: string): UserError {
  return new UserError(`another coc command${pid > 0 ? ` (process ${pid})` : ""} is changing this repository; try again when it has finished`, [
    `If no coc command is running, the lock is left over: remove ${lockFile}`,
  ]);
}

/**
 * Takes the lock for `owner`; a lock whose process is gone is taken over.
 * @throws UserError when another live coc process holds it.
 */
export async function acquireLock(lock: string, owner: ProcessOwner): Promise<void> {
  const mine = JSON.stringify({ pid: owner.pid, token: owner.token });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await create(lock, mine)) {
      await sweep(lock);
      return;
    }
    const other = await lockOwner(lock);
    if (other && runs(other, owner)) throw busy(other.pid, lock);
    // Empty or unreadable: a process may be writing its name into it this very moment (on a file system
    // without hard links, see create); only one untouched for a while was left by a process killed at once.
    if (!other && (await age(lock)) < STALE_UNREADABLE_MS) throw busy(0, lock);
    await takeOver(lock, owner);
  }
  throw busy(0, lock);
}

/**
 * Removes a lock left over by a process that is gone. One process at a time
 * does (it holds `lock.takeover` meanwhile), and only after judging the lock
 * again under it: otherwise one that judged it left over could, a moment
 * later, remove the lock another process has just taken over, and both would
 * hold it.
 */
async function takeOver(lock: string, owner: ProcessOwner): Promise<void> {
  const guard = `${lock}.takeover`;
  if (!(await create(guard, JSON.stringify({ pid: owner.pid, token: owner.token })))) {
    // Another process is taking it over this moment (then it holds the lock next), or was killed doing so.
    const other = await lockOwner(guard);
    if (other ? runs(other, owner) : !isStale(await age(guard))) return;
    await removeIfUnchanged(guard, other);
    return;
  }
  try {
    // Under the guard, the lock's name changes only by its holder releasing it, or by a process creating it where none is.
    const other = await lockOwner(lock);
    if (other ? runs(other, owner) : !isStale(await age(lock))) return;
    const aside = `${lock}.${randomBytes(4).toString("hex")}.stale`;
    await rename(lock, aside).catch(() => undefined);
    await rm(aside, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/**
 * Removes `path`, left by a process that is gone, unless it has meanwhile become another's: then it is put back
 * (of processes removing the same leftover at once, one may otherwise remove the file another has just created).
 */
async function removeIfUnchanged(path: string, judged: { pid: number; token?: string } | undefined): Promise<void> {
  const aside = `${path}.${randomBytes(4).toString("hex")}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const now = await readOwner(aside);
  if (JSON.stringify(now) !== JSON.stringify(judged)) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Whether the process a lock names runs, and is not this one (a file naming this process was left by an earlier one with its id). */
const runs = (other: { pid: number; token?: string }, owner: ProcessOwner): boolean => other.pid !== owner.pid && owner.alive(other.pid, other.token);

/** An empty or unreadable lock younger than this may be one being written; older, one a killed process left. */
const STALE_UNREADABLE_MS = 60_000;

/** Whether an empty or unreadable file of that age was left by a process killed at once (not when it is gone). */
const isStale = (ms: number): boolean => ms >= STALE_UNREADABLE_MS && ms !== Number.POSITIVE_INFINITY;

/** How long ago the file at `path` was last changed, in ms (Infinity when it is gone). */
async function age(path: string): Promise<number> {
  const st = await stat(path).catch(() => undefined);
  return st ? Date.now() - st.mtimeMs : Number.POSITIVE_INFINITY;
}

/**
 * Creates the lock with `content` already in it: written to a new file of
 * its own first, then linked under the lock's name (a hard link is created
 * atomically, and fails when the name exists), so no other process ever
 * reads it empty. Where the file system has no hard links, created with
 * `O_EXCL` and then written.
 * @returns false when the lock exists.
 */
async function create(lock: string, content: string): Promise<boolean> {
  const temp = `${lock}.${randomBytes(4).toString("hex")}.new`;
  try {
    await writeFile(temp, content, { mode: 0o600, flag: "wx" });
    try {
      await link(temp, lock);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST") return false;
      if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EMLINK"].includes(code ?? "")) throw e;
    }
  } finally {
    await rm(temp, { force: true });
  }
  try {
    const fh = await open(lock, "wx", 0o600);
    await fh.writeFile(content);
    await fh.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

/**
 * Removes the files a process killed while creating or taking over the lock left (only old ones: others may be
 * in use). Never fails: the lock is already taken; what cannot be removed (a directory, say) is left as it is.
 */
async function sweep(lock: string): Promise<void> {
  const dir = dirname(lock);
  const prefix = `${basename(lock)}.`;
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    if (f.startsWith(prefix) && (f.endsWith(".new") || f.endsWith(".stale")) && (await age(join(dir, f))) >= STALE_UNREADABLE_MS) await rm(join(dir, f), { force: true }).catch(() => undefined);
  }
}

/** How long a killed coc command's git may go on holding the index before the next command gives up waiting for it. */
const INDEX_WAIT_MS = 5_000;

/**
 * Waits until no git process holds the index of the repository whose git
 * directory is `gitDir`: a coc command killed on its own leaves the git it
 * started (an add, a commit) running, and its change may be settled only once
 * that git has finished (else a roll-back is undone by it, or overtaken by its commit).
 * @throws UserError when the index stays locked.
 */
export async function whenIndexFree(gitDir: string): Promise<void> {
  const lockFile = join(gitDir, "index.lock");
  for (let waited = 0; await stat(lockFile).then(() => true, () => false); waited += 100) {
    if (waited >= INDEX_WAIT_MS) {
      throw new UserError(`another git command is using this repository (${lockFile} exists); try again when it has finished`, [
        `If no git command is running, the lock is left over: remove ${lockFile}`,
      ]);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
