/**
 * Encrypting the files of a large write: a member's removal or a recusal in
 * a large repository re-encrypts thousands of files, and each X25519 stanza
 * costs a key generation and a Diffie-Hellman (about 80 µs; a file to four
 * people, about 0.35 ms). With many files and more than one core, worker
 * threads (the reading worker's script, ./read-worker.ts) encrypt batches
 * while this thread writes what comes back. A batch a worker cannot do (it
 * failed to start, died, or a file has a recipient type it does not handle)
 * is encrypted here instead, so the result is the same either way: age files
 * made by ../crypto/age.ts's `encrypt`. Plaintexts travel between threads in
 * memory only.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { encrypt } from "../crypto/age.js";
import { workerScript } from "./read-pool.js";
import { pack, unpackParts, type EncryptRequest, type EncryptResponse } from "./read-wire.js";

/** Below this many files, starting threads costs more than it saves (each starts in about 20 ms). */
const POOL_MIN_FILES = 256;
/** Files per batch: small enough that writing starts early and the threads stay balanced. */
const BATCH = 64;
/** Worker threads at most (one per core, up to this). */
const MAX_WORKERS = 4;

/** One file to encrypt. */
export interface EncryptJob {
  plaintext: Uint8Array;
  /** Its age recipients (at least one). */
  recipients: readonly string[];
}

/** The files of a write being encrypted: ask for each in turn, then close. */
export interface Encryption {
  /** The age file for job `i`. @throws what `encrypt` throws, for that file only. */
  file(i: number): Promise<Uint8Array>;
  /** Ends the worker threads, if any. */
  close(): Promise<void>;
  /** How many worker threads were started (0: all on this thread). */
  readonly threads: number;
}

class EncryptWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, (files: Uint8Array[] | undefined) => void>();
  #next = 0;
  #dead = false;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.unref();
    worker.on("message", (m: EncryptResponse) => {
      const done = this.#pending.get(m.encrypted.id);
      this.#pending.delete(m.encrypted.id);
      done?.(m.encrypted.ends.length > 0 ? unpackParts(m.encrypted.data, m.encrypted.ends) : undefined);
    });
    const fail = () => {
      this.#dead = true;
      for (const done of this.#pending.values()) done(undefined);
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", fail);
  }

  /** The batch's age files, or undefined when this worker could not make them all. Never rejects. */
  encrypt(jobs: readonly EncryptJob[]): Promise<Uint8Array[] | undefined> {
    if (this.#dead) return Promise.resolve(undefined);
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, (files) => resolve(files?.length === jobs.length ? files : undefined));
      try {
        const { data, ends } = pack(jobs.map((j) => j.plaintext));
        const request: EncryptRequest = { encrypt: { id, data, ends, recipients: jobs.map((j) => [...j.recipients]) } };
        this.#worker.postMessage(request, [data]);
      } catch {
        this.#pending.delete(id);
        resolve(undefined);
      }
    });
  }

  async close(): Promise<void> {
    this.#dead = true;
    await this.#worker.terminate().catch(() => undefined);
  }
}

function startWorkers(max: number | undefined, script: URL): EncryptWorker[] {
  if (script.protocol !== "file:" || !existsSync(fileURLToPath(script))) return [];
  const cores = availableParallelism();
  const n = max ?? (cores > 1 ? Math.min(MAX_WORKERS, cores) : 0);
  const workers: EncryptWorker[] = [];
  for (let i = 0; i < n; i++) {
    try {
      // The reading worker's script with nothing to read: no identity, no roster.
      workers.push(new EncryptWorker(new Worker(script, { workerData: { members: [], identities: [] }, stdout: true, stderr: true })));
    } catch {
      break;
    }
  }
  return workers;
}

/**
 * Starts encrypting `jobs`: on worker threads when there are many files,
 * more than one core (or `threads` says how many; 0 for none) and only
 * X25519 recipients; on this thread, one file at a time as asked, otherwise.
 * `script` is the worker's (the built one next to this module by default).
 */
export function encryptFiles(jobs: readonly EncryptJob[], threads?: number, script: URL = workerScript()): Encryption {
  const here = (i: number) => encrypt(jobs[i]!.plaintext, jobs[i]!.recipients);
  const x25519Only = jobs.every((j) => j.recipients.length > 0 && j.recipients.every((r) => r.startsWith("age1") && !r.startsWith("age1pq1")));
  const workers = jobs.length >= POOL_MIN_FILES && x25519Only ? startWorkers(threads, script) : [];
  if (workers.length === 0) return { file: here, close: async () => undefined, threads: 0 };
  const batches: Promise<Uint8Array[] | undefined>[] = [];
  for (let start = 0, b = 0; start < jobs.length; start += BATCH, b++) {
    batches.push(workers[b % workers.length]!.encrypt(jobs.slice(start, start + BATCH)));
  }
  return {
    file: async (i) => (await batches[Math.floor(i / BATCH)]!)?.[i % BATCH] ?? here(i),
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
    threads: workers.length,
  };
}
