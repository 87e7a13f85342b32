/**
 * HKDF-SHA-256 (RFC 5869) for a 32-byte output, the only length age uses:
 * one HMAC to extract, one to expand. Node's `hkdfSync` gives the same bytes
 * but imports a key object per call, which costs about twice as much; a
 * listing derives three keys per record file.
 */
import { createHmac } from "node:crypto";

const ZERO_SALT = Buffer.alloc(32);
const COUNTER_1 = Buffer.of(1);

/** HKDF-SHA-256(ikm, salt, info) with a 32-byte output (an empty salt means 32 zero bytes, as RFC 5869 says). */
export function hkdf32(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array): Buffer {
  const prk = createHmac("sha256", salt.length === 0 ? ZERO_SALT : salt).update(ikm).digest();
  return createHmac("sha256", prk).update(info).update(COUNTER_1).digest();
}
