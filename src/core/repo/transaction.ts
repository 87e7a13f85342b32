/**
 * THE write path. Every change coc makes to a repository goes through here:
 * under a lock (a file in .git/coc/ created atomically, ./lock.ts, so two coc
 * commands in one clone never write at once), with a journal that makes it all or nothing.
 *
 * A change first encrypts every file into a temp file and moves anything it
 * deletes aside; the journal then lists what is about to change; the files
 * are moved into place and committed; the journal is removed. If the process
 * dies in between, the next coc command finds the journal and finishes the
 * job when the commit was made, or puts everything back when it was not.
 *
 * A large re-encryption (PACK_THRESHOLD records or more: a member's removal)
 * writes each existing record over its own file instead of renaming a temp
 * file over it (./record-writes.ts, overwriteFile), which on ext4 is about twenty
 * times quicker. Until the commit, a file so written may be half old, half
 * new (to another coc command reading meanwhile, which is told a change is
 * under way); the journal names them all, and putting back restores them
 * from HEAD, exactly as it does the files moved into place.
 */
import { randomBytes } from "node:crypto";
import { lstatSync, renameSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";
import { removeEmptyCaseDirs } from "./debris.js";
import { flushPath } from "../flush.js";
import { acquireLock, busy, NO_OWNER, readOwner, whenIndexFree, type ProcessOwner } from "./lock.js";
import type { CommitAs, Git } from "../git/client.js";
import type { RepoPaths } from "./layout.js";
import { checkRecordDestination } from "./stage.js";
import type { PendingWrite } from "./store.js";
import { overwriteFile, stageRecords, type RewrittenRecord, type StagedRecord } from "./record-writes.js";
import { PACK_THRESHOLD } from "../git/pack-commit.js";
import { stageBlobs, type BlobWrite } from "./evidence.js";
import { readJournal, type Journal } from "./journal.js";

/** A change to commit. */
export interface Transaction {
  /** Records to (re)write. */
  writes: readonly PendingWrite[];
  /** Evidence files to (re)write, encrypted like the records (see ./evidence.ts). */
  blobs?: readonly BlobWrite[];
  /** Other files to write, e.g. `.coc/team.yaml`, relative to the root. */
  files?: readonly { rel: string; content: string | Uint8Array }[];
  /** Paths to delete (files or directories), relative to the root. */
  deletes?: readonly string[];
  message: string;
  as: CommitAs;
  /** Worker threads at most for encrypting many files (COC_THREADS); undefined for one per core. */
  threads?: number | undefined;
}

/** Test-only fault injection: called after each file is moved into place, and after the commit. */
export interface FaultHooks {
  afterMove?: ((index: number) => void) | undefined;
  afterCommit?: (() => void) | undefined;
}

/** What an earlier, interrupted change turned into. */
export type Recovery = "none" | "in-progress" | "completed" | "rolled-back";

/** Whether anything stands at `p` (by `lstat`, in line: a re-encryption asks it of thousands of paths). */
function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The lock and journal of one clone. */
export class WriteLog {
  readonly #git: Git;
  readonly #paths: RepoPaths;
  readonly #owner: ProcessOwner;
  readonly #faults: FaultHooks;
  #held = false;
  /** What the last settling of an interrupted change found (see {@link recover}). */
  recovered: Recovery = "none";
  /** True when a finished change was this user's own roster change (their pin must follow it). */
  finishedRosterChange = false;

  constructor(git: Git, paths: RepoPaths, owner: ProcessOwner = NO_OWNER, faults: FaultHooks = {}) {
    this.#git = git;
    this.#paths = paths;
    this.#owner = owner;
    this.#faults = faults;
  }

  /** The journal of an interrupted change, if any (./journal.ts). */
  async #journal(): Promise<Journal | undefined | { problem: string }> {
    const dir = await this.#dir();
    return readJournal(join(dir, "journal.json"), this.#paths.root, dir);
  }

  async #dir(): Promise<string> {
    const dir = join(await this.#git.dir(), "coc");
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /**
   * Runs `fn` holding the clone's lock, after settling what an interrupted
   * change left behind. The lock is one file created atomically (of two
   * processes, exactly one gets it, see ./lock.ts); a lock whose process is
   * gone is taken over.
   * @throws UserError when another live coc process holds the lock.
   */
  async locked<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#held) return fn();
    const lock = join(await this.#dir(), "lock");
    await acquireLock(lock, this.#owner);
    this.#held = true;
    try {
      const recovered = await this.recover();
      if (recovered !== "none") this.recovered = recovered;
      if (recovered === "in-progress") {
        const j = await this.#journal();
        throw busy(j && !("problem" in j) ? j.pid : 0, lock);
      }
      return await fn();
    } finally {
      this.#held = false;
      await rm(lock, { force: true });
    }
  }

  /**
   * Finishes or undoes a change a killed process left behind (or leaves it
   * alone while its process still runs).
   */
  async recover(): Promise<Recovery> {
    const jpath = join(await this.#dir(), "journal.json");
    const journal = await this.#journal();
    if (!journal) return "none";
    if ("problem" in journal) {
      throw new UserError(`${jpath} is not a journal coc wrote (${journal.problem}); nothing was changed. If no coc command is running, check git status and remove it`);
    }
    if (journal.pid !== this.#owner.pid && this.#owner.alive(journal.pid, journal.token)) return "in-progress";
    await whenIndexFree(await this.#git.dir());
    const head = await this.#git.head();
    if (head !== journal.head && (await this.#git.lastCommitMessage()) === journal.message) {
      await Promise.all(journal.moves.map(([temp]) => rm(temp, { force: true })));
      await Promise.all((journal.removals ?? []).map(([, aside]) => rm(aside, { recursive: true, force: true })));
      await rm(jpath, { force: true });
      if (journal.paths.includes(".coc/team.yaml") || journal.paths.includes(".coc/oversight.yaml")) this.finishedRosterChange = true;
      return "completed";
    }
    await this.#rollBack(journal);
    await rm(jpath, { force: true });
    return "rolled-back";
  }

  /**
   * Settles what an interrupted change left behind, for a command that may
   * only read: "in-progress" (and nothing touched) while another coc command
   * holds the lock or its journal.
   */
  async settle(): Promise<Recovery> {
    // Without a journal there is nothing to settle: a read never takes the lock (a writer starting now must not be refused).
    // One that is not coc's is never acted on: a write stops naming it (see recover), a read goes on.
    const journal = await this.#journal();
    if (journal === undefined || "problem" in journal) return "none";
    if (await this.busy()) return "in-progress";
    try {
      await this.locked(async () => undefined);
    } catch (e) {
      if (e instanceof UserError) return "in-progress";
      throw e;
    }
    return this.recovered;
  }

  /** True when a live process other than this one is in the middle of a change. */
  async busy(): Promise<boolean> {
    const dir = await this.#dir();
    const journal = await this.#journal();
    const j = journal && !("problem" in journal) ? journal : undefined;
    const l = await readOwner(join(dir, "lock"));
    return [j, l].some((x) => x !== undefined && x.pid !== this.#owner.pid && this.#owner.alive(x.pid, x.token));
  }

  /**
   * Applies the transaction and commits it. Must run inside {@link locked}.
   * @returns the repository-relative paths of the records written, and whether a commit was made.
   * @throws UserError when the commit fails; everything is then put back as it was.
   */
  async commit(t: Transaction): Promise<{ written: string[]; committed: boolean }> {
    if (!this.#held) throw new Error("a change must be made under the repository lock");
    const root = this.#paths.root;
    const blobs = await stageBlobs(this.#paths, t.blobs ?? []);
    // A large re-encryption writes each record over its own file (see overwriteFile): the journal below can
    // put them all back from HEAD, as it does for files moved into place. Only files HEAD holds: a file it
    // does not (untracked, or new in the index) could not be put back, and killed mid-write would be lost.
    const inPlace = t.writes.length >= PACK_THRESHOLD ? await this.#git.committedPaths() : undefined;
    const records = await stageRecords(this.#paths, t.writes, t.threads, inPlace).catch(async (e: unknown) => {
      await Promise.all(blobs.map((x) => rm(x.temp, { force: true })));
      throw e;
    });
    const rewrites = records.filter((x): x is RewrittenRecord => "bytes" in x);
    const staged = [...blobs, ...records.filter((x): x is StagedRecord => "temp" in x)];
    // What a failure before the journal is written (a full disk, say) leaves: nothing, not even the new case's directory.
    const discard = async (temps: readonly { temp: string; rel: string }[]) => {
      await Promise.all(temps.map((x) => rm(x.temp, { force: true })));
      await removeEmptyCaseDirs(this.#paths, temps.map((x) => x.rel));
    };
    const othersTemps = (t.files ?? []).map((f) => ({ rel: f.rel, final: join(root, f.rel), temp: `${join(root, f.rel)}.${randomBytes(4).toString("hex")}.tmp`, content: f.content }));
    try {
      for (const o of othersTemps) {
        await mkdir(dirname(o.final), { recursive: true });
        await writeFile(o.temp, o.content);
      }
    } catch (e) {
      await discard([...staged, ...othersTemps]);
      throw e;
    }
    const others = othersTemps.map(({ temp, final, rel }) => ({ temp, final, rel }));
    const all = [...staged, ...others];
    const existing = new Set<string>();
    try {
      // Again right before anything is moved: a record is never renamed into a
      // symlinked directory nor over anything but a regular file. Each directory once.
      const checked = new Set<string>();
      for (const x of staged) if (await checkRecordDestination(this.#paths, x.rel, { checked })) existing.add(x.rel);
      for (const x of rewrites) {
        if (!(await checkRecordDestination(this.#paths, x.rel, { checked }))) throw new UserError(`${x.rel} was removed while coc was writing; nothing was changed`);
        existing.add(x.rel);
      }
    } catch (e) {
      await discard(all);
      throw e;
    }
    const dir = await this.#dir();
    const deletes = t.deletes ?? [];
    const journal: Journal = {
      coc: 1,
      message: t.message,
      head: await this.#git.head(),
      moves: all.map((x) => [x.temp, x.final]),
      removals: deletes.map((rel) => [join(root, rel), join(dir, `removed-${randomBytes(6).toString("hex")}`)]),
      paths: [...all.map((x) => x.rel), ...rewrites.map((x) => x.rel), ...deletes],
      existing: [...deletes],
      pid: this.#owner.pid,
      token: this.#owner.token,
    };
    const isStaged = new Set(staged.map((x) => x.rel));
    for (const x of all) if (isStaged.has(x.rel) ? existing.has(x.rel) : exists(x.final)) journal.existing.push(x.rel);
    // Rewritten in place: they exist, and a roll-back restores them from HEAD.
    journal.existing.push(...rewrites.map((x) => x.rel));
    // On disk before anything is moved: the new files, so that a power cut after the commit cannot leave one
    // empty in the work tree (a large re-encryption, written in place, is not: a torn file there is restored
    // from HEAD, see the module comment), then the journal, so that the next command can settle the change.
    if (all.length < PACK_THRESHOLD) await Promise.all(all.map((x) => flushPath(x.temp)));
    const jpath = join(dir, "journal.json");
    try {
      await writeFile(`${jpath}.tmp`, JSON.stringify(journal));
      await flushPath(`${jpath}.tmp`);
      await rename(`${jpath}.tmp`, jpath);
    } catch (e) {
      await rm(`${jpath}.tmp`, { force: true });
      await discard(all);
      throw e;
    }
    try {
      for (const [from, aside] of journal.removals ?? []) await rename(from, aside);
      // In line: thousands of renames through the thread pool cost more than the renames themselves.
      for (const [i, x] of all.entries()) {
        renameSync(x.temp, x.final);
        this.#faults.afterMove?.(i);
      }
      for (const [i, x] of rewrites.entries()) {
        overwriteFile(x.final, x.rel, x.bytes, x.file);
        this.#faults.afterMove?.(all.length + i);
      }
      const committed = await this.#git.commitPaths(journal.paths, t.message, t.as);
      this.#faults.afterCommit?.();
      await Promise.all((journal.removals ?? []).map(([, aside]) => rm(aside, { recursive: true, force: true })));
      await rm(jpath, { force: true });
      // In the order of t.writes (the records a write created come last: see ../actions/write.ts).
      return { written: [...blobs.map((x) => x.rel), ...records.map((x) => x.rel)], committed };
    } catch (e) {
      // A roll-back that cannot finish (on a full disk git cannot write the index either) keeps the journal:
      // the next command finishes it, rather than leave the change's files staged in the index for good.
      if (await this.#rollBack(journal).then(() => true, () => false)) await rm(jpath, { force: true });
      throw e;
    }
  }

  /**
   * Puts back what the journal `j` names. Every step is tried; a git step that fails (a full disk: git
   * cannot write the index; another git process holding it) is thrown at the end, so the caller keeps the
   * journal and the next command finishes the roll-back.
   */
  async #rollBack(j: Journal): Promise<void> {
    const root = this.#paths.root;
    let failure: Error | undefined;
    const gitStep = (step: Promise<void>) => step.catch((e: unknown) => void (failure ??= e instanceof Error ? e : new Error(String(e))));
    await Promise.all(j.moves.map(([temp]) => rm(temp, { force: true })));
    await gitStep(this.#git.unstage(j.paths));
    const created = j.paths.filter((p) => !j.existing.includes(p));
    await Promise.all(created.map((rel) => rm(join(root, rel), { force: true })));
    await removeEmptyCaseDirs(this.#paths, created);
    for (const [from, aside] of j.removals ?? []) {
      if (exists(aside)) {
        await rm(from, { recursive: true, force: true });
        await rename(aside, from);
      }
    }
    const restore = j.existing.filter((p) => !(j.removals ?? []).some(([from]) => from === join(root, p)));
    if (restore.length > 0) await gitStep(this.#git.restore(restore));
    if (failure !== undefined) throw failure;
  }
}
