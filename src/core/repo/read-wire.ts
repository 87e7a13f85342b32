/**
 * What passes between the main thread and the reading worker
 * (./read-pool.ts, ./read-worker.ts): plain values and moved buffers only.
 * No `import.meta` here: the worker is also bundled as CommonJS.
 */
import { createHash } from "node:crypto";
import type { TrustedMember } from "../records/verification.js";
import type { CacheWrite } from "./cache.js";

/**
 * One batch for the worker: the files one after another in one buffer
 * (moved, not copied), and where each ends. (A Uint8Array sent as it is
 * would copy the whole buffer it views, often Node's 8 KiB pool.)
 */
export interface PoolRequest {
  id: number;
  data: ArrayBuffer;
  ends: number[];
}

/** What the worker found about a record's signature. */
export interface SignatureCheck {
  /** What was checked: {@link checkedHash} of the canonical text, the key and the signature. */
  checked: string;
  ok: boolean;
}

/** Where a file's plaintext would end, for a file the native path did not decrypt. */
export const NOT_A_RECIPIENT = -1;
export const TYPAGE = -2;

/**
 * The worker's answer to a batch, in arrays of plain values (cheap to send):
 * per file, where its plaintext ends in `data` (or NOT_A_RECIPIENT, TYPAGE),
 * and the signature check, if one was made (`checked` null otherwise).
 */
export interface PoolResponse {
  id: number;
  data: ArrayBuffer;
  ends: number[];
  checked: (string | null)[];
  ok: boolean[];
}

/** A file's outcome on the worker. */
export type PoolVerdict = { plaintext: Uint8Array; sig?: SignatureCheck } | "not-a-recipient" | "typage";

/** What the worker is started with (besides the identities, which ../crypto/age.ts adds). */
export interface PoolData {
  members: TrustedMember[];
}

/** A cache file for the worker to seal and write (../repo/cache-file.ts); its last message. */
export interface SaveRequest {
  save: CacheWrite;
}

/**
 * A batch for a worker to encrypt (./encrypt-pool.ts): the plaintexts packed
 * like a {@link PoolRequest}'s files, and each one's X25519 recipients.
 */
export interface EncryptRequest {
  encrypt: { id: number; data: ArrayBuffer; ends: number[]; recipients: string[][] };
}

/** The age files of an {@link EncryptRequest}, packed; `ends` is empty when the batch failed. */
export interface EncryptResponse {
  encrypted: { id: number; data: ArrayBuffer; ends: number[] };
}

/** Splits what {@link pack} packed: views into `data`, one per end. */
export function unpackParts(data: ArrayBuffer, ends: readonly number[]): Uint8Array[] {
  let start = 0;
  return ends.map((end) => {
    const part = new Uint8Array(data, start, end - start);
    start = end;
    return part;
  });
}

/** Packs byte arrays into one fresh buffer: the buffer and where each ends. */
export function pack(parts: readonly Uint8Array[]): { data: ArrayBuffer; ends: number[] } {
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const ends: number[] = [];
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    ends.push((at += p.length));
  }
  return { data: data.buffer, ends };
}

/** What a signature check is named by: the SHA-256 (hex) of the canonical text, the key and the signature, each length-prefixed. */
export function checkedHash(canonical: string, key: string, signature: string): string {
  const h = createHash("sha256");
  for (const part of [canonical, key, signature]) h.update(`${Buffer.byteLength(part, "utf8")}:`).update(part, "utf8");
  return h.digest("hex");
}

