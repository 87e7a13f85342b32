/**
 * The lock that keeps two coc commands in one clone from changing it at
 * once: one file in .git/coc/, created with `O_EXCL` (atomic: of two
 * processes, exactly one gets it), naming its process.
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { UserError } from "../errors.js";

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
    return JSON.parse(await readFile(path, "utf8")) as { pid: number; token?: string };
  } catch {
    return undefined;
  }
}

/** The error for a repository another coc process is changing, with how to clear a lock left over. */
export function busy(pid: number, lockFile: string): UserError {
  return new UserError(`another coc command (process ${pid}) is changing this repository; try again when it has finished`, [
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
    try {
      const fh = await open(lock, "wx", 0o600);
      await fh.writeFile(mine);
      await fh.close();
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const other = await readOwner(lock);
    if (other && other.pid !== owner.pid && owner.alive(other.pid, other.token)) throw busy(other.pid, lock);
    // Left over by a process that is gone: take it over. Moving it aside
    // first means two processes taking over at once cannot both succeed.
    const aside = `${lock}.${randomBytes(4).toString("hex")}.stale`;
    try {
      await rename(lock, aside);
      await rm(aside, { force: true });
    } catch {
      // someone else took it over first; try again
    }
  }
  throw busy(0, lock);
}
