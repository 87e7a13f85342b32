/**
 * Changes to the repository that must be all or nothing: a re-encryption
 * (recusal, exclusion, member removal) rewrites many files, and a process
 * killed half-way must not leave a case half re-encrypted. Every file is
 * first encrypted into a temp file; a journal in .git/coc/ then lists what
 * is about to change; the files are moved into place and committed; the
 * journal is removed. If the process dies in between, the next coc command
 * finds the journal and finishes the job when the commit was made, or puts
 * everything back as it was when it was not.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { commitPaths, gitDir, headCommit, lastCommitMessage, restorePaths, unstage, type CommitAs, type Env } from "../git/git.js";
import { UserError } from "../../errors.js";
import type { RepoPaths } from "./layout.js";
import { checkRecordDestination, stageRecords, type PendingWrite } from "./store.js";

interface Journal {
  coc: 1;
  message: string;
  /** HEAD before the change (null in a repository without commits). */
  head: string | null;
  /** [temp, final] absolute paths, in order. */
  moves: [string, string][];
  /** Repository-relative paths that the change writes (records and other files). */
  paths: string[];
  /** Of those, the ones that existed before (restored from HEAD on roll-back); the others are removed. */
  existing: string[];
  /** The process doing the change: while it runs, nobody else touches the repository's records. */
  pid: number;
}

/**
 * Who is changing the repository: this process's id, and how to tell whether
 * another process still runs (supplied by the front end; the journal lives in
 * this clone's .git, so it is always a process on this machine).
 */
export interface ProcessOwner {
  pid: number;
  alive(pid: number): boolean;
}

/** Without an owner, no process is ever considered running (no locking). */
const NO_OWNER: ProcessOwner = { pid: 0, alive: () => false };

async function readJournal(jpath: string): Promise<Journal | undefined> {
  try {
    return JSON.parse(await readFile(jpath, "utf8")) as Journal;
  } catch {
    return undefined;
  }
}

export interface Transaction {
  /** Records to (re)write. */
  writes: readonly PendingWrite[];
  /** Other files to write, e.g. `.coc/team.yaml`, relative to the root. */
  files?: readonly { rel: string; content: string }[];
  message: string;
  as: CommitAs;
  /** The process making the change, for the lock between coc commands. */
  owner?: ProcessOwner | undefined;
  /** Test hook: called after each file is moved into place. */
  afterMove?: ((index: number) => void) | undefined;
  /** Test hook: called after the commit, before the journal is removed. */
  afterCommit?: (() => void) | undefined;
}

async function journalPath(paths: RepoPaths, env: Env): Promise<string> {
  // The common case without a git process: .git is a directory at the root.
  try {
    if ((await stat(join(paths.root, ".git"))).isDirectory()) return join(paths.root, ".git", "coc", "journal.json");
  } catch {
    // a worktree or a submodule: ask git
  }
  return join(await gitDir(paths.root, env), "coc", "journal.json");
}

async function exists(p: string): Promise<boolean> {
  try {
    await readFile(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies the transaction and commits it.
 * @returns the repository-relative paths written, and whether a commit was made.
 */
export async function commitTransaction(paths: RepoPaths, env: Env, t: Transaction): Promise<{ written: string[]; committed: boolean }> {
  const staged = await stageRecords(paths, t.writes);
  const others = await Promise.all(
    (t.files ?? []).map(async (f) => {
      const final = join(paths.root, f.rel);
      const temp = `${final}.${randomBytes(4).toString("hex")}.tmp`;
      await writeFile(temp, f.content);
      return { temp, final, rel: f.rel };
    }),
  );
  const all = [...staged, ...others];
  const journal: Journal = {
    coc: 1,
    message: t.message,
    head: await headCommit(paths.root, env),
    moves: all.map((x) => [x.temp, x.final]),
    paths: all.map((x) => x.rel),
    existing: [],
    pid: (t.owner ?? NO_OWNER).pid,
  };
  try {
    // Again right before anything is moved: a record is never renamed into a
    // symlinked directory nor over anything but a regular file.
    for (const x of staged) await checkRecordDestination(paths, x.rel);
  } catch (e) {
    await Promise.all(all.map((x) => rm(x.temp, { force: true })));
    throw e;
  }
  for (const x of all) if (await exists(x.final)) journal.existing.push(x.rel);
  const jpath = await journalPath(paths, env);
  await mkdir(join(jpath, ".."), { recursive: true });
  const other = await readJournal(jpath);
  if (other && (t.owner ?? NO_OWNER).alive(other.pid)) {
    await Promise.all(all.map((x) => rm(x.temp, { force: true })));
    throw new UserError(`another coc command (process ${other.pid}) is changing this repository; try again when it has finished`);
  }
  await writeFile(`${jpath}.tmp`, JSON.stringify(journal));
  await rename(`${jpath}.tmp`, jpath);
  try {
    for (const [i, x] of all.entries()) {
      await rename(x.temp, x.final);
      t.afterMove?.(i);
    }
    const committed = await commitPaths(paths.root, env, journal.paths, t.message, t.as);
    t.afterCommit?.();
    await rm(jpath, { force: true });
    return { written: staged.map((x) => x.rel), committed };
  } catch (e) {
    await rollBack(paths, env, journal);
    await rm(jpath, { force: true });
    throw e;
  }
}

async function rollBack(paths: RepoPaths, env: Env, j: Journal): Promise<void> {
  await Promise.all(j.moves.map(([temp]) => rm(temp, { force: true })));
  const created = j.paths.filter((p) => !j.existing.includes(p));
  await unstage(paths.root, env, j.paths);
  await Promise.all(created.map((rel) => rm(join(paths.root, rel), { force: true })));
  if (j.existing.length > 0) await restorePaths(paths.root, env, j.existing);
}

/**
 * Finishes or undoes a transaction a killed process left behind.
 * @returns what was found: nothing, a change completed (it had been
 * committed), or a change rolled back (it had not).
 */
export async function recoverTransaction(paths: RepoPaths, env: Env, owner: ProcessOwner = NO_OWNER): Promise<"none" | "in-progress" | "completed" | "rolled-back"> {
  const jpath = await journalPath(paths, env);
  const journal = await readJournal(jpath);
  if (!journal) return "none";
  // Another coc command is in the middle of it right now: leave it alone.
  if (journal.pid !== owner.pid && owner.alive(journal.pid)) return "in-progress";
  const head = await headCommit(paths.root, env);
  if (head !== journal.head && (await lastCommitMessage(paths.root, env)) === journal.message) {
    await Promise.all(journal.moves.map(([temp]) => rm(temp, { force: true })));
    await rm(jpath, { force: true });
    return "completed";
  }
  await rollBack(paths, env, journal);
  await rm(jpath, { force: true });
  return "rolled-back";
}
