/**
 * Reading many record files in one batch (a listing): each file is read and
 * looked up in the user's read cache; the others are decrypted, parsed and
 * validated (./read.ts). When there are many, worker threads decrypt them
 * (and check the signatures of coc-written records, ./read-pool.ts) while
 * this thread goes on reading files and parses what the workers send back.
 */
import type { RecordDecrypter } from "../crypto/age.js";
import { fileHash, type CachedOutcome, type ReadCache } from "./cache.js";
import type { ReadPool, ReadThreads } from "./read-pool.js";
import type { SignatureCheck } from "./read-wire.js";
import { lstatSync } from "node:fs";
import { statusKey } from "../file-status.js";
import { countStanzas } from "../crypto/age.js";
import { decryptHere, parsePlaintext, precheck, readLimits, readRecordFile, type ReadJob, type ReadLimits, type ReadOutcome } from "./read.js";

/**
 * Below this many files to decrypt, worker threads cost more than they save
 * (each starts in about 20 ms; a file takes about 0.2 ms).
 */
const POOL_MIN_FILES = 256;
/** Files per batch handed to a worker: small enough to balance them, large enough that messages cost little. */
const BATCH = 32;
/** Files read between two looks at the workers (so they get work while the rest is read). */
const READ_STRIDE = 256;

/** What {@link readMany} may also be given. */
export interface ReadManyOptions {
  /**
   * Hears of each record as soon as it is parsed, with the worker's signature
   * check if it made one, or "check-now" when this thread decrypted it while
   * workers run (its signature is best checked at once, on this thread).
   */
  onRecord?: (outcome: ReadOutcome & { kind: "record" }, sig?: SignatureCheck | "check-now") => void;
  /** Worker threads to use when there are many files to decrypt; without, all is done on this thread. */
  threads?: ReadThreads | undefined;
}

/** A file read and prechecked, waiting to be decrypted. */
interface Pending {
  i: number;
  job: ReadJob;
  bytes: Uint8Array;
  hash: string | undefined;
  /** Its status and stanza count, for the cache. */
  read: { stat: string; stanzas: number } | undefined;
}

/** The status key of a regular file (not following a link), or undefined. */
function statOf(abs: string): string | undefined {
  try {
    const st = lstatSync(abs);
    return st.isFile() ? statusKey(st) : undefined;
  } catch {
    return undefined;
  }
}

function stanzasOf(bytes: Uint8Array, limits: ReadLimits): number {
  try {
    return countStanzas(bytes, limits.maxStanzas);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads every job with the caps of `limits` (and the user's cache, if
 * given); outcomes come back in job order. Never throws for a bad file.
 */
export async function readMany(
  jobs: readonly ReadJob[],
  decrypter: RecordDecrypter,
  limits: ReadLimits = readLimits(0),
  cache?: ReadCache,
  opts: ReadManyOptions = {},
): Promise<ReadOutcome[]> {
  const out = new Array<ReadOutcome>(jobs.length);
  const settle = (p: Pending, outcome: ReadOutcome, sig?: SignatureCheck | "check-now") => {
    out[p.i] = outcome;
    if (outcome.kind === "problem") return;
    if (p.hash !== undefined) cache?.remember(p.job.file, p.hash, outcome, p.read);
    if (outcome.kind === "record") opts.onRecord?.(outcome, sig);
  };
  const fromCache = (i: number, job: ReadJob, known: CachedOutcome) => {
    const outcome: ReadOutcome = { file: job.file, code: job.code, ...known };
    out[i] = outcome;
    if (outcome.kind === "record") opts.onRecord?.(outcome);
  };
  const queue: Pending[] = [];
  let next = 0;
  let reading = true;
  let waiting: (() => void)[] = [];
  const wake = () => {
    for (const w of waiting) w();
    waiting = [];
  };
  /** The next batch; waits while files are still being read. */
  const take = async (): Promise<Pending[]> => {
    for (;;) {
      if (queue.length - next >= BATCH || (!reading && next < queue.length)) return queue.slice(next, (next += BATCH));
      if (!reading) return [];
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  const lanes: Promise<void>[] = [];
  let shareHere = false;
  const startWorkers = () => {
    const pools = opts.threads?.start() ?? [];
    // Two batches in flight keep each worker busy while this thread handles an answer.
    for (const pool of pools) lanes.push(there(pool), there(pool));
    // With fewer workers than cores, this thread decrypts too (after reading).
    shareHere = pools.length > 0 && opts.threads?.sharesMain === true;
  };
  const here = async () => {
    for (let batch = await take(); batch.length > 0; batch = await take()) {
      for (const p of batch) settle(p, await decryptHere(p.bytes, p.job, decrypter), "check-now");
      // Lets the workers' answers in between batches.
      await nextTurn();
    }
  };
  const there = async (pool: ReadPool) => {
    for (let batch = await take(); batch.length > 0; batch = await take()) {
      const verdicts = await pool.decrypt(batch.map((p) => p.bytes));
      for (const [k, p] of batch.entries()) {
        const v = verdicts[k]!;
        if (v === "not-a-recipient") settle(p, { file: p.job.file, code: p.job.code, kind: "not-for-you" });
        // Anything the native path doubts is decided here, as for a file decrypted on this thread.
        else if (v === "typage") settle(p, await decryptHere(p.bytes, p.job, decrypter));
        else settle(p, parsePlaintext(v.plaintext, p.job), v.sig);
      }
    }
  };
  // Started before reading when the cache cannot know most files (a first read), so they are ready when the first batch is.
  if (jobs.length - (cache?.size ?? 0) >= POOL_MIN_FILES) startWorkers();
  const byStatus = cache?.knowsStatus === true;
  for (const [i, job] of jobs.entries()) {
    // A file whose status is what it was when the cache learned it is not read at all (as git's index does).
    if (byStatus) {
      const stat = statOf(job.abs);
      const known = stat === undefined ? undefined : cache.lookupStat(job.file, stat);
      if (known && known.stanzas <= limits.maxStanzas) {
        fromCache(i, job, known.outcome);
        continue;
      }
    }
    const read = readRecordFile(job.abs, limits.maxBytes);
    if ("problem" in read) {
      // A file removed since its directory was listed is marked so (./store.ts decides what it means).
      out[i] = { file: job.file, code: job.code, kind: "problem", message: read.problem, ...("gone" in read ? { gone: true as const } : {}) };
      continue;
    }
    // The same bytes at the same place decrypt to the same thing: see ./cache.ts.
    const hash = cache ? fileHash(read.bytes) : undefined;
    const status = cache ? { stat: read.stat, stanzas: stanzasOf(read.bytes, limits) } : undefined;
    const known = hash === undefined ? undefined : cache?.lookup(job.file, hash, status);
    // The caps still apply (a roster that shrank lowers the stanza cap): a file over them is decoded, which says so.
    if (known && (status?.stanzas ?? Number.POSITIVE_INFINITY) <= limits.maxStanzas) {
      fromCache(i, job, known);
      continue;
    }
    const problem = precheck(read.bytes, job, limits);
    if (problem) out[i] = problem;
    else queue.push({ i, job, bytes: read.bytes, hash, read: status });
    if (lanes.length > 0 && i % READ_STRIDE === READ_STRIDE - 1) {
      wake();
      await nextTurn();
    }
  }
  reading = false;
  wake();
  if (lanes.length === 0 && queue.length >= POOL_MIN_FILES) startWorkers();
  if (shareHere) lanes.push(here());
  if (lanes.length === 0) {
    // One thread: everything here.
    for (const p of queue) settle(p, await decryptHere(p.bytes, p.job, decrypter));
  }
  await Promise.all(lanes);
  return out;
}
