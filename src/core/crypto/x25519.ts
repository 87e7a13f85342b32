/**
 * The age X25519 recipient type (age-encryption.org/v1/X25519), backed by
 * Node's native X25519, HKDF-SHA-256 and ChaCha20-Poly1305 (OpenSSL).
 *
 * Why not typage's own X25519 classes: on Node they go through WebCrypto with a
 * PKCS#8 import per operation, which costs about 1 ms per file and recipient.
 * These classes serve ./native.ts (the whole file format without typage, for
 * X25519-only files) and plug into typage's documented `Recipient` /
 * `Identity` extension points (structurally: this module does not import
 * typage) for the files typage still handles. The stanza format follows the
 * age spec exactly; known-answer tests, the CCTV vectors and interop tests
 * with the age CLI and with typage's own implementation guard it.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import type { Stanza } from "./header.js";
import { base64nopad, bech32 } from "@scure/base";
import { hkdf32 } from "./hkdf.js";

const LABEL = Buffer.from("age-encryption.org/v1/X25519");
// The bech32 prefix of age secret keys (written this way so that no source line looks like a key).
const IDENTITY_PREFIX = "AGE-SECRET-KEY-";
const ZERO_NONCE = Buffer.alloc(12);
// The fixed ASN.1 prefix of a PKCS#8 X25519 private key; the 32-byte scalar follows.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

// JWK is the fastest way into a KeyObject for a raw X25519 key (about 10 µs, DER about 90 µs).
function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: Buffer.from(raw).toString("base64url") },
    format: "jwk",
  });
}

let basepoint: KeyObject | undefined;

/**
 * The raw public key of an X25519 private key: X25519(scalar, 9), a
 * Diffie-Hellman with the base point. Used instead of exporting the key
 * (see {@link ephemeralKeyPair} for what an export can do on Node 20).
 */
function publicOf(privateKey: KeyObject): Buffer {
  basepoint ??= publicKeyObject(Buffer.from([9, ...new Array<number>(31).fill(0)]));
  return diffieHellman({ privateKey, publicKey: basepoint });
}

/**
 * A fresh ephemeral key pair for one stanza: the private key, and the public
 * key's raw bytes as key generation itself encodes them. Never a separate
 * `export()` of a generated key: on Node 20, a garbage collection during that
 * export can run the key generation job's finalizer, which waits for the lock
 * the export holds, and the process hangs for good (seen about once in
 * 300,000 stanzas, stack read with gdb). Safe on any thread.
 */
function ephemeralKeyPair(): { privateKey: KeyObject; share: Buffer } {
  // Node accepts JWK as the public key's encoding (@types/node's overloads for x25519 do not list it).
  const encoding = { publicKeyEncoding: { format: "jwk" } } as unknown as Parameters<typeof generateKeyPairSync>[1];
  const { privateKey, publicKey } = generateKeyPairSync("x25519", encoding) as unknown as { privateKey: KeyObject; publicKey: { x?: unknown } };
  if (typeof publicKey.x !== "string") throw new Error("x25519: key generation gave no public key");
  return { privateKey, share: Buffer.from(publicKey.x, "base64url") };
}

function wrapKey(sharedSecret: Buffer, share: Uint8Array, recipient: Uint8Array): Buffer {
  const salt = Buffer.concat([share, recipient]);
  return hkdf32(sharedSecret, salt, LABEL);
}

/** Decodes an `age1...` X25519 recipient to its 32 raw bytes; throws "invalid recipient". */
export function decodeX25519Recipient(s: string): Uint8Array {
  let decoded: { prefix: string; bytes: Uint8Array };
  try {
    decoded = bech32.decodeToBytes(s);
  } catch {
    throw new Error("invalid recipient");
  }
  if (!s.startsWith("age1") || decoded.prefix !== "age" || decoded.bytes.length !== 32) {
    throw new Error("invalid recipient");
  }
  return decoded.bytes;
}

/** Decodes an `AGE-SECRET-KEY-…` identity to its 32-byte scalar; throws "invalid identity". */
export function decodeX25519Identity(s: string): Uint8Array {
  let decoded: { prefix: string; bytes: Uint8Array };
  try {
    decoded = bech32.decodeToBytes(s);
  } catch {
    throw new Error("invalid identity");
  }
  if (!s.startsWith(`${IDENTITY_PREFIX}1`) || decoded.prefix.toUpperCase() !== IDENTITY_PREFIX || decoded.bytes.length !== 32) {
    throw new Error("invalid identity");
  }
  return decoded.bytes;
}

/** Encodes a 32-byte scalar as an `AGE-SECRET-KEY-…` identity. */
export function encodeX25519Identity(scalar: Uint8Array): string {
  return bech32.encodeFromBytes(IDENTITY_PREFIX, scalar).toUpperCase();
}

/** An `age1...` recipient: wraps a file key for one X25519 public key. */
export class NativeX25519Recipient {
  readonly #raw: Uint8Array;
  readonly #key: KeyObject;

  /** @throws Error("invalid recipient") when `s` is not an age X25519 recipient. */
  constructor(s: string) {
    this.#raw = decodeX25519Recipient(s);
    this.#key = publicKeyObject(this.#raw);
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    const { privateKey, share } = ephemeralKeyPair();
    const secret = diffieHellman({ privateKey, publicKey: this.#key });
    const cipher = createCipheriv("chacha20-poly1305", wrapKey(secret, share, this.#raw), ZERO_NONCE, {
      authTagLength: 16,
    });
    const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
    return [{ args: ["X25519", base64nopad.encode(share)], body: new Uint8Array(body) }];
  }
}

// Decoding a recipient and importing its key costs more than wrapping a file key: a process (or a
// worker thread) writing many files reuses them.
const recipientCache = new Map<string, NativeX25519Recipient>();

/** The recipient for `s`, imported once per thread. @throws Error("invalid recipient"). */
export function x25519Recipient(s: string): NativeX25519Recipient {
  let r = recipientCache.get(s);
  if (!r) {
    r = new NativeX25519Recipient(s);
    if (recipientCache.size > 1024) recipientCache.clear();
    recipientCache.set(s, r);
  }
  return r;
}

/**
 * An `AGE-SECRET-KEY-…` identity, imported once. It remembers at which
 * position in the header its stanza was last found and tries that one first:
 * records of one team list their recipients in roster order, so this saves
 * most of the Diffie-Hellman operations when reading many files.
 */
export class NativeX25519Identity {
  readonly #key: KeyObject;
  /** The matching `age1...` recipient. */
  readonly recipient: string;
  readonly #raw: Buffer;
  readonly #scalar: Buffer;
  #hint = 0;

  /** @throws Error("invalid identity") when `s` is not an age X25519 identity. */
  constructor(s: string) {
    const scalar = decodeX25519Identity(s);
    this.#scalar = Buffer.from(scalar);
    this.#key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, scalar]), format: "der", type: "pkcs8" });
    this.#raw = publicOf(this.#key);
    this.recipient = bech32.encodeFromBytes("age", this.#raw);
  }

  /**
   * A 32-byte key for a local purpose of this identity's holder (HKDF-SHA-256
   * of the secret with `label`): only someone holding the identity can make it,
   * and keys for different labels are independent.
   */
  deriveKey(label: string): Buffer {
    return Buffer.from(hkdfSync("sha256", this.#scalar, Buffer.alloc(0), Buffer.from(label), 32));
  }

  /** Generates a new random identity. */
  static generate(): string {
    return encodeX25519Identity(randomBytes(32));
  }

  unwrapFileKey(stanzas: Stanza[]): Uint8Array | null {
    const hinted = stanzas[this.#hint];
    if (hinted) {
      const key = this.#unwrap(hinted);
      if (key) return key;
    }
    for (let i = 0; i < stanzas.length; i++) {
      if (i === this.#hint) continue;
      const key = this.#unwrap(stanzas[i]!);
      if (key) {
        this.#hint = i;
        return key;
      }
    }
    return null;
  }

  #unwrap(stanza: Stanza): Uint8Array | null {
    if (stanza.args[0] !== "X25519") return null;
    // Malformed stanzas of our type are an error, not a mismatch (age spec).
    if (stanza.args.length !== 2) throw new Error("invalid X25519 stanza");
    let share: Uint8Array;
    try {
      share = base64nopad.decode(stanza.args[1]!);
    } catch {
      throw new Error("invalid X25519 stanza");
    }
    if (share.length !== 32 || stanza.body.length !== 32) throw new Error("invalid X25519 stanza");
    let secret: Buffer;
    try {
      secret = diffieHellman({ privateKey: this.#key, publicKey: publicKeyObject(share) });
    } catch {
      // A low-order point yields an all-zero secret, which OpenSSL refuses.
      throw new Error("invalid X25519 stanza");
    }
    const decipher = createDecipheriv("chacha20-poly1305", wrapKey(secret, share, this.#raw), ZERO_NONCE, {
      authTagLength: 16,
    });
    decipher.setAuthTag(stanza.body.subarray(16));
    try {
      return new Uint8Array(Buffer.concat([decipher.update(stanza.body.subarray(0, 16)), decipher.final()]));
    } catch {
      return null;
    }
  }
}
