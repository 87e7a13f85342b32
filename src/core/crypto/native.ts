/**
 * Binary age files with X25519 recipients only, read and written with
 * node:crypto alone: the header (./header.ts), the X25519 stanzas
 * (./x25519.ts), the header MAC and the STREAM payload (./payload.ts).
 *
 * Why: typage's web streams and per-file buffers cost about four times the
 * cryptography itself, and listing 1,000 cases decrypts 5,000 files. This
 * path handles exactly the files coc writes; everything else (armored files,
 * scrypt, post-quantum or plugin stanzas, anything malformed, anything that
 * fails) is answered "typage", and ./age.ts hands it to typage, whose verdict
 * stands. So this module can only ever be stricter than typage: it gives a
 * verdict of its own only for a well-formed file it decrypts and
 * authenticates, or for a well-formed X25519-only header none of whose
 * stanzas is for the caller. The CCTV vectors (test/core/cctv.test.ts) check
 * that it agrees with typage on every one.
 */
import { randomBytes } from "node:crypto";
import { decodeBase64Strict, encodeBase64, encodeHeaderNoMAC, parseHeader, type Stanza } from "./header.js";
import { checkHeaderMac, decryptPayload, encryptPayload, headerMac } from "./payload.js";
import type { NativeX25519Identity, NativeX25519Recipient } from "./x25519.js";

/** What the native path says about a file. */
export type NativeVerdict = { kind: "plaintext"; plaintext: Uint8Array } | { kind: "not-a-recipient" } | { kind: "typage" };

const TYPAGE: NativeVerdict = { kind: "typage" };

/** A well-formed X25519 stanza: two arguments, a canonical 32-byte share, a 32-byte body. */
function isWellFormedX25519(s: Stanza): boolean {
  if (s.args[0] !== "X25519" || s.args.length !== 2 || s.body.length !== 32) return false;
  return decodeBase64Strict(s.args[1]!)?.length === 32;
}

/**
 * Decrypts a binary age file with X25519 identities.
 * Never throws: every doubt is answered `{ kind: "typage" }`.
 */
export function decryptNative(file: Uint8Array, identities: readonly NativeX25519Identity[]): NativeVerdict {
  if (identities.length === 0) return TYPAGE;
  const header = parseHeader(file);
  if (!header || !header.stanzas.every(isWellFormedX25519)) return TYPAGE;
  let fileKey: Uint8Array | null = null;
  try {
    for (const id of identities) {
      fileKey = id.unwrapFileKey(header.stanzas);
      if (fileKey) break;
    }
  } catch {
    return TYPAGE; // e.g. a low-order share: typage says what is wrong
  }
  if (!fileKey) return { kind: "not-a-recipient" };
  if (fileKey.length !== 16 || !checkHeaderMac(fileKey, header.headerNoMAC, header.mac)) return TYPAGE;
  const plaintext = decryptPayload(fileKey, file.subarray(header.payloadStart));
  // A plain Uint8Array, as typage returns (not a Buffer).
  return plaintext ? { kind: "plaintext", plaintext: new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength) } : TYPAGE;
}

/**
 * Encrypts `plaintext` to X25519 recipients (at least one): a fresh file key,
 * one stanza per recipient in the order given, the header MAC, the payload.
 * @returns the binary age file.
 */
export function encryptNative(plaintext: Uint8Array, recipients: readonly NativeX25519Recipient[]): Uint8Array {
  const fileKey = randomBytes(16);
  const out = Buffer.concat([ageHeader(fileKey, recipients), encryptPayload(fileKey, plaintext)]);
  fileKey.fill(0);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * The header of an age file with this file key: one stanza per recipient
 * (at least one), in the order given, and the header MAC. The payload
 * follows it (./payload.ts, encryptPayload with the same file key).
 */
export function ageHeader(fileKey: Uint8Array, recipients: readonly NativeX25519Recipient[]): Buffer {
  if (recipients.length === 0) throw new Error("no recipients");
  const stanzas = recipients.flatMap((r) => r.wrapFileKey(fileKey));
  const headerNoMAC = encodeHeaderNoMAC(stanzas);
  const macLine = Buffer.from(` ${encodeBase64(headerMac(fileKey, headerNoMAC))}\n`, "latin1");
  return Buffer.concat([headerNoMAC, macLine]);
}
