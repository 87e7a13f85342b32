/**
 * Record signatures (DESIGN.md §7): the author's SSH signature, namespace
 * `coc-record`, over the record's canonical bytes (./canonical.ts). The
 * signature is stored in the record's `signature` field and survives
 * re-encryption, since it covers the plaintext only.
 */
import { sshsign, sshverify, sshverifyAsync } from "../crypto/sshsig.js";
import type { SigningKey } from "../crypto/signing.js";
import { canonicalBytes } from "./canonical.js";

/** The SSHSIG namespace of record signatures (`ssh-keygen -Y verify -n coc-record`). */
export const RECORD_NAMESPACE = "coc-record";

/**
 * Signs `record` (any `signature` field it already has is left out of what is signed).
 * @returns the armored signature text, ending with a newline.
 * @throws Error when the record cannot be made canonical (see {@link canonicalBytes}).
 */
export function signRecord(record: object, key: SigningKey): string {
  return sshsign(canonicalBytes(record), key.privateKey, RECORD_NAMESPACE);
}

/**
 * Checks that `signature` is `publicKey`'s signature over `record` (its
 * `signature` field, if any, left out).
 * @param publicKey the author's signing key from the confirmed roster, `ssh-ed25519 AAAA…`.
 * @returns false for anything but a valid signature by that key in namespace
 * `coc-record`; never throws.
 */
export function verifyRecord(record: object, signature: string, publicKey: string): boolean {
  let bytes: Uint8Array;
  try {
    bytes = canonicalBytes(record);
  } catch {
    return false;
  }
  return sshverify(signature, bytes, publicKey, RECORD_NAMESPACE);
}

/**
 * {@link verifyRecord} with the Ed25519 step on the thread pool: for checking
 * many records at once (a listing), where it uses every core. Never rejects.
 */
export function verifyRecordAsync(record: object, signature: string, publicKey: string): Promise<boolean> {
  let bytes: Uint8Array;
  try {
    bytes = canonicalBytes(record);
  } catch {
    return Promise.resolve(false);
  }
  return sshverifyAsync(signature, bytes, publicKey, RECORD_NAMESPACE);
}
