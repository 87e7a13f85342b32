/**
 * The read cache's file (./cache.ts): its bytes are `<HMAC-SHA-256 hex>\n<JSON>`
 * age-encrypted to the user's own X25519 recipient, written atomically (a
 * temp file in the same directory, then rename). Used on the main thread and
 * by the reading worker, which writes a cache in the background
 * (./read-pool.ts); so this module imports no more than the native age path.
 * The worker only seals (MAC and payload); the header is made here first.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ageHeader } from "../crypto/native.js";
import { encryptPayload } from "../crypto/payload.js";
import { NativeX25519Recipient } from "../crypto/x25519.js";

/** The MAC of a cache's JSON under the user's key. */
function cacheMac(key: Uint8Array, json: string): Buffer {
  return createHmac("sha256", key).update(json).digest();
}

/**
 * The age header of a new cache file and its file key. Made on the main
 * thread: it generates an X25519 key, which a worker thread never does
 * (../crypto/x25519.ts); {@link sealCache} then needs only symmetric crypto.
 */
export interface CacheSeal {
  header: Uint8Array;
  fileKey: Uint8Array;
}

/** A header for the user's own recipient (main thread only). */
export function cacheSeal(recipient: string): CacheSeal {
  const fileKey = randomBytes(16);
  return { header: ageHeader(fileKey, [new NativeX25519Recipient(recipient)]), fileKey };
}

/** The encrypted bytes of a cache file holding `json`: the header of `seal`, and the MAC line and JSON as its payload. */
export function sealCache(json: string, key: Uint8Array, seal: CacheSeal): Uint8Array {
  return Buffer.concat([seal.header, encryptPayload(seal.fileKey, Buffer.from(`${cacheMac(key, json).toString("hex")}\n${json}`))]);
}

/** Removes the temp files an interrupted write left in the cache directory `dir` (only ciphertext, but of what the cache held then). */
export async function sweepTemps(dir: string): Promise<void> {
  for (const n of await readdir(dir).catch(() => [] as string[])) if (n.endsWith(".tmp")) await rm(join(dir, n), { force: true }).catch(() => undefined);
}

/** Writes `bytes` to `path` atomically (mode 0600), sweeping temp files an interrupted write left. */
export async function writeCacheFile(path: string, bytes: Uint8Array): Promise<void> {
  const dir = join(path, "..");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await sweepTemps(dir);
  const temp = join(dir, `.${randomBytes(6).toString("hex")}.tmp`);
  await writeFile(temp, bytes, { mode: 0o600, flag: "wx" });
  await rename(temp, path).catch(async (e: unknown) => {
    await rm(temp, { force: true });
    throw e;
  });
}

/** A cache larger than this is not read (a repository of 100,000 records stays well below). */
const MAX_CACHE_BYTES = 512 * 1024 * 1024;

/**
 * The JSON of the cache file at `path`, if it decrypts and its MAC checks
 * under `key`, with when it was written by the file system's clock (its
 * mtime, which ./cache.ts checks entries against); undefined otherwise.
 * Never throws.
 */
export async function openCacheFile(path: string, decrypt: (bytes: Uint8Array) => Promise<Uint8Array>, key: Uint8Array): Promise<{ json: string; written: number } | undefined> {
  try {
    // In one read (fs/promises reads a large file in many trips through the thread pool).
    // Not through a link, and a FIFO opens at once (then fails the check below) instead of waiting for a writer.
    const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    let bytes: Buffer;
    let written: number;
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > MAX_CACHE_BYTES) return undefined;
      written = st.mtimeMs;
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    const plain = Buffer.from(await decrypt(bytes));
    if (plain.indexOf(0x0a) !== 64) return undefined;
    const tag = Buffer.from(plain.toString("latin1", 0, 64), "hex");
    const json = plain.toString("utf8", 65);
    const want = cacheMac(key, json);
    return tag.length === want.length && timingSafeEqual(tag, want) ? { json, written } : undefined;
  } catch {
    return undefined;
  }
}
