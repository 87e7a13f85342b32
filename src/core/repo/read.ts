/**
 * Reading record files: read (within the caps), decrypt, parse and validate,
 * straight from the work tree (no git process per record). Reading many at
 * once, with the user's read cache and worker threads, is ./read-many.ts.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { UserError } from "../errors.js";
import { statusKey } from "../file-status.js";
import { CorruptFileError, NotARecipientError, RecordDecrypter, countStanzas } from "../crypto/age.js";
import { parseRecord } from "../records/record.js";
import type { CocRecord } from "../records/schema.js";


/** One file to read: where it is, and the case and id its place implies. */
export interface ReadJob {
  /** Relative to the repository root, for messages. */
  file: string;
  /** Absolute path. */
  abs: string;
  code: string;
  id: string;
}

export type ReadOutcome =
  | { file: string; code: string; kind: "record"; record: CocRecord }
  | { file: string; code: string; kind: "not-for-you" }
  | { file: string; code: string; kind: "problem"; message: string; gone?: true };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The largest record file read. A record is a YAML document of a few KB; with
 * the largest recipient stanzas (post-quantum ones, about 1.5 KB each) for
 * every member a team could have, a real record stays far below this. The cap
 * bounds what one pushed file can make every command read, allocate, decrypt
 * and parse; a record that would be larger is refused when it is written.
 */
export const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Stanzas allowed beyond the roster: a record lists exactly its recipients,
 * all on the roster when it was written, but the roster may have shrunk since
 * (a removed member's copies are re-encrypted only by someone who can read
 * them), and other age implementations may add a "grease" stanza.
 */
export const STANZA_MARGIN = 16;
/** The stanza cap for small teams, so a few removals never make records unreadable. */
export const MIN_STANZA_CAP = 32;
/**
 * The stanza cap whatever the roster says: team.yaml also arrives through git,
 * so a pushed roster of thousands must not raise the cap with it. Decrypting
 * tries every stanza (one X25519 operation each, ~0.1 ms), so this bounds the
 * work one file can cause to a few tens of milliseconds.
 */
export const MAX_STANZA_CAP = 256;

/** Caps checked before any cryptographic work (DESIGN.md §7 "Files under cases/"). */
export interface ReadLimits {
  /** Size cap per record file, in bytes. */
  maxBytes: number;
  /** Recipient stanzas allowed in one file. */
  maxStanzas: number;
  /** The roster size the stanza cap was derived from (for messages). */
  roster: number;
}

/** The caps for a team of `roster` members: the size cap, and at most roster + 16 stanzas (at least 32, at most 256). */
export function readLimits(roster: number): ReadLimits {
  return { maxBytes: MAX_RECORD_BYTES, maxStanzas: Math.min(MAX_STANZA_CAP, Math.max(MIN_STANZA_CAP, roster + STANZA_MARGIN)), roster };
}

/** What `lstat` or `fstat` (or a directory entry) says a path is, in words. */
export interface FileKind {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}

/** "a symbolic link", "a FIFO", ...: what a non-regular entry is, for one-line messages. */
export function describeKind(k: FileKind): string {
  if (k.isSymbolicLink()) return "a symbolic link";
  if (k.isFIFO()) return "a FIFO";
  if (k.isSocket()) return "a socket";
  if (k.isBlockDevice() || k.isCharacterDevice()) return "a device";
  if (k.isDirectory()) return "a directory";
  if (k.isFile()) return "a regular file";
  return "not a regular file";
}

/** A byte count in words, rounded up (so a size over a limit never reads as the limit): "912 bytes", "9.6 MiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [unit, size] = bytes < 1024 * 1024 ? ["KiB", 1024] : ["MiB", 1024 * 1024];
  if (bytes % size === 0) return `${bytes / size} ${unit}`;
  return `${(Math.ceil((bytes / size) * 10) / 10).toFixed(1)} ${unit}`;
}

// O_NOFOLLOW: a symlink fails to open instead of being read through (ELOOP).
// O_NONBLOCK: a FIFO opens at once instead of waiting for a writer; regular
// files ignore it. Neither exists on Windows, where git checks out symlinks as
// plain files by default.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a record file only if it is a regular file of at most `maxBytes`:
 * opened without following a symlink and without blocking, then checked with
 * `fstat` on the open descriptor (so what is read is what was checked, even if
 * the path changes meanwhile), then read with the cap enforced again.
 * Never throws: returns the bytes, or a one-line reason.
 */
export function readRecordFile(abs: string, maxBytes: number = MAX_RECORD_BYTES, what = RECORD_FILE): { bytes: Uint8Array; stat: string } | { problem: string; gone?: true } {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    if (errno === "ELOOP") return { problem: "a symbolic link; coc reads only regular files" };
    if (errno === "ENXIO") return { problem: "a socket; coc reads only regular files" };
    // No longer there (removed since its directory was listed: another coc command undoing a change, say).
    if (errno === "ENOENT") return { problem: "removed while it was being read", gone: true };
    return { problem: `cannot read: ${errno ?? (e as Error).message}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: `${describeKind(st)}; coc reads only regular files` };
    if (st.size > maxBytes) return { problem: tooLarge(st.size, maxBytes, what) };
    // Read up to one byte past the cap: a file that grew after fstat is caught too.
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > maxBytes) return { problem: tooLarge(n, maxBytes, what) };
      if (n === buf.length) break;
    }
    return { bytes: buf.subarray(0, n), stat: statusKey(st) };
  } catch (e) {
    return { problem: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}

const RECORD_FILE = "a record file (a record is a few KB); not decrypted";

function tooLarge(size: number, maxBytes: number, what = RECORD_FILE): string {
  return `${formatSize(size)}, over the ${formatSize(maxBytes)} limit for ${what}`;
}

/** The checks before any decryption: the size cap and the stanza cap. @returns a problem, or undefined when the file may be decrypted. */
export function precheck(bytes: Uint8Array, job: Pick<ReadJob, "file" | "code">, limits: ReadLimits): ReadOutcome | undefined {
  const { file, code } = job;
  if (bytes.length > limits.maxBytes) return { file, code, kind: "problem", message: tooLarge(bytes.length, limits.maxBytes) };
  try {
    const stanzas = countStanzas(bytes, limits.maxStanzas);
    if (stanzas > limits.maxStanzas) {
      const team = limits.roster > 0 ? `, far more than a team of ${limits.roster} needs` : "";
      return { file, code, kind: "problem", message: `more than ${limits.maxStanzas} recipient stanzas${team}; not decrypted` };
    }
  } catch (e) {
    return { file, code, kind: "problem", message: `not a readable age file (${(e as Error).message})` };
  }
  return undefined;
}

/** Decrypts on this thread (prechecked bytes) and parses. Never throws. */
export async function decryptHere(bytes: Uint8Array, job: Pick<ReadJob, "file" | "code" | "id">, decrypter: RecordDecrypter): Promise<ReadOutcome> {
  const { file, code } = job;
  let plaintext: Uint8Array;
  try {
    plaintext = await decrypter.decrypt(bytes);
  } catch (e) {
    if (e instanceof NotARecipientError) return { file, code, kind: "not-for-you" };
    if (e instanceof CorruptFileError) return { file, code, kind: "problem", message: `not a readable age file (${e.message})` };
    return { file, code, kind: "problem", message: `cannot decrypt: ${(e as Error).message}` };
  }
  return parsePlaintext(plaintext, job);
}

/** Parses and validates a decrypted record. Never throws. */
export function parsePlaintext(plaintext: Uint8Array, job: Pick<ReadJob, "file" | "code" | "id">): ReadOutcome {
  const { file, code } = job;
  let text: string;
  try {
    text = utf8.decode(plaintext);
  } catch {
    return { file, code, kind: "problem", message: "not valid UTF-8 text" };
  }
  try {
    return { file, code, kind: "record", record: parseRecord(text, file, { case: code, id: job.id }) };
  } catch (e) {
    const message = e instanceof UserError ? e.message.replace(`${file}: `, "") : (e as Error).message;
    return { file, code, kind: "problem", message };
  }
}

/**
 * Decrypts and parses one record file's bytes (read from disk or from git),
 * within the caps of `limits`. Never throws: every failure becomes an outcome.
 */
export async function decodeRecord(bytes: Uint8Array, job: Pick<ReadJob, "file" | "code" | "id">, decrypter: RecordDecrypter, limits: ReadLimits = readLimits(0)): Promise<ReadOutcome> {
  return precheck(bytes, job, limits) ?? decryptHere(bytes, job, decrypter);
}
