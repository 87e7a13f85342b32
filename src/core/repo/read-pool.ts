/**
 * A second thread for reading many record files at once (a cold listing of
 * a large repository). ./read-worker.ts decrypts batches the main thread
 * hands it with the native age path (../crypto/native.ts) and, for records
 * in coc's JSON style, checks the signature too; the main thread meanwhile
 * decrypts other batches itself, and parses and validates everything.
 *
 * Nothing is taken on the worker's word that the main thread would decide
 * differently:
 * - A file the native path doubts comes back "typage" and is decrypted again
 *   on the main thread, where typage's verdict stands (../crypto/age.ts).
 * - A signature verdict comes with a hash of what the worker checked: the
 *   canonical text, the key and the signature. ./read-cases.ts uses it only
 *   when the record as the main thread parsed and validated it gives the
 *   same hash with its author's key on the roster and its own signature.
 *   Otherwise the signature is checked again.
 * - A worker that fails to start or dies answers "typage" for every open and
 *   later batch: the work is done on one thread, nothing is lost.
 *
 * The worker's script is the built `read-worker.cjs` (dist/bundle/) or
 * `read-worker.js` (dist/core/repo/) next to this module. Run from the
 * TypeScript sources (the unit tests), there is none, and
 * {@link ReadPool.start} returns undefined. What passes between the threads
 * is ./read-wire.ts.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import type { RecordDecrypter } from "../crypto/age.js";
import { availableParallelism } from "node:os";
import type { CacheWrite, CacheWriter } from "./cache.js";
import { NOT_A_RECIPIENT, pack, type PoolData, type PoolRequest, type PoolResponse, type PoolVerdict, type SaveRequest } from "./read-wire.js";

function unpack(m: PoolResponse): PoolVerdict[] {
  let start = 0;
  return m.ends.map((end, i) => {
    if (end === NOT_A_RECIPIENT) return "not-a-recipient";
    if (end < 0) return "typage";
    const plaintext = new Uint8Array(m.data, start, end - start);
    start = end;
    const checked = m.checked[i];
    return typeof checked === "string" ? { plaintext, sig: { checked, ok: m.ok[i] === true } } : { plaintext };
  });
}

/**
 * The worker script: in dist/bundle/, one CommonJS file (a worker starts it
 * without Node's ES module loader, a few milliseconds sooner); in
 * dist/core/repo/, tsc's ES module.
 */
export function workerScript(): URL {
  const cjs = new URL("./read-worker.cjs", import.meta.url);
  return cjs.protocol === "file:" && existsSync(fileURLToPath(cjs)) ? cjs : new URL("./read-worker.js", import.meta.url);
}

export class ReadPool {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { size: number; resolve: (v: PoolVerdict[]) => void }>();
  #next = 0;
  #dead = false;
  #handedOff = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
    // The pool never keeps the process alive; close() ends the thread.
    worker.unref();
    worker.on("message", (m: PoolResponse) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      p.resolve(m.ends.length === p.size ? unpack(m) : typageAll(p.size));
    });
    const fail = () => {
      this.#dead = true;
      for (const p of this.#pending.values()) p.resolve(typageAll(p.size));
      this.#pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", fail);
  }

  /** Starts the worker, or returns undefined (see the module comment). */
  static start(decrypter: RecordDecrypter, data: PoolData, script: URL = workerScript()): ReadPool | undefined {
    const worker = decrypter.startWorker(script, { ...data });
    return worker ? new ReadPool(worker) : undefined;
  }

  /** Decrypts a batch on the worker thread. Never rejects: a failed worker answers "typage" for each file. */
  decrypt(files: readonly Uint8Array[]): Promise<PoolVerdict[]> {
    if (this.#dead || files.length === 0) return Promise.resolve(typageAll(files.length));
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, { size: files.length, resolve });
      try {
        const { data, ends } = pack(files);
        this.#worker.postMessage({ id, data, ends } satisfies PoolRequest, [data]);
      } catch {
        this.#pending.delete(id);
        resolve(typageAll(files.length));
      }
    });
  }

  /**
   * Hands the worker its last job, writing the read cache; it then ends by
   * itself, and the process waits for it. False when the worker is gone.
   */
  handOff(job: CacheWrite): boolean {
    if (this.#dead || this.#handedOff) return false;
    try {
      this.#worker.postMessage({ save: job } satisfies SaveRequest);
    } catch {
      return false;
    }
    this.#handedOff = true;
    this.#dead = true;
    this.#worker.ref();
    return true;
  }

  /** Ends the worker thread (one handed a cache to write ends by itself). */
  async close(): Promise<void> {
    this.#dead = true;
    if (!this.#handedOff) await this.#worker.terminate().catch(() => undefined);
  }
}

/** Worker threads at most (one per core, up to this). */
const MAX_WORKERS = 4;

/**
 * The worker threads of one read: started on first need, one per core (a
 * single core gains nothing) unless `max` says otherwise; the first of them
 * may then write the read cache in the background.
 */
export class ReadThreads implements CacheWriter {
  readonly #decrypter: RecordDecrypter;
  readonly #data: PoolData;
  readonly #max: number | undefined;
  #pools: ReadPool[] | undefined;
  /** Whether the main thread decrypts too: fewer workers than cores. */
  sharesMain = false;

  constructor(decrypter: RecordDecrypter, data: PoolData, max: number | undefined) {
    this.#decrypter = decrypter;
    this.#data = data;
    this.#max = max;
  }

  /** Starts the workers (once); none when there is no built worker script. */
  start(): readonly ReadPool[] {
    if (!this.#pools) {
      const cores = availableParallelism();
      // One per core, measured a little faster than one fewer with this thread decrypting too.
      const n = this.#max ?? (cores > 1 ? Math.min(MAX_WORKERS, cores) : 0);
      this.#pools = Array.from({ length: n }, () => ReadPool.start(this.#decrypter, this.#data)).filter((p) => p !== undefined);
      this.sharesMain = this.#pools.length < cores;
    }
    return this.#pools;
  }

  /** Writes the cache on a started worker; false when none was started. */
  write(job: CacheWrite): boolean {
    return this.#pools?.some((p) => p.handOff(job)) ?? false;
  }

  /** Ends every worker but one writing the cache. */
  async close(): Promise<void> {
    await Promise.all((this.#pools ?? []).map((p) => p.close()));
  }
}

function typageAll(n: number): PoolVerdict[] {
  return new Array<PoolVerdict>(n).fill("typage");
}
