/**
 * Signed records (DESIGN.md §7): the signing key derived from the age
 * identity (known answers computed independently with openssl), SSHSIG
 * signatures (known answers made by ssh-keygen, round trips, every kind of
 * bad signature), member keys, canonical record bytes, and interop with the
 * real ssh-keygen in both directions.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateHybridIdentity } from "age-encryption";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateIdentity } from "../../src/core/crypto/age.js";
import { parseIdentityText } from "../../src/core/crypto/identity.js";
import { formatMemberKey, parseMemberKey, SIGNING_KEY_INFO, signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { formatSshEd25519, parseSshEd25519, sshsign, sshverify, sshverifyAsync } from "../../src/core/crypto/sshsig.js";
import { encodeX25519Identity } from "../../src/core/crypto/x25519.js";
import { UserError } from "../../src/core/errors.js";
import { canonicalBytes } from "../../src/core/records/canonical.js";
import { makeRecord, parseRecord, serializeRecord } from "../../src/core/records/record.js";
import { RECORD_NAMESPACE, signRecord, verifyRecord, verifyRecordAsync } from "../../src/core/records/signature.js";
import { opensshPrivateKey } from "../helpers/openssh-key.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const KAT_IDENTITY = parseIdentityText(readFileSync(join(FIXTURES, "kat-identity.txt"), "utf8"), "kat-identity.txt")[0]!;
const KAT_RECIPIENT = "age1m28x662mzqsmt95ym9undpy49hx4a8edu8muku4s6khkyhauxf2sj5rndd";
// Computed without coc's code: bech32-decode the identity, `openssl kdf ... HKDF` with info
// coc/record-signing/v1 and an empty salt, `openssl pkey -pubout` of the seed, SSH wire encoding.
const KAT_SIGNING_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIANNVu2NtHBYSxkFQ/6VJdHloZ41+ZKfb84K1+yPEA2P";
// TEST-ONLY hybrid identity (made by typage's generateHybridIdentity) and its signing key, computed the same way.
const KAT_PQ_IDENTITY = "AGE-SECRET-KEY-PQ-19NPDCNC9NECZQT8VDF3MQ6MH87E3GG0F3XT7879EJ08T75N36NNS43KEK4";
const KAT_PQ_SIGNING_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIADWptZwhyojL0hNlOEHQyPpr1QIXzdDbCnfBzPCo0G9";
// Made by `ssh-keygen -Y sign -n coc-record` (OpenSSH 9.2p1) with KAT_SIGNING_KEY's private key over KAT_MESSAGE.
const KAT_MESSAGE = new TextEncoder().encode("coc known-answer message\n");
const KAT_SIGNATURE = `-----BEGIN SSH SIGNATURE-----
U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgA01W7Y20cFhLGQVD/pUl0eWhnj
X5kp9vzgrX7I8QDY8AAAAKY29jLXJlY29yZAAAAAAAAAAGc2hhNTEyAAAAUwAAAAtzc2gt
ZWQyNTUxOQAAAEDzZOj2SMa463/qdTvgxLRwkWsgPpQk0XPvgF8pMWUSsIn3Bn/HX1l2Fj
0C5oXhR/987IBtAO1L9m/N8oNxs2cF
-----END SSH SIGNATURE-----
`;

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Deterministic pseudo-random bytes (a SHA-256 counter), so failures reproduce. */
function prng(seed: string): (n: number) => Buffer {
  let counter = 0;
  return (n) => {
    const chunks: Buffer[] = [];
    for (let have = 0; have < n; have += 32) chunks.push(createHash("sha256").update(`${seed}/${counter++}`).digest());
    return Buffer.concat(chunks).subarray(0, n);
  };
}

/** The binary blob of an armored signature, and the armor of a blob (70-column lines, as ssh-keygen writes). */
const blobOf = (armored: string) => Buffer.from(armored.split("\n").slice(1, -2).join(""), "base64");
const armorOf = (blob: Buffer) =>
  `-----BEGIN SSH SIGNATURE-----\n${blob.toString("base64").replace(/.{70}/g, "$&\n").replace(/\n$/, "")}\n-----END SSH SIGNATURE-----\n`;

describe("signing key derivation", () => {
  it("known answer: the committed test-only identity gives the pinned key", () => {
    expect(SIGNING_KEY_INFO).toBe("coc/record-signing/v1");
    const key = signingKeyFromIdentity(KAT_IDENTITY);
    expect(key.publicKey).toBe(KAT_SIGNING_KEY);
    expect(key.privateKey.asymmetricKeyType).toBe("ed25519");
    expect(key.privateKey.type).toBe("private");
  });

  it("known answer: a hybrid (post-quantum) identity", () => {
    expect(signingKeyFromIdentity(KAT_PQ_IDENTITY).publicKey).toBe(KAT_PQ_SIGNING_KEY);
  });

  it("is deterministic, and different identities give different keys", async () => {
    const a = generateIdentity().identity;
    const b = generateIdentity().identity;
    expect(signingKeyFromIdentity(a).publicKey).toBe(signingKeyFromIdentity(` ${a}\n`).publicKey);
    expect(signingKeyFromIdentity(a).publicKey).not.toBe(signingKeyFromIdentity(b).publicKey);
    expect(signingKeyFromIdentity(await generateHybridIdentity()).publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43}$/);
  });

  it("refuses anything that is not an age secret key", () => {
    for (const bad of ["", "age1m28x662mzqsmt95ym9undpy49hx4a8edu8muku4s6khkyhauxf2sj5rndd", KAT_IDENTITY.slice(0, -1), KAT_IDENTITY.toLowerCase(), "AGE-SECRET-KEY-PQ-1QQQQ", "AGE-PLUGIN-YUBIKEY-1QQQQ"]) {
      expect(() => signingKeyFromIdentity(bad), bad).toThrow("invalid identity");
    }
  });
});

describe("SSHSIG", () => {
  const key = signingKeyFromIdentity(KAT_IDENTITY);
  const other = signingKeyFromIdentity(generateIdentity().identity);

  it("known answer: coc writes byte for byte what ssh-keygen wrote, and accepts it", () => {
    expect(sshsign(KAT_MESSAGE, key.privateKey, "coc-record")).toBe(KAT_SIGNATURE);
    expect(sshverify(KAT_SIGNATURE, KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record")).toBe(true);
    expect(sshverify(KAT_SIGNATURE, KAT_MESSAGE, `${KAT_SIGNING_KEY} alice@laptop`, "coc-record")).toBe(true);
  });

  it("round trips, also for an empty message and a large one", () => {
    for (const message of [new Uint8Array(0), utf8("hello"), prng("large")(1 << 20)]) {
      expect(sshverify(sshsign(message, key.privateKey, "coc-record"), message, key.publicKey, "coc-record")).toBe(true);
    }
  });

  it("tolerates CRLF line ends and surrounding whitespace, as a pasted or YAML-held signature may have", () => {
    expect(sshverify(KAT_SIGNATURE.replace(/\n/g, "\r\n"), KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record")).toBe(true);
    expect(sshverify(`\n  ${KAT_SIGNATURE.trimEnd()}`, KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record")).toBe(true);
  });

  it("false for a tampered message, another namespace, another key", () => {
    expect(sshverify(KAT_SIGNATURE, utf8("coc known-answer message!\n"), KAT_SIGNING_KEY, "coc-record")).toBe(false);
    expect(sshverify(KAT_SIGNATURE, KAT_MESSAGE, KAT_SIGNING_KEY, "coc-roster")).toBe(false);
    expect(sshverify(KAT_SIGNATURE, KAT_MESSAGE, KAT_SIGNING_KEY, "")).toBe(false);
    expect(sshverify(KAT_SIGNATURE, KAT_MESSAGE, other.publicKey, "coc-record")).toBe(false);
    const theirs = sshsign(KAT_MESSAGE, other.privateKey, "coc-roster");
    expect(sshverify(theirs, KAT_MESSAGE, other.publicKey, "coc-record")).toBe(false);
  });

  it("false when the embedded public key is not the expected one, even if the signature checks under it", () => {
    // A valid signature by `other`, checked against `key`: the embedded key decides nothing.
    const theirs = sshsign(KAT_MESSAGE, other.privateKey, "coc-record");
    expect(sshverify(theirs, KAT_MESSAGE, other.publicKey, "coc-record")).toBe(true);
    expect(sshverify(theirs, KAT_MESSAGE, key.publicKey, "coc-record")).toBe(false);
    // Our valid signature bytes under a swapped embedded key.
    const blob = blobOf(KAT_SIGNATURE);
    const swapped = Buffer.from(blob);
    Buffer.from(parseSshEd25519(other.publicKey)).copy(swapped, 6 + 4 + 4 + 4 + 11 + 4);
    expect(sshverify(armorOf(swapped), KAT_MESSAGE, other.publicKey, "coc-record")).toBe(false);
    expect(sshverify(armorOf(swapped), KAT_MESSAGE, key.publicKey, "coc-record")).toBe(false);
    expect(sshverify(armorOf(blob), KAT_MESSAGE, key.publicKey, "coc-record")).toBe(true);
  });

  it("false, never a throw, for truncated, garbage or malformed armor and keys", () => {
    const cases = [
      "",
      "garbage",
      KAT_SIGNATURE.slice(0, 100),
      KAT_SIGNATURE.slice(0, -30),
      KAT_SIGNATURE.replace("-----END SSH SIGNATURE-----", ""),
      KAT_SIGNATURE.replace("BEGIN SSH SIGNATURE", "BEGIN PGP SIGNATURE"),
      KAT_SIGNATURE.replace("U1NIU0lH", "U1NIU0lI"),
      KAT_SIGNATURE.replace("U1NIU0lH", "U1NIU0l!"),
      KAT_SIGNATURE.replace("cF\n", "c\n"),
      KAT_SIGNATURE.replace("cF\n", "cF=\n"),
      `${KAT_SIGNATURE}${KAT_SIGNATURE}`,
      KAT_SIGNATURE.replace("\n", "\n\u0000"),
      `-----BEGIN SSH SIGNATURE-----\n${"A".repeat(100_000)}\n-----END SSH SIGNATURE-----\n`,
    ];
    for (const armored of cases) expect(sshverify(armored, KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record"), JSON.stringify(armored.slice(0, 60))).toBe(false);
    for (const publicKey of ["", "ssh-ed25519", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIANNVu2NtHBYSxkFQ/6VJdHloZ41+ZKfb84K1+yPEA2P", KAT_SIGNING_KEY.slice(0, -2)]) {
      expect(sshverify(KAT_SIGNATURE, KAT_MESSAGE, publicKey, "coc-record"), publicKey).toBe(false);
    }
    expect(sshverify(undefined as unknown as string, KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record")).toBe(false);
  });

  it("false for a later version, another hash name, trailing bytes, or a field longer than the blob", () => {
    const blob = blobOf(KAT_SIGNATURE);
    const variants: Buffer[] = [];
    const v2 = Buffer.from(blob);
    v2.writeUInt32BE(2, 6);
    variants.push(v2);
    variants.push(Buffer.from(blob.toString("latin1").replace("sha512", "sha256"), "latin1"));
    variants.push(Buffer.concat([blob, Buffer.from([0])]));
    const long = Buffer.from(blob);
    long.writeUInt32BE(0xffffffff, 10);
    variants.push(long);
    for (const v of variants) expect(sshverify(armorOf(v), KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record")).toBe(false);
  });

  it("every single-byte change to the blob, and every truncation, is refused", () => {
    const blob = blobOf(KAT_SIGNATURE);
    for (let i = 0; i < blob.length; i++) {
      const changed = Buffer.from(blob);
      changed[i]! ^= 0x01;
      expect(sshverify(armorOf(changed), KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record"), `byte ${i}`).toBe(false);
      expect(sshverify(armorOf(blob.subarray(0, i)), KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record"), `length ${i}`).toBe(false);
    }
  });

  it("sshverifyAsync gives the same answers as sshverify, and never rejects", async () => {
    const blob = blobOf(KAT_SIGNATURE);
    const inputs: [string, Uint8Array, string, string][] = [
      [KAT_SIGNATURE, KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record"],
      [KAT_SIGNATURE, utf8("other"), KAT_SIGNING_KEY, "coc-record"],
      [KAT_SIGNATURE, KAT_MESSAGE, other.publicKey, "coc-record"],
      [KAT_SIGNATURE, KAT_MESSAGE, KAT_SIGNING_KEY, "git"],
      [KAT_SIGNATURE, KAT_MESSAGE, "not a key", "coc-record"],
      ["garbage", KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record"],
      ...Array.from({ length: blob.length }, (_, i): [string, Uint8Array, string, string] => {
        const changed = Buffer.from(blob);
        changed[i]! ^= 0x80;
        return [armorOf(changed), KAT_MESSAGE, KAT_SIGNING_KEY, "coc-record"];
      }),
    ];
    const answers = await Promise.all(inputs.map((args) => sshverifyAsync(...args)));
    expect(answers).toEqual(inputs.map((args) => sshverify(...args)));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it("sshsign refuses an empty namespace and a key that is not Ed25519", () => {
    expect(() => sshsign(KAT_MESSAGE, key.privateKey, "")).toThrow("empty namespace");
    expect(() => sshsign(KAT_MESSAGE, generateKeyPairSync("x25519").privateKey, "coc-record")).toThrow("not an ed25519 private key");
  });

  it("property: 100 random keys and messages round trip, and fail once changed", () => {
    const random = prng("property");
    for (let i = 0; i < 100; i++) {
      const k = signingKeyFromIdentity(encodeX25519Identity(random(32)));
      const message = random(random(2).readUInt16BE(0) % 2048);
      const signature = sshsign(message, k.privateKey, RECORD_NAMESPACE);
      expect(sshverify(signature, message, k.publicKey, RECORD_NAMESPACE)).toBe(true);
      const changed = Buffer.concat([message, Buffer.from([i])]);
      expect(sshverify(signature, changed, k.publicKey, RECORD_NAMESPACE)).toBe(false);
      expect(sshverify(signature, message, key.publicKey, RECORD_NAMESPACE)).toBe(false);
    }
  });
});

describe("OpenSSH public keys", () => {
  it("formats and parses ssh-ed25519 lines, and refuses other shapes", () => {
    const raw = parseSshEd25519(KAT_SIGNING_KEY);
    expect(raw).toHaveLength(32);
    expect(formatSshEd25519(raw)).toBe(KAT_SIGNING_KEY);
    expect(parseSshEd25519(`  ${KAT_SIGNING_KEY} a comment with words \n`)).toEqual(raw);
    const rsaBlob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from("ssh-rsa"), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32)]).toString("base64");
    for (const bad of ["", "ssh-ed25519", `ssh-ed25519 ${rsaBlob}`, KAT_SIGNING_KEY.replace("ssh-ed25519 ", "ssh-ed25519 x"), KAT_SIGNING_KEY.slice(0, -4), `${KAT_SIGNING_KEY}AAAA`]) {
      expect(() => parseSshEd25519(bad), bad).toThrow("invalid ssh-ed25519 key");
    }
  });
});

describe("member keys", () => {
  const memberKey = `${KAT_RECIPIENT} ${KAT_SIGNING_KEY}`;

  it("formats as recipient and signing key on one line, and parses back", () => {
    expect(formatMemberKey(KAT_RECIPIENT, `${KAT_SIGNING_KEY} alice@laptop`)).toBe(memberKey);
    expect(parseMemberKey(memberKey)).toEqual({ recipient: KAT_RECIPIENT, signingKey: KAT_SIGNING_KEY });
  });

  it("reads the line however the shell passed it: one argument, three words, extra whitespace, uppercase recipient", () => {
    const expected = { recipient: KAT_RECIPIENT, signingKey: KAT_SIGNING_KEY };
    expect(parseMemberKey(memberKey.split(" "))).toEqual(expected);
    expect(parseMemberKey([memberKey])).toEqual(expected);
    expect(parseMemberKey([KAT_RECIPIENT, `${KAT_SIGNING_KEY}\n`])).toEqual(expected);
    expect(parseMemberKey(`  ${KAT_RECIPIENT}\t ${KAT_SIGNING_KEY.replace(" ", "\n")}\r\n`)).toEqual(expected);
    expect(parseMemberKey(`${KAT_RECIPIENT.toUpperCase()} ${KAT_SIGNING_KEY}`)).toEqual(expected);
  });

  it("accepts a post-quantum recipient", async () => {
    const { identityToRecipient } = await import("age-encryption");
    const pq = await identityToRecipient(KAT_PQ_IDENTITY);
    const line = formatMemberKey(pq, KAT_PQ_SIGNING_KEY);
    expect(parseMemberKey(line)).toEqual({ recipient: pq, signingKey: KAT_PQ_SIGNING_KEY });
  });

  it("names what is wrong in one line", () => {
    const cases: [string | string[], RegExp][] = [
      ["", /^member key is empty; expected age1… ssh-ed25519 AAAA…$/],
      [[], /^member key is empty/],
      [KAT_RECIPIENT, /^member key has no signing key after the age recipient/],
      [KAT_SIGNING_KEY, /^member key must start with an age recipient, got "ssh-ed25519"/],
      [`age1xyz ${KAT_SIGNING_KEY}`, /^member key must start with an age recipient, got "age1xyz"/],
      [`${KAT_RECIPIENT} ssh-rsa AAAAB3NzaC1yc2E`, /^member key must have an ssh-ed25519 signing key after the recipient, got "ssh-rsa"$/],
      [`${KAT_RECIPIENT} ssh-ed25519`, /^member key ends after "ssh-ed25519"; the key itself is missing$/],
      [`${KAT_RECIPIENT} ${KAT_SIGNING_KEY.slice(0, -5)}`, /^member key has a damaged ssh-ed25519 key "AAAA.*" \(cut short or changed when copied\?\)$/],
      [`${memberKey} alice@laptop`, /^member key has extra text after the signing key: "alice@laptop"$/],
    ];
    for (const [input, message] of cases) {
      let error: unknown;
      try {
        parseMemberKey(input);
      } catch (e) {
        error = e;
      }
      expect(error, String(input)).toBeInstanceOf(UserError);
      expect((error as Error).message, String(input)).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("refuses a secret key without repeating it", () => {
    for (const input of [KAT_IDENTITY, `${KAT_IDENTITY} ${KAT_SIGNING_KEY}`, KAT_IDENTITY.toLowerCase(), KAT_PQ_IDENTITY]) {
      expect(() => parseMemberKey(input)).toThrow(UserError);
      try {
        parseMemberKey(input);
      } catch (e) {
        expect((e as Error).message).toMatch(/^that is a secret key/);
        expect((e as Error).message.toUpperCase()).not.toContain(KAT_IDENTITY.slice(16, 30));
      }
    }
  });
});

describe("canonical bytes", () => {
  it("sorted keys at every level, no whitespace, no signature, undefined fields left out", () => {
    const bytes = canonicalBytes({ type: "note", coc: 1, signature: "x", body: { text: "hé \"q\"\n", kind: undefined, list: [3, "a", { b: 1, a: null }] }, z: true });
    expect(text(bytes)).toBe('{"body":{"list":[3,"a",{"a":null,"b":1}],"text":"hé \\"q\\"\\n"},"coc":1,"type":"note","z":true}');
  });

  it("sorts by UTF-16 code units as RFC 8785 does, and writes non-ASCII text as UTF-8", () => {
    expect(text(canonicalBytes({ "\u20ac": 1, "\r": 2, "\ud83d\ude00": 3, "\u0080": 4, ö: "ö", "1": 5 }))).toBe(
      '{"\\r":2,"1":5,"\u0080":4,"ö":"ö","\u20ac":1,"\ud83d\ude00":3}',
    );
    expect(Buffer.from(canonicalBytes({ a: "é" })).toString("hex")).toBe(Buffer.from('{"a":"é"}', "utf8").toString("hex"));
    expect(text(canonicalBytes({ n: [1e21, 0.1, -0, 1.5e-7] }))).toBe('{"n":[1e+21,0.1,0,1.5e-7]}');
  });

  it("does not depend on how the record was written: block YAML, our flow style and an in-memory record agree", () => {
    const yamlText = readFileSync(join(FIXTURES, "kat-record.yaml"), "utf8");
    const expected = { case: "quiet-otter-42", id: "20260601T140500Z-report-k3f9q2" };
    const fromBlock = parseRecord(yamlText, "kat-record.yaml", expected);
    const fromFlow = parseRecord(serializeRecord(fromBlock), "flow", expected);
    // makeRecord also writes `readers` (who the author encrypts it to): the fixture predates it.
    const { readers: _readers, ...rebuilt } = makeRecord({ ...fromBlock, created_at: new Date(fromBlock.created_at) });
    const reordered = JSON.parse(JSON.stringify(fromBlock, Object.keys(fromBlock).reverse()));
    expect(text(canonicalBytes(fromFlow))).toBe(text(canonicalBytes(fromBlock)));
    expect(text(canonicalBytes(rebuilt))).toBe(text(canonicalBytes(fromBlock)));
    expect(text(canonicalBytes({ ...reordered, ...fromBlock }))).toBe(text(canonicalBytes(fromBlock)));
    expect(text(canonicalBytes(fromBlock))).toMatch(/^\{"author":"alice","body":\{"channel":"in-person",/);
  });

  it("leaves the record unchanged and refuses values no record holds", () => {
    const record = { b: 1, a: { d: 2, c: 3 }, signature: "s" };
    const copy = structuredClone(record);
    canonicalBytes(record);
    expect(record).toEqual(copy);
    expect(Object.keys(record)).toEqual(["b", "a", "signature"]);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic["self"] = cyclic;
    expect(() => canonicalBytes(cyclic)).toThrow("nested too deeply");
    expect(() => canonicalBytes({ n: 1n })).toThrow("cannot sign a bigint value");
    expect(() => canonicalBytes([] as object)).toThrow("a record must be an object");
  });
});

describe("record signatures", () => {
  const key = signingKeyFromIdentity(KAT_IDENTITY);
  const yamlText = readFileSync(join(FIXTURES, "kat-record.yaml"), "utf8");
  const record = parseRecord(yamlText, "kat-record.yaml");

  it("sign, store, read back, verify", () => {
    const signature = signRecord(record, key);
    expect(signature).toMatch(/^-----BEGIN SSH SIGNATURE-----\n[\s\S]+\n-----END SSH SIGNATURE-----\n$/);
    const readBack = parseRecord(serializeRecord(record), "read back");
    expect(verifyRecord(readBack, signature, KAT_SIGNING_KEY)).toBe(true);
    // The signature field itself is not signed: a record carrying it verifies the same.
    expect(verifyRecord({ ...readBack, signature }, signature, KAT_SIGNING_KEY)).toBe(true);
    expect(signRecord({ ...record, signature: "old" }, key)).toBe(signature);
  });

  it("false for a changed field, another author's key, a signature of another record, or a record that cannot be canonical", () => {
    const signature = signRecord(record, key);
    const other = signingKeyFromIdentity(generateIdentity().identity);
    expect(verifyRecord({ ...record, author: "bob" }, signature, KAT_SIGNING_KEY)).toBe(false);
    // Who the file is encrypted to now changes on re-encryption and is not signed; who the author encrypted it to is.
    expect(verifyRecord({ ...record, recipients: ["alice", "mallory"] }, signature, KAT_SIGNING_KEY)).toBe(true);
    expect(verifyRecord({ ...record, readers: ["alice", "mallory"] }, signature, KAT_SIGNING_KEY)).toBe(false);
    expect(verifyRecord({ ...record, extra: undefined }, signature, KAT_SIGNING_KEY)).toBe(true);
    expect(verifyRecord({ ...record, extra: null }, signature, KAT_SIGNING_KEY)).toBe(false);
    expect(verifyRecord(record, signature, other.publicKey)).toBe(false);
    expect(verifyRecord(record, signRecord(record, other), KAT_SIGNING_KEY)).toBe(false);
    expect(verifyRecord({ ...record, id: "20260601T140500Z-report-zzzz" }, signature, KAT_SIGNING_KEY)).toBe(false);
    expect(verifyRecord({ n: 1n }, signature, KAT_SIGNING_KEY)).toBe(false);
    // The same bytes signed in another namespace are not a record signature.
    expect(verifyRecord(record, sshsign(canonicalBytes(record), key.privateKey, "file"), KAT_SIGNING_KEY)).toBe(false);
  });
});

describe("record signatures, many at once", () => {
  it("200 records by five authors verify concurrently, and a changed one does not", async () => {
    const record = parseRecord(readFileSync(join(FIXTURES, "kat-record.yaml"), "utf8"), "kat-record.yaml");
    const random = prng("batch");
    const authors = Array.from({ length: 5 }, () => signingKeyFromIdentity(encodeX25519Identity(random(32))));
    const signed = Array.from({ length: 200 }, (_, i) => {
      const r = { ...record, id: `20260601T140500Z-report-${String(i).padStart(4, "0")}` };
      const author = authors[i % 5]!;
      return { r, signature: signRecord(r, author), publicKey: author.publicKey };
    });
    const results = await Promise.all(signed.map(({ r, signature, publicKey }, i) => verifyRecordAsync(i === 7 ? { ...r, author: "mallory" } : r, signature, publicKey)));
    expect(results.map((ok, i) => ok || i)).toEqual(signed.map((_, i) => (i === 7 ? 7 : true)));
    expect(await verifyRecordAsync({ n: 1n }, signed[0]!.signature, signed[0]!.publicKey)).toBe(false);
  });
});

const sshKeygen = spawnSync("ssh-keygen", ["-?"], { encoding: "utf8" });
const hasSshKeygen = sshKeygen.error === undefined;

describe.skipIf(!hasSshKeygen)(hasSshKeygen ? "interop with ssh-keygen" : "interop with ssh-keygen (skipped: ssh-keygen is not installed)", () => {
  let dir: string;
  let env: Record<string, string>;
  const key = signingKeyFromIdentity(KAT_IDENTITY);
  const message = utf8("a message signed on one side and checked on the other\n");

  const run = (args: string[], input?: Uint8Array) => spawnSync("ssh-keygen", args, { cwd: dir, env, input, encoding: "utf8" });
  const sshVerify = (signature: string, data: Uint8Array, publicKey: string) => {
    writeFileSync(join(dir, "allowed_signers"), `alice ${publicKey}\n`);
    writeFileSync(join(dir, "sig"), signature);
    return run(["-Y", "verify", "-f", "allowed_signers", "-I", "alice", "-n", "coc-record", "-s", "sig"], data).status === 0;
  };
  const sshSign = (keyFile: string, data: Uint8Array, extra: string[] = []) => {
    const result = run(["-Y", "sign", "-f", keyFile, "-n", "coc-record", ...extra], data);
    if (result.status !== 0) throw new Error(`ssh-keygen -Y sign failed: ${result.stderr}`);
    return result.stdout;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "coc-sshsig-"));
    env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: dir };
    writeFileSync(join(dir, "coc_key"), opensshPrivateKey(key.privateKey), { mode: 0o600 });
    const made = run(["-q", "-t", "ed25519", "-N", "", "-C", "unrelated", "-f", "other_key"]);
    if (made.status !== 0) throw new Error(`ssh-keygen -t ed25519 failed: ${made.stderr}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ssh-keygen reads the derived private key and prints the public key coc computes", () => {
    const result = run(["-y", "-f", "coc_key"]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim().split(" ").slice(0, 2).join(" ")).toBe(key.publicKey);
  });

  it("a coc signature verifies with ssh-keygen -Y verify, and a tampered message does not", () => {
    const signature = sshsign(message, key.privateKey, "coc-record");
    expect(sshVerify(signature, message, key.publicKey)).toBe(true);
    expect(sshVerify(signature, utf8("another message\n"), key.publicKey)).toBe(false);
  });

  it("a record signature verifies with ssh-keygen over the canonical bytes", () => {
    const record = parseRecord(readFileSync(join(FIXTURES, "kat-record.yaml"), "utf8"), "kat-record.yaml");
    expect(sshVerify(signRecord(record, key), canonicalBytes(record), key.publicKey)).toBe(true);
  });

  it("an ssh-keygen signature with the same key verifies in coc, and is the same text coc writes", () => {
    const signature = sshSign("coc_key", message);
    expect(sshverify(signature, message, key.publicKey, "coc-record")).toBe(true);
    expect(signature).toBe(sshsign(message, key.privateKey, "coc-record"));
  });

  it("an ssh-keygen signature with an unrelated key fails in coc against the member's key", () => {
    const signature = sshSign("other_key", message);
    const otherPublic = readFileSync(join(dir, "other_key.pub"), "utf8");
    expect(sshverify(signature, message, otherPublic, "coc-record")).toBe(true);
    expect(sshverify(signature, message, key.publicKey, "coc-record")).toBe(false);
  });

  it("an ssh-keygen signature in another namespace, or hashed with sha256, fails in coc", () => {
    const other = run(["-Y", "sign", "-f", "coc_key", "-n", "git"], message);
    expect(other.status).toBe(0);
    expect(sshverify(other.stdout, message, key.publicKey, "coc-record")).toBe(false);
    const sha256 = sshSign("coc_key", message, ["-O", "hashalg=sha256"]);
    expect(sshVerify(sha256, message, key.publicKey)).toBe(true); // valid SSHSIG, but coc accepts sha512 only
    expect(sshverify(sha256, message, key.publicKey, "coc-record")).toBe(false);
  });
});
