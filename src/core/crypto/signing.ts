/**
 * Signing keys and member keys (DESIGN.md §7). Every member's Ed25519 signing
 * key is derived from their age identity, so one identity file (also one made
 * by `age-keygen`) serves both to decrypt and to sign:
 *
 *     seed = HKDF-SHA256(ikm = the identity's 32 secret bytes, salt = empty,
 *                        info = "coc/record-signing/v1", length = 32)
 *     signing key = the Ed25519 key with that seed (RFC 8032)
 *
 * The secret bytes are the bech32 payload of the identity line (the
 * X25519 scalar), or of a post-quantum identity line (the hybrid key's
 * seed). The label is versioned: a future derivation gets a new label, never a
 * changed meaning for this one. The public half is written as an OpenSSH key,
 * `ssh-ed25519 AAAA…`, so `ssh-keygen -Y verify` can check coc's signatures.
 */
import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from "node:crypto";
import { bech32 } from "@scure/base";
import { quote, UserError } from "../errors.js";
import { parseRecipient } from "./age.js";
import { formatSshEd25519, parseSshEd25519 } from "./sshsig.js";
import { decodeX25519Identity } from "./x25519.js";

/** The HKDF `info` of the signing key derivation (version 1). */
export const SIGNING_KEY_INFO = "coc/record-signing/v1";

// The fixed ASN.1 prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
// Bech32 prefixes of age secret keys (written this way so that no source line looks like a key).
const SECRET_PREFIX = "AGE-SECRET-KEY-";
const PQ_SECRET_PREFIX = "AGE-SECRET-KEY-PQ-";

/** A member's signing key: the private key to sign with and its public OpenSSH form. */
export interface SigningKey {
  /** The Ed25519 private key (never leaves the process). */
  readonly privateKey: KeyObject;
  /** The public key, `ssh-ed25519 AAAA…`, without a comment. */
  readonly publicKey: string;
}

/** The 32 secret bytes of an age identity line. @throws Error("invalid identity"). */
function identitySecret(identity: string): Uint8Array {
  const s = identity.trim();
  if (!s.startsWith(`${PQ_SECRET_PREFIX}1`)) return decodeX25519Identity(s);
  let decoded: { prefix: string; bytes: Uint8Array };
  try {
    decoded = bech32.decodeToBytes(s);
  } catch {
    throw new Error("invalid identity");
  }
  if (decoded.prefix.toUpperCase() !== PQ_SECRET_PREFIX || decoded.bytes.length !== 32) throw new Error("invalid identity");
  return decoded.bytes;
}

/**
 * Derives the signing key of an age identity (X25519 or
 * post-quantum hybrid), as the module comment describes. The same identity
 * always gives the same key.
 * @throws Error("invalid identity") when `identity` is not an age secret key.
 */
export function signingKeyFromIdentity(identity: string): SigningKey {
  const secret = identitySecret(identity);
  const seed = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), SIGNING_KEY_INFO, 32));
  const der = Buffer.concat([PKCS8_PREFIX, seed]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  seed.fill(0);
  der.fill(0);
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  const publicKey = formatSshEd25519(Buffer.from(String(jwk.x), "base64url"));
  return { privateKey, publicKey };
}

/** What a member key holds: the member's age recipient and public signing key. */
export interface MemberKey {
  /** The `age1…` recipient records are encrypted to (lowercase). */
  readonly recipient: string;
  /** The public signing key, `ssh-ed25519 AAAA…`, without a comment. */
  readonly signingKey: string;
}

const EXPECTED = "expected age1… ssh-ed25519 AAAA…";

/**
 * The member key: the one line a new member hands the lead, three words
 * separated by single spaces, `<age recipient> ssh-ed25519 <base64 key>`,
 * for example `age1m28x…rndd ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI…`.
 * No comment is written: the member's name is given to the lead separately.
 * @throws Error("invalid recipient") or Error("invalid ssh-ed25519 key") for malformed keys.
 */
export function formatMemberKey(recipient: string, sshPublicKey: string): string {
  return `${parseRecipient(recipient)} ${formatSshEd25519(parseSshEd25519(sshPublicKey))}`;
}

/**
 * Reads a member key as {@link formatMemberKey} writes it, pasted either as
 * one string or as its words (a shell splits an unquoted line into three
 * arguments); any whitespace separates the words. The recipient is
 * normalised to lowercase, the signing key to `ssh-ed25519 AAAA…`.
 * @throws UserError with one line naming what is wrong: nothing given, a
 * secret key instead of a public one, a bad recipient, a missing, other-type
 * or damaged signing key, or extra words.
 */
export function parseMemberKey(input: string | readonly string[]): MemberKey {
  const text = typeof input === "string" ? input : input.join(" ");
  const words = text.split(/\s+/).filter((w) => w !== "");
  const [recipient, type, key, ...extra] = words;
  if (recipient === undefined) throw new UserError(`member key is empty; ${EXPECTED}`);
  // Never echo a secret key back: messages end up in terminals and logs.
  if (words.some((w) => w.toUpperCase().startsWith(SECRET_PREFIX))) {
    throw new UserError("that is a secret key, which must never be shared; a member key holds only public keys");
  }
  let normalised: string;
  try {
    normalised = parseRecipient(recipient);
  } catch {
    throw new UserError(`member key must start with an age recipient, got "${quote(recipient)}"; ${EXPECTED}`);
  }
  if (type === undefined) throw new UserError(`member key has no signing key after the age recipient; ${EXPECTED}`);
  if (type !== "ssh-ed25519") {
    throw new UserError(`member key must have an ssh-ed25519 signing key after the recipient, got "${quote(type)}"`);
  }
  if (key === undefined) throw new UserError(`member key ends after "ssh-ed25519"; the key itself is missing`);
  let raw: Uint8Array;
  try {
    raw = parseSshEd25519(`${type} ${key}`);
  } catch {
    throw new UserError(`member key has a damaged ssh-ed25519 key "${quote(key)}" (cut short or changed when copied?)`);
  }
  if (extra.length > 0) throw new UserError(`member key has extra text after the signing key: "${quote(extra.join(" "))}"`);
  return { recipient: normalised, signingKey: formatSshEd25519(raw) };
}
