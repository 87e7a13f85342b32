/**
 * The age v1 file header (age-encryption.org/v1, C2SP age.md "Header"),
 * parsed and encoded without typage: the version line, the recipient
 * stanzas, and the `---` line with the header MAC.
 *
 * Also the cheap checks made before any decryption: whether bytes look like
 * an age file (binary or armored), and how many stanzas its header has.
 *
 * The parser is strict: it accepts only what the spec's ABNF allows (one
 * space between arguments, printable ASCII arguments, body lines of exactly
 * 64 canonical base64 characters until a shorter final one, a 43-character
 * MAC). Anything else returns undefined, and the caller hands the file to
 * typage, which then gives its own verdict: so this parser can refuse more
 * than typage, never accept more.
 */
import { CorruptFileError } from "./errors.js";

/** One recipient stanza: its arguments (the first is the type) and its raw body. */
export interface Stanza {
  readonly args: string[];
  readonly body: Uint8Array;
}

/** A parsed header. */
export interface Header {
  stanzas: Stanza[];
  /** The header bytes the MAC covers: up to and including `---`. */
  headerNoMAC: Uint8Array;
  /** The 32-byte HMAC from the `---` line. */
  mac: Buffer;
  /** Where the payload (nonce, then STREAM chunks) starts. */
  payloadStart: number;
}

const VERSION_LINE = Buffer.from("age-encryption.org/v1\n", "latin1");
const LF = 0x0a;
const BASE64_LINE = 64;
const BASE64_CHARS = /^[A-Za-z0-9+/]*$/;

/**
 * Decodes unpadded standard base64, only in its canonical form (the unused
 * low bits of the last character zero): undefined otherwise.
 */
export function decodeBase64Strict(s: string): Buffer | undefined {
  if (s.length % 4 === 1 || !BASE64_CHARS.test(s)) return undefined;
  const bytes = Buffer.from(s, "base64");
  return encodeBase64(bytes) === s ? bytes : undefined;
}

/** Standard base64 without padding (the age header's encoding). */
export function encodeBase64(bytes: Uint8Array): string {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  return pad ? s.slice(0, -pad) : s;
}

function isArgument(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Parses the header of a binary age file.
 * @returns undefined when the header is not exactly what the spec allows.
 */
export function parseHeader(file: Uint8Array): Header | undefined {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < VERSION_LINE.length || !buf.subarray(0, VERSION_LINE.length).equals(VERSION_LINE)) return undefined;
  const stanzas: Stanza[] = [];
  let pos = VERSION_LINE.length;
  const nextLine = (): string | undefined => {
    const end = buf.indexOf(LF, pos);
    if (end < 0) return undefined;
    const line = buf.toString("latin1", pos, end);
    pos = end + 1;
    return line;
  };
  for (;;) {
    const lineStart = pos;
    const line = nextLine();
    if (line === undefined) return undefined;
    if (line.startsWith("-> ")) {
      const args = line.slice(3).split(" ");
      if (!args.every(isArgument)) return undefined;
      const parts: Buffer[] = [];
      for (;;) {
        const bodyLine = nextLine();
        if (bodyLine === undefined || bodyLine.length > BASE64_LINE) return undefined;
        const part = decodeBase64Strict(bodyLine);
        if (!part) return undefined;
        parts.push(part);
        if (bodyLine.length < BASE64_LINE) break;
      }
      stanzas.push({ args, body: Buffer.concat(parts) });
      continue;
    }
    if (!line.startsWith("--- ") || stanzas.length === 0) return undefined;
    const encoded = line.slice(4);
    if (encoded.length !== 43) return undefined;
    const mac = decodeBase64Strict(encoded);
    if (!mac) return undefined;
    return { stanzas, headerNoMAC: buf.subarray(0, lineStart + 3), mac, payloadStart: pos };
  }
}

/** Encodes the header up to and including `---` (what the MAC covers). */
export function encodeHeaderNoMAC(stanzas: readonly Stanza[]): Buffer {
  let text = "age-encryption.org/v1\n";
  for (const s of stanzas) {
    text += `-> ${s.args.join(" ")}\n`;
    const body = encodeBase64(s.body);
    for (let i = 0; i < body.length; i += BASE64_LINE) text += `${body.slice(i, i + BASE64_LINE)}\n`;
    // The body ends with a line shorter than 64 columns, which may be empty.
    if (body.length % BASE64_LINE === 0) text += "\n";
  }
  return Buffer.from(`${text}---`, "latin1");
}

const ARMOR_MAGIC = new TextEncoder().encode("-----BEGIN AGE ENCRYPTED FILE-----");

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/** True when `bytes` begin like a binary age file. */
export function isAgeFile(bytes: Uint8Array): boolean {
  return startsWith(bytes, VERSION_LINE);
}

/** True when `bytes` begin like an ASCII-armored age file (whitespace before the armor is allowed, as the spec does). */
export function isArmoredAgeFile(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return startsWith(bytes.subarray(i), ARMOR_MAGIC);
}

/**
 * The bytes inside an armored age file, for counting stanzas only (typage,
 * loaded when the file is decrypted, decodes and checks the armor itself):
 * the base64 between the BEGIN and END lines. Where typage accepts the armor,
 * these are the same bytes; where it does not, the file is never decrypted,
 * so a count off on bad armor decides nothing.
 */
function armoredHeaderBytes(file: Uint8Array): Uint8Array {
  const lines = Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString("latin1").trim().split(/\r?\n/);
  return Buffer.from(lines.slice(1, -1).join(""), "base64");
}

/**
 * Counts the recipient stanzas in an age file's header (the `-> ` lines before
 * the `---` MAC line) with no cryptographic work, so a file with an absurd
 * number of stanzas can be refused before decrypting tries each one. Stops
 * reading as soon as the count passes `limit` (and then returns `limit + 1`).
 * Accepts binary and armored files.
 * @throws CorruptFileError when the file is not an age file or its header never ends.
 */
export function countStanzas(file: Uint8Array, limit = Number.POSITIVE_INFINITY): number {
  const bytes = isArmoredAgeFile(file) ? armoredHeaderBytes(file) : file;
  if (!isAgeFile(bytes)) throw new CorruptFileError("not an age file");
  const DASH = 0x2d;
  const GT = 0x3e;
  const SPACE = 0x20;
  let count = 0;
  for (let pos = VERSION_LINE.length; ; ) {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new CorruptFileError("invalid header");
    if (bytes[pos] === DASH && bytes[pos + 1] === GT && bytes[pos + 2] === SPACE) {
      if (++count > limit) return count;
    } else if (bytes[pos] === DASH && bytes[pos + 1] === DASH && bytes[pos + 2] === DASH) {
      return count;
    }
    pos = end + 1;
  }
}
