/**
 * Writing record files under `cases/`: each record encrypted (on worker
 * threads when there are many, ./encrypt-pool.ts) into a hidden temp file
 * next to its place, or, in a large re-encryption, kept in memory to be
 * written over its own file (./transaction.ts moves or writes them, under
 * its journal). Only ciphertext is ever written, never through a link nor
 * over anything but a regular file (./stage.ts).
 */
import { randomBytes } from "node:crypto";
import { accessSync, closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, writeFileSync, writeSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { encryptFiles } from "./encrypt-pool.js";
import { UserError } from "../errors.js";
import { serializeRecord } from "../records/record.js";
import { removeEmptyCaseDirs } from "./debris.js";
import { MAX_RECORD_BYTES, formatSize } from "./read.js";
import { checkRecordDestination } from "./stage.js";
import { caseDir, type RepoPaths } from "./layout.js";
import { recordPath, type PendingWrite } from "./store.js";

/** A record encrypted into a hidden temp file next to where it will go. */
export interface StagedRecord {
  temp: string;
  final: string;
  rel: string;
}

/**
 * A record that will overwrite its own file in place (see
 * {@link stageRecords}'s `inPlace`): its ciphertext, held in memory.
 */
export interface RewrittenRecord {
  bytes: Uint8Array;
  final: string;
  rel: string;
  /** The file checked when staging: only that one is written over. */
  file: FileId;
}

/** Which file a path led to: its device and inode. */
interface FileId {
  dev: number;
  ino: number;
}

/**
 * The file at `abs` when it is a regular file with no other name (one link),
 * by `lstat`, that this process may write (a read-only one can still be
 * replaced by a rename, as any other file is).
 */
function soleRegularFile(abs: string): FileId | undefined {
  try {
    const st = lstatSync(abs);
    if (!st.isFile() || st.nlink !== 1) return undefined;
    accessSync(abs, constants.W_OK);
    return { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}

/**
 * Encrypts every record into a hidden temp file in its case directory
 * (ciphertext only); nothing is in place yet. On failure, no temp file is left.
 * A re-encryption writes thousands: they are encrypted on worker threads
 * (./encrypt-pool.ts; `threads` at most, as COC_THREADS says) while this
 * thread writes the ones already done. Each is written in line: through
 * the thread pool, 5,000 small files took 0.7 s longer (three hops each,
 * and the pool's threads competing with the encrypting ones for the cores).
 *
 * With `inPlace` (a large re-encryption, see ./transaction.ts: the paths
 * HEAD holds, which a roll-back can restore), a record whose file already
 * stands there as a plain file of its own and is one of those is not staged
 * on disk: its ciphertext is kept in memory, to be written over the file.
 */
export async function stageRecords(paths: RepoPaths, writes: readonly PendingWrite[], threads?: number): Promise<StagedRecord[]>;
export async function stageRecords(paths: RepoPaths, writes: readonly PendingWrite[], threads: number | undefined, inPlace: ReadonlySet<string> | undefined): Promise<(StagedRecord | RewrittenRecord)[]>;
export async function stageRecords(paths: RepoPaths, writes: readonly PendingWrite[], threads?: number, inPlace?: ReadonlySet<string>): Promise<(StagedRecord | RewrittenRecord)[]> {
  const staged = new Array<StagedRecord | RewrittenRecord | undefined>(writes.length);
  const encryption = encryptFiles(
    writes.map((w) => ({ plaintext: Buffer.from(serializeRecord(w.record), "utf8"), recipients: w.keys })),
    threads,
  );
  const temps: string[] = [];
  let next = 0;
  let failed = false;
  // Directories found real in this pass (each is checked again, once, right before the moves).
  const checked = new Set<string>();
  const lane = async () => {
    while (next < writes.length && !failed) {
      const i = next++;
      const w = writes[i]!;
      const rel = recordPath(w.record);
      const exists = await checkRecordDestination(paths, rel, { create: true, checked });
      const final = join(paths.root, rel);
      const ciphertext = await encryption.file(i);
      // Every clone refuses to read a larger file, so it is never written.
      if (ciphertext.length > MAX_RECORD_BYTES) {
        throw new UserError(`${rel} would be ${formatSize(ciphertext.length)}, over the ${formatSize(MAX_RECORD_BYTES)} limit for a record file; shorten the text (nothing was written)`);
      }
      const file = inPlace?.has(rel) && exists ? soleRegularFile(final) : undefined;
      if (file) {
        staged[i] = { bytes: ciphertext, final, rel, file };
        continue;
      }
      const temp = join(caseDir(paths, w.record.case), `.${w.record.id}.${randomBytes(4).toString("hex")}.tmp`);
      temps.push(temp);
      writeFileSync(temp, ciphertext, { mode: 0o644, flag: "wx" });
      staged[i] = { temp, final, rel };
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(8, writes.length) }, async () => {
      try {
        await lane();
      } catch (e) {
        failed = true; // the other lanes stop at their next record
        throw e;
      }
    }),
  );
  await encryption.close();
  const failure = results.find((r) => r.status === "rejected");
  if (failure) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    await removeEmptyCaseDirs(paths, writes.map((w) => recordPath(w.record)));
    throw failure.reason;
  }
  return staged as (StagedRecord | RewrittenRecord)[];
}

/**
 * Writes `bytes` over the file at `abs` in place: from its first byte, then
 * cut to their length. Never through a link, never into anything but a
 * regular file with no other name (another name would be changed with it),
 * and, given `file`, never into another file than that one (a directory on
 * the way swapped for a symlink since it was checked leads elsewhere).
 * Writing over the bytes, rather than emptying the file first or renaming a
 * new one over it, spares ext4 a flush per file: 5,000 files took 70 ms
 * instead of 0.5 s (emptied first) or 1 to 1.7 s (renamed).
 * @throws UserError naming `rel` when something else stands there now.
 */
export function overwriteFile(abs: string, rel: string, bytes: Uint8Array, file?: FileId): void {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    throw new UserError(`${rel} changed while coc was writing (${(e as NodeJS.ErrnoException).code ?? "cannot open it"}); nothing was changed`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.nlink !== 1 || (file && (st.dev !== file.dev || st.ino !== file.ino))) throw new UserError(`${rel} changed while coc was writing (it is no longer the plain file of its own that coc checked); nothing was changed`);
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at, at);
    ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}
