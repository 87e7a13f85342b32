/**
 * SSH signatures (the `SSHSIG` format of OpenSSH's PROTOCOL.sshsig) made and
 * checked with Ed25519 keys, so that `ssh-keygen -Y verify` accepts what coc
 * signs and coc accepts what `ssh-keygen -Y sign` makes with the same key.
 *
 * Only what coc needs: `ssh-ed25519` keys and the `sha512` message hash (the
 * default of ssh-keygen). Everything read is untrusted input: lengths are
 * checked against what is left and capped, and verification answers false
 * rather than throwing.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

const MAGIC = Buffer.from("SSHSIG");
const VERSION = 1;
const KEY_TYPE = "ssh-ed25519";
const HASH = "sha512";
const BEGIN = "-----BEGIN SSH SIGNATURE-----";
const END = "-----END SSH SIGNATURE-----";
/** An Ed25519 signature armors to about 300 characters; anything much longer is not one of ours. */
const MAX_ARMOR = 4096;
/** Longest public key, namespace, reserved or hash name accepted inside a blob. */
const MAX_FIELD = 1024;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** An RFC 4253 `string`: a big-endian uint32 length, then the bytes. */
function sshString(value: Uint8Array | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Reads RFC 4253 fields from untrusted bytes; every read throws on a short or oversized field. */
class Reader {
  #pos = 0;
  constructor(private readonly bytes: Buffer) {}

  take(n: number): Buffer {
    if (n > this.bytes.length - this.#pos) throw new Error("truncated");
    const out = this.bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  uint32(): number {
    return this.take(4).readUInt32BE(0);
  }

  string(max = MAX_FIELD): Buffer {
    const n = this.uint32();
    if (n > max) throw new Error("field too long");
    return this.take(n);
  }

  end(): void {
    if (this.#pos !== this.bytes.length) throw new Error("trailing data");
  }
}

/** The wire form (RFC 8709) of an Ed25519 public key: string "ssh-ed25519", string key. */
function publicKeyBlob(raw: Uint8Array): Buffer {
  return Buffer.concat([sshString(KEY_TYPE), sshString(raw)]);
}

/** The 32 raw bytes of a public key blob. @throws Error for any other shape. */
function rawFromBlob(blob: Buffer): Buffer {
  const r = new Reader(blob);
  if (r.string().toString("latin1") !== KEY_TYPE) throw new Error("not an ssh-ed25519 key");
  const raw = r.string();
  r.end();
  if (raw.length !== 32) throw new Error("not an ssh-ed25519 key");
  return raw;
}

/** Strict base64: only the canonical encoding of some bytes is accepted. */
function decodeBase64(text: string): Buffer {
  const bytes = Buffer.from(text, "base64");
  if (text.length % 4 !== 0 || bytes.toString("base64") !== text) throw new Error("invalid base64");
  return bytes;
}

/** The OpenSSH one-line form of a raw Ed25519 public key: `ssh-ed25519 AAAAC3Nza…`, no comment. */
export function formatSshEd25519(raw: Uint8Array): string {
  if (raw.length !== 32) throw new Error("invalid ssh-ed25519 key");
  return `${KEY_TYPE} ${publicKeyBlob(raw).toString("base64")}`;
}

/**
 * Parses an OpenSSH public key line, `ssh-ed25519 AAAA… [comment]`, and
 * returns the 32 raw key bytes. The comment, if any, is ignored.
 * @throws Error("invalid ssh-ed25519 key") for anything else (another key
 * type, bad base64, a blob that does not say ssh-ed25519 or has extra bytes).
 */
export function parseSshEd25519(line: string): Uint8Array {
  const words = line.trim().split(/\s+/);
  try {
    if (words[0] !== KEY_TYPE || !words[1] || words[1].length > MAX_FIELD) throw new Error("not ssh-ed25519");
    return new Uint8Array(rawFromBlob(decodeBase64(words[1])));
  } catch {
    throw new Error("invalid ssh-ed25519 key");
  }
}

/** What the key signs (PROTOCOL.sshsig §3): the magic, namespace, reserved, hash name and H(message). */
function signedData(message: Uint8Array, namespace: Buffer): Buffer {
  const digest = createHash(HASH).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(""), sshString(HASH), sshString(digest)]);
}

/** Wraps base64 at 70 columns between the header and footer, as ssh-keygen writes it. */
function armor(blob: Buffer): string {
  const b64 = blob.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  return `${BEGIN}\n${lines.join("\n")}\n${END}\n`;
}

/** The blob inside an armored signature. @throws Error for anything but one well-formed armor block. */
function dearmor(text: string): Buffer {
  if (text.length > MAX_ARMOR) throw new Error("too long");
  const lines = text.trim().split(/\r?\n/);
  if (lines.length < 3 || lines[0] !== BEGIN || lines[lines.length - 1] !== END) throw new Error("no armor");
  const body = lines.slice(1, -1);
  if (!body.every((line) => BASE64_LINE.test(line))) throw new Error("invalid base64");
  return decodeBase64(body.join(""));
}

/**
 * Signs `message` as an SSH signature: hash sha512, the given namespace (for
 * example `coc-record`), the signer's public key embedded.
 * @param privateKey an Ed25519 private key.
 * @returns the armored text, `-----BEGIN SSH SIGNATURE-----` to
 * `-----END SSH SIGNATURE-----` and a final newline, byte for byte what
 * `ssh-keygen -Y sign -n <namespace>` writes for the same key and message
 * (Ed25519 signatures are deterministic).
 * @throws Error("empty namespace") for an empty namespace, and Error when the
 * key is not an Ed25519 private key.
 */
export function sshsign(message: Uint8Array, privateKey: KeyObject, namespace: string): string {
  if (namespace === "") throw new Error("empty namespace");
  if (privateKey.type !== "private" || privateKey.asymmetricKeyType !== "ed25519") throw new Error("not an ed25519 private key");
  const ns = Buffer.from(namespace, "utf8");
  const signature = sign(null, signedData(message, ns), privateKey);
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  const raw = Buffer.from(String(jwk.x), "base64url");
  const blob = Buffer.concat([
    MAGIC,
    uint32(VERSION),
    sshString(publicKeyBlob(raw)),
    sshString(ns),
    sshString(""),
    sshString(HASH),
    sshString(Buffer.concat([sshString(KEY_TYPE), sshString(signature)])),
  ]);
  return armor(blob);
}

/** Public keys already imported, by their type and base64 words: a listing checks thousands of records by a handful of authors. */
const keyCache = new Map<string, { blob: Buffer; key: KeyObject }>();
const KEY_CACHE_MAX = 256;

function importPublicKey(line: string): { blob: Buffer; key: KeyObject } {
  const [type = "", b64 = ""] = line.trim().split(/\s+/);
  const id = `${type} ${b64}`;
  const cached = keyCache.get(id);
  if (cached) return cached;
  const raw = parseSshEd25519(line);
  const entry = {
    blob: publicKeyBlob(raw),
    key: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(raw).toString("base64url") }, format: "jwk" }),
  };
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(id, entry);
  return entry;
}

/** What one Ed25519 verification needs, once the signature has passed every other check. */
interface Check {
  data: Buffer;
  key: KeyObject;
  signature: Buffer;
}

/** Parses and checks everything but the Ed25519 equation; null for anything malformed or not matching. */
function prepare(armored: string, message: Uint8Array, publicKey: string, namespace: string): Check | null {
  try {
    if (typeof armored !== "string" || namespace === "") return null;
    const expected = importPublicKey(publicKey);
    const r = new Reader(dearmor(armored));
    if (!r.take(MAGIC.length).equals(MAGIC) || r.uint32() !== VERSION) return null;
    const signer = r.string();
    const ns = r.string();
    r.string(); // reserved: ignored, as PROTOCOL.sshsig says (and the signed data uses it empty, as ssh-keygen does)
    const hash = r.string();
    const sigBlob = r.string();
    r.end();
    if (!signer.equals(expected.blob)) return null;
    if (!ns.equals(Buffer.from(namespace, "utf8"))) return null;
    if (hash.toString("latin1") !== HASH) return null;
    const s = new Reader(sigBlob);
    if (s.string().toString("latin1") !== KEY_TYPE) return null;
    const signature = s.string();
    s.end();
    if (signature.length !== 64) return null;
    return { data: signedData(message, ns), key: expected.key, signature };
  } catch {
    return null;
  }
}

/**
 * Checks an armored SSH signature over `message`.
 * @param publicKey the key the signature must be made with, `ssh-ed25519 AAAA…`
 * (a trailing comment is ignored).
 * @returns true only when the armor and blob are well-formed (version 1, no
 * trailing bytes), the namespace is exactly `namespace`, the hash is sha512,
 * the embedded public key is `publicKey`, and the Ed25519 signature checks.
 * Never throws: anything malformed, including a malformed `publicKey`, is false.
 */
export function sshverify(armored: string, message: Uint8Array, publicKey: string, namespace: string): boolean {
  const check = prepare(armored, message, publicKey, namespace);
  if (!check) return false;
  try {
    return verify(null, check.data, check.key, check.signature);
  } catch {
    return false;
  }
}

/**
 * {@link sshverify} with the Ed25519 step on libuv's thread pool, so that
 * checking many signatures at once uses every core. Same answers; never rejects.
 */
export function sshverifyAsync(armored: string, message: Uint8Array, publicKey: string, namespace: string): Promise<boolean> {
  const check = prepare(armored, message, publicKey, namespace);
  if (!check) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify(null, check.data, check.key, check.signature, (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}
