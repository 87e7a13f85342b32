/**
 * Encrypting and decrypting coc records: binary age files (age-encryption.org/v1)
 * with X25519 recipients. This module is the only importer of age-encryption,
 * and imports it only when a file needs it: binary X25519-only files (what coc
 * writes) are read and written by ./native.ts with node:crypto; armored files,
 * passphrases, post-quantum recipients and every file the native path has a
 * doubt about go to typage, whose verdict stands.
 */
import { bech32 } from "@scure/base";
import type { Decrypter } from "age-encryption";
import { CorruptFileError, NotARecipientError } from "./errors.js";
import { isAgeFile, isArmoredAgeFile } from "./header.js";
import { decryptNative, encryptNative } from "./native.js";
import { NativeX25519Identity, decodeX25519Recipient, x25519Recipient } from "./x25519.js";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { KeyObject } from "node:crypto";

export { CorruptFileError, NotARecipientError } from "./errors.js";
export { countStanzas, isAgeFile, isArmoredAgeFile } from "./header.js";

/** typage, loaded on first need (it and its dependencies are some 60 modules). */
function typage(): Promise<typeof import("age-encryption")> {
  return import("age-encryption");
}

/**
 * Checks that `s` is a recipient coc can encrypt to: an X25519 `age1...` key or
 * a post-quantum hybrid `age1pq1...` key. Returns the normalised string.
 * @throws Error("invalid recipient")
 */
export function parseRecipient(s: string): string {
  // Bech32 allows an all-uppercase spelling; decode and store the canonical lowercase one
  // (the age CLI accepts only lowercase, and roster comparisons are exact).
  const trimmed = s.trim();
  const lower = trimmed === trimmed.toUpperCase() ? trimmed.toLowerCase() : trimmed;
  if (lower.startsWith("age1pq1")) {
    // What typage's HybridRecipient checks: bech32 (no length limit), prefix age1pq, a 1,216-byte key.
    let bytes: Uint8Array;
    try {
      const { prefix, words } = bech32.decode(lower as `${string}1${string}`, false);
      bytes = bech32.fromWords(words);
      if (prefix !== "age1pq") throw new Error("prefix");
    } catch {
      throw new Error("invalid recipient");
    }
    if (bytes.length !== 1216) throw new Error("invalid recipient");
    return lower;
  }
  decodeX25519Recipient(lower);
  return lower;
}

/**
 * The binary form of an age file: armored files are decoded.
 * @throws CorruptFileError when it is not an age file or its armor is bad.
 */
async function binaryAgeFile(file: Uint8Array): Promise<Uint8Array> {
  let bytes = file;
  if (isArmoredAgeFile(bytes)) {
    try {
      bytes = (await typage()).armor.decode(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new CorruptFileError(`bad armor: ${(e as Error).message}`);
    }
  }
  if (!isAgeFile(bytes)) throw new CorruptFileError("not an age file");
  return bytes;
}

/**
 * Encrypts `plaintext` to every recipient in `recipients` (at least one).
 * @returns the binary age file.
 * @throws Error("invalid recipient") for a malformed recipient.
 */
export async function encrypt(plaintext: Uint8Array | string, recipients: readonly string[]): Promise<Uint8Array> {
  if (recipients.length === 0) throw new Error("no recipients");
  const bytes = typeof plaintext === "string" ? new TextEncoder().encode(plaintext) : plaintext;
  if (!recipients.some((r) => r.startsWith("age1pq1"))) return encryptNative(bytes, recipients.map(x25519Recipient));
  const e = new (await typage()).Encrypter();
  for (const r of recipients) {
    if (r.startsWith("age1pq1")) e.addRecipient(r);
    else e.addRecipient(x25519Recipient(r));
  }
  return e.encrypt(bytes);
}

/** An age file in the ASCII armor (PEM-like text that `age -d` reads as it is), for a terminal or an e-mail. */
export async function armorFile(file: Uint8Array): Promise<string> {
  return (await typage()).armor.encode(file);
}

/**
 * The caller's unlocked identities, ready to decrypt many files. Build it once
 * per process (see ./identity.ts) and share it.
 */
/** A signing key as ./signing.ts makes it (structural, so this module needs no import of it). */
export interface Signer {
  readonly privateKey: KeyObject;
  readonly publicKey: string;
}

export class RecordDecrypter {
  /** The recipients (public keys) matching the identities, in file order. */
  readonly recipients: readonly string[];
  readonly #signer: (() => Signer) | undefined;
  #signing: Signer | undefined;
  /** The identities in file order: X25519 ones imported, post-quantum ones as strings (typage's). */
  readonly #identities: readonly (NativeX25519Identity | string)[];
  readonly #x25519: readonly NativeX25519Identity[];
  /** The X25519 identities as given, for a decryption worker (./decrypt-pool.ts). */
  readonly #x25519Secrets: readonly string[];
  #typage: Promise<Decrypter> | undefined;

  private constructor(recipients: string[], identities: (NativeX25519Identity | string)[], secrets: string[], signer: (() => Signer) | undefined) {
    this.recipients = recipients;
    this.#identities = identities;
    this.#x25519 = identities.filter((i): i is NativeX25519Identity => typeof i !== "string");
    this.#x25519Secrets = secrets;
    this.#signer = signer;
  }

  /**
   * The caller's signing key (see ./signing.ts), derived once.
   * @throws Error when the decrypter was made without one.
   */
  signingKey(): Signer {
    if (!this.#signer) throw new Error("no signing key for these identities");
    this.#signing ??= this.#signer();
    return this.#signing;
  }

  /**
   * A key for a local purpose (see NativeX25519Identity.deriveKey) from the
   * first X25519 identity, with that identity's recipient; undefined when
   * there is none (post-quantum identities only).
   */
  localKey(label: string): { key: Buffer; recipient: string } | undefined {
    const id = this.#x25519[0];
    return id ? { key: id.deriveKey(label), recipient: id.recipient } : undefined;
  }

  /**
   * Imports identity strings (`AGE-SECRET-KEY-…`, `AGE-SECRET-KEY-PQ-1...`).
   * @throws Error("invalid identity") for anything else.
   */
  static async fromIdentities(identities: readonly string[], signer?: () => Signer): Promise<RecordDecrypter> {
    const recipients: string[] = [];
    const parsed: (NativeX25519Identity | string)[] = [];
    const secrets: string[] = [];
    for (const s of identities) {
      if (s.startsWith("AGE-SECRET-KEY-PQ-1")) {
        recipients.push(await (await typage()).identityToRecipient(s));
        parsed.push(s);
      } else {
        const id = new NativeX25519Identity(s);
        recipients.push(id.recipient);
        parsed.push(id);
        secrets.push(s);
      }
    }
    return new RecordDecrypter(recipients, parsed, secrets, signer);
  }

  /**
   * Decrypts one age file (binary or armored).
   * @throws NotARecipientError when none of the identities matches.
   * @throws CorruptFileError when the file is not an age file or fails authentication.
   */
  async decrypt(file: Uint8Array): Promise<Uint8Array> {
    if (isAgeFile(file)) {
      const native = decryptNative(file, this.#x25519);
      if (native.kind === "plaintext") return native.plaintext;
      // A well-formed X25519-only header with no stanza for an X25519 identity: a post-quantum one cannot match either.
      if (native.kind === "not-a-recipient") throw new NotARecipientError();
    }
    const bytes = await binaryAgeFile(file);
    try {
      return await (await this.#typageDecrypter()).decrypt(bytes);
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      if (message.includes("no identity matched")) throw new NotARecipientError();
      throw new CorruptFileError(message.toLowerCase().replace(/\.$/, ""));
    }
  }

  /**
   * Starts a worker thread running `script` (a built module, such as
   * ../repo/read-worker.js) with `data` and this decrypter's X25519
   * identities as `workerData.identities` (passed in memory), for decrypting
   * many files on a second core with the native path (./native.ts).
   * @returns undefined when there is no X25519 identity, the script is not
   * there (run from the TypeScript sources), or the thread cannot start.
   */
  startWorker(script: URL, data: Record<string, unknown>): Worker | undefined {
    if (this.#x25519Secrets.length === 0 || script.protocol !== "file:" || !existsSync(fileURLToPath(script))) return undefined;
    try {
      return new Worker(script, { workerData: { ...data, identities: [...this.#x25519Secrets] }, stdout: true, stderr: true });
    } catch {
      return undefined;
    }
  }

  /** typage's decrypter over the same identities (the X25519 ones as imported here), made on first need. */
  #typageDecrypter(): Promise<Decrypter> {
    this.#typage ??= typage().then(({ Decrypter }) => {
      const d = new Decrypter();
      for (const id of this.#identities) d.addIdentity(id);
      return d;
    });
    return this.#typage;
  }
}

/**
 * Decrypts an age file protected by a passphrase (an identity file made with
 * `age -p`). @throws CorruptFileError on a wrong passphrase or a bad file.
 */
export async function decryptWithPassphrase(file: Uint8Array, passphrase: string): Promise<Uint8Array> {
  const { Decrypter, armor } = await typage();
  let bytes = file;
  if (isArmoredAgeFile(bytes)) bytes = armor.decode(new TextDecoder().decode(bytes));
  const d = new Decrypter();
  d.addPassphrase(passphrase);
  try {
    return await d.decrypt(bytes);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    if (message.includes("no identity matched") || message.includes("invalid tag") || message.includes("incorrect")) {
      throw new CorruptFileError("wrong passphrase");
    }
    throw new CorruptFileError(message);
  }
}

/** A scrypt-protected age file (for tests and for users who want to protect a new identity). */
export async function encryptWithPassphrase(plaintext: Uint8Array | string, passphrase: string, workFactor = 18): Promise<Uint8Array> {
  const e = new (await typage()).Encrypter();
  e.setScryptWorkFactor(workFactor);
  e.setPassphrase(passphrase);
  return e.encrypt(plaintext);
}

/** Generates a new X25519 identity and its recipient. */
export function generateIdentity(): { identity: string; recipient: string } {
  const identity = NativeX25519Identity.generate();
  return { identity, recipient: new NativeX25519Identity(identity).recipient };
}
