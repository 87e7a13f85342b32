/**
 * Reading and writing record files under `cases/`. Files are read straight
 * from the work tree (no git process per record) and decrypted in one batch
 * with the identity unlocked once; writes are atomic (temp file, rename) and
 * only ever hold ciphertext.
 *
 * Everything under `cases/` may have been pushed by anyone with access to the
 * remote (DESIGN.md §7 "Files under cases/"): only regular files in real
 * directories are read, and only within the caps of ./read.ts; a symlink (to a
 * file or a directory), a FIFO, a socket or a device is a Problem, never
 * opened through, never decrypted, and never written through or over.
 */
import { randomBytes } from "node:crypto";
import { accessSync, closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, readdirSync, writeFileSync, writeSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { RecordDecrypter } from "../crypto/age.js";
import { encryptFiles } from "./encrypt-pool.js";
import { UserError } from "../errors.js";
import { serializeRecord } from "../records/record.js";
import { removeEmptyCaseDirs } from "./debris.js";
import { MAX_RECORD_BYTES, describeKind, formatSize, readLimits, type ReadJob, type ReadLimits } from "./read.js";
import { readMany, type ReadManyOptions } from "./read-many.js";
import { checkRecordDestination, dirStateSync } from "./stage.js";
import { RECORD_ID, type CocRecord } from "../records/schema.js";
import { compareRecords } from "../records/order.js";
import { isCaseCode } from "./codes.js";
import { caseDir, type RepoPaths } from "./layout.js";
import type { ReadCache } from "./cache.js";
import { EVIDENCE_FILE } from "./evidence-path.js";

/** A record read from disk, with where it came from. */
export interface StoredRecord {
  /** Path relative to the repository root, e.g. cases/quiet-otter-42/2026...-report-k3f9.age */
  file: string;
  record: CocRecord;
}

/** A record that does not count (DESIGN.md §7): shown with a warning, never used for state, readers or decisions. */
export interface UnverifiedRecord extends StoredRecord {
  /** Why, in a few words: "unsigned", "not signed by alice's key"… */
  reason: string;
}

/** A file that could not be read, with a one-line reason. */
export interface Problem {
  file: string;
  message: string;
}

/** What was read of one case. */
export interface CaseFiles {
  code: string;
  /** The verified records (signed by their author's key on the confirmed roster, or vouched for), in time order. */
  records: StoredRecord[];
  /** Readable records that are not verified: they never count. */
  unverified: UnverifiedRecord[];
  /** Files encrypted to others but not to the caller. */
  notForYou: string[];
  problems: Problem[];
  /** The case's evidence files (`cases/<code>/<id>.file.age`, regular files; not decrypted here). */
  evidence?: string[];
}

const RECORD_FILE = new RegExp(`^(${RECORD_ID.source.slice(1, -1)})\\.age$`);

/** The case codes present under `cases/` (sorted); odd entries are reported as problems. */
export async function listCaseCodes(paths: RepoPaths): Promise<{ codes: string[]; problems: Problem[] }> {
  const root = dirStateSync(paths.cases);
  if (root.kind === "missing") return { codes: [], problems: [] };
  if (root.kind === "other") return { codes: [], problems: [{ file: "cases", message: `${root.what}; coc reads only real directories` }] };
  let entries;
  try {
    entries = await readdir(paths.cases, { withFileTypes: true });
  } catch {
    return { codes: [], problems: [] };
  }
  const codes: string[] = [];
  const problems: Problem[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    // A directory entry's type is the entry's own (as lstat sees it): a symlinked directory is a symlink here.
    if (e.isDirectory() && isCaseCode(e.name)) codes.push(e.name);
    else if (!e.isDirectory() && !e.isFile()) problems.push({ file: `cases/${e.name}`, message: `${describeKind(e)}; coc reads only real directories` });
    else problems.push({ file: `cases/${e.name}`, message: "not a case directory (expected a code such as quiet-otter-42)" });
  }
  return { codes: codes.sort(), problems: problems.sort((a, b) => a.file.localeCompare(b.file)) };
}

/**
 * True when something is at the case's place under `cases/` (by `lstat`: a
 * symlink counts, and is refused when the case is read).
 */
export async function caseExists(paths: RepoPaths, code: string): Promise<boolean> {
  return (dirStateSync(caseDir(paths, code))).kind !== "missing";
}

function caseFileNames(paths: RepoPaths, code: string, root: ReturnType<typeof dirStateSync>): { ids: string[]; problems: Problem[]; evidence: string[] } {
  const ids: string[] = [];
  const problems: Problem[] = [];
  const evidence: string[] = [];
  // Neither cases/ nor the case directory may be a link: the files below would belong elsewhere.
  if (root.kind === "other") return { ids, evidence, problems: [{ file: "cases", message: `${root.what}; coc reads only real directories` }] };
  const dir = caseDir(paths, code);
  const own = dirStateSync(dir);
  if (own.kind === "other") return { ids, evidence, problems: [{ file: `cases/${code}`, message: `${own.what}; coc reads only real directories` }] };
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".")) continue; // temp files of an interrupted write
    const file = `cases/${code}/${e.name}`;
    // The entry's own type (lstat's view): a symlink, FIFO, socket or device is never opened.
    // A regular file is opened without following links and checked again on the descriptor (./read.ts).
    if (!e.isFile()) {
      problems.push({ file, message: `${describeKind(e)}; coc reads only regular files` });
      continue;
    }
    const m = RECORD_FILE.exec(e.name);
    if (m) ids.push(m[1]!);
    else if (EVIDENCE_FILE.test(e.name)) evidence.push(file);
    else problems.push({ file, message: "unexpected file (record files are named <time>-<type>-<rand>.age)" });
  }
  return { ids, problems, evidence };
}

/**
 * Reads and decrypts every record of the given cases in one batch, with the
 * identity unlocked once. Never throws for a bad file: each becomes a Problem
 * (or a not-for-you entry). Only regular files in real directories are read,
 * and none beyond the caps of `limits` is decrypted (pass
 * `readLimits(rosterSize)`; without it, the stanza cap of the smallest team).
 * With `cache`, a file whose bytes the user's cache knows is not decrypted again (./cache.ts).
 */
export async function readCases(
  paths: RepoPaths,
  codes: readonly string[],
  decrypter: RecordDecrypter,
  limits: ReadLimits = readLimits(0),
  cache?: ReadCache,
  opts?: ReadManyOptions,
): Promise<CaseFiles[]> {
  const root = dirStateSync(paths.cases);
  const cases = codes.map((code) => {
    const { ids, problems, evidence } = caseFileNames(paths, code, root);
    return { code, ids, files: { code, records: [], unverified: [], notForYou: [], problems, evidence } as CaseFiles };
  });
  const byCode = new Map(cases.map((c) => [c.code, c.files]));
  const jobs: ReadJob[] = cases.flatMap((c) =>
    c.ids.map((id) => {
      const file = `cases/${c.code}/${id}.age`;
      return { file, abs: join(paths.root, file), code: c.code, id };
    }),
  );
  for (const outcome of await readMany(jobs, decrypter, limits, cache, opts)) {
    const c = byCode.get(outcome.code)!;
    if (outcome.kind === "record") c.records.push({ file: outcome.file, record: outcome.record });
    else if (outcome.kind === "not-for-you") c.notForYou.push(outcome.file);
    else c.problems.push({ file: outcome.file, message: outcome.message });
  }
  for (const c of cases) {
    c.files.records.sort((a, b) => compareRecords(a.record, b.record));
    c.files.problems.sort((a, b) => a.file.localeCompare(b.file));
    c.files.notForYou.sort();
  }
  return cases.map((c) => c.files);
}

/** A file to be written: its record and the age recipients (public keys) it is encrypted to. */
export interface PendingWrite {
  record: CocRecord;
  keys: readonly string[];
}

/** The repository-relative path of a record file. */
export function recordPath(record: Pick<CocRecord, "case" | "id">): string {
  return `cases/${record.case}/${record.id}.age`;
}

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
