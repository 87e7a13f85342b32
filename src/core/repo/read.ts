/**
 * Reading many record files in one batch: read, decrypt, parse and validate,
 * with the identity imported once. Straight from the work tree (no git
 * process per record).
 *
 * Measured on the 2-core CI machine (npm run bench): spreading the work over
 * worker threads gave no gain, because the per-file cost is dominated by
 * age-encryption's per-file allocations (a 64 KiB buffer and web streams),
 * which contend for memory rather than CPU; so this stays one thread.
 */
import { readFileSync } from "node:fs";
import { UserError } from "../errors.js";
import { CorruptFileError, NotARecipientError, RecordDecrypter } from "../crypto/age.js";
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
  | { file: string; code: string; kind: "problem"; message: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads one file. Never throws: every failure becomes an outcome. */
export async function readOne(job: ReadJob, decrypter: RecordDecrypter): Promise<ReadOutcome> {
  const { file, code } = job;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(job.abs);
  } catch (e) {
    return { file, code, kind: "problem", message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  let plaintext: Uint8Array;
  try {
    plaintext = await decrypter.decrypt(bytes);
  } catch (e) {
    if (e instanceof NotARecipientError) return { file, code, kind: "not-for-you" };
    if (e instanceof CorruptFileError) return { file, code, kind: "problem", message: `not a readable age file (${e.message})` };
    return { file, code, kind: "problem", message: `cannot decrypt: ${(e as Error).message}` };
  }
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

/** Reads every job, a few at a time; outcomes come back in job order. */
export async function readMany(jobs: readonly ReadJob[], decrypter: RecordDecrypter): Promise<ReadOutcome[]> {
  const out = new Array<ReadOutcome>(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await readOne(jobs[i]!, decrypter);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, jobs.length) }, lane));
  return out;
}
