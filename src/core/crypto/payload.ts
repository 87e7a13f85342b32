/**
 * The age v1 payload (C2SP age.md "Payload") with node:crypto: a 16-byte
 * nonce, the payload key HKDF-SHA-256(file key, nonce, "payload"), and the
 * STREAM construction, 64 KiB ChaCha20-Poly1305 chunks whose 12-byte nonce is
 * an 11-byte big-endian counter and a last-chunk flag. Also the header MAC.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from "node:crypto";
import { hkdf32, hmacSha256 } from "./hkdf.js";

const CHUNK = 64 * 1024;
const TAG = 16;
const NONCE = 16;
const PAYLOAD_LABEL = Buffer.from("payload");
const HEADER_LABEL = Buffer.from("header");
const EMPTY = Buffer.alloc(0);

/** The header MAC: HMAC-SHA-256 keyed with HKDF-SHA-256(file key, "", "header") over `headerNoMAC`. */
export function headerMac(fileKey: Uint8Array, headerNoMAC: Uint8Array): Buffer {
  const key = hkdf32(fileKey, EMPTY, HEADER_LABEL);
  return hmacSha256(key, headerNoMAC);
}

/** True when `mac` is the header MAC of `headerNoMAC` under `fileKey` (constant time). */
export function checkHeaderMac(fileKey: Uint8Array, headerNoMAC: Uint8Array, mac: Uint8Array): boolean {
  const want = headerMac(fileKey, headerNoMAC);
  return mac.length === want.length && timingSafeEqual(mac, want);
}

function chunkNonce(counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  // 11-byte big-endian counter: a record file never has 2^32 chunks, the low 4 bytes suffice.
  n.writeUInt32BE(counter, 7);
  n[11] = last ? 1 : 0;
  return n;
}

/**
 * Decrypts the payload (nonce and STREAM chunks) with the file key.
 * @returns undefined when it does not authenticate or is malformed (too
 * short, a truncated or empty final chunk).
 */
export function decryptPayload(fileKey: Uint8Array, payload: Uint8Array): Buffer | undefined {
  if (payload.length < NONCE) return undefined;
  const nonce = payload.subarray(0, NONCE);
  const body = payload.subarray(NONCE);
  const key = hkdf32(fileKey, nonce, PAYLOAD_LABEL);
  const full = CHUNK + TAG;
  // Every chunk but the last is full; the last is what remains (a full one when the body divides evenly).
  const chunks = Math.max(1, Math.ceil(body.length / full));
  const out: Buffer[] = [];
  for (let i = 0; i < chunks; i++) {
    const last = i === chunks - 1;
    const chunk = body.subarray(i * full, last ? body.length : (i + 1) * full);
    if (chunk.length < TAG) return undefined;
    const d = createDecipheriv("chacha20-poly1305", key, chunkNonce(i, last), { authTagLength: TAG });
    d.setAuthTag(chunk.subarray(chunk.length - TAG));
    let plain: Buffer;
    try {
      plain = Buffer.concat([d.update(chunk.subarray(0, chunk.length - TAG)), d.final()]);
    } catch {
      return undefined;
    }
    // The final chunk may be empty only when it is the only one.
    if (last && plain.length === 0 && i > 0) return undefined;
    out.push(plain);
  }
  return out.length === 1 ? out[0] : Buffer.concat(out);
}

/** Encrypts `plaintext` as a payload (fresh nonce, then STREAM chunks) under the file key. */
export function encryptPayload(fileKey: Uint8Array, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE);
  const key = hkdf32(fileKey, nonce, PAYLOAD_LABEL);
  const chunks = Math.max(1, Math.ceil(plaintext.length / CHUNK));
  const out: Buffer[] = [nonce];
  for (let i = 0; i < chunks; i++) {
    const last = i === chunks - 1;
    const c = createCipheriv("chacha20-poly1305", key, chunkNonce(i, last), { authTagLength: TAG });
    out.push(c.update(plaintext.subarray(i * CHUNK, last ? plaintext.length : (i + 1) * CHUNK)), c.final(), c.getAuthTag());
  }
  return Buffer.concat(out);
}
