/**
 * The native age path (src/core/crypto/native.ts): what it writes is read by
 * typage (with typage's own X25519 code) and by the real `age` CLI, for every
 * payload size that matters to STREAM (empty, one byte short of a chunk, a
 * whole chunk, several chunks), and the header encoder round-trips through the
 * parser, including a body that fills its last line.
 */
import { spawnSync } from "node:child_process";
import { createHmac, generateKeyPairSync, hkdfSync, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Decrypter } from "age-encryption";
import { RecordDecrypter, encrypt } from "../../src/core/crypto/age.js";
import { encodeHeaderNoMAC, parseHeader } from "../../src/core/crypto/header.js";
import { hkdf32, hmacSha256 } from "../../src/core/crypto/hkdf.js";
import { decryptNative } from "../../src/core/crypto/native.js";
import { NativeX25519Identity } from "../../src/core/crypto/x25519.js";
import { World, hasAgeCli, type Person } from "../helpers/env.js";

const SIZES = [0, 1, 1000, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024 + 17];

describe("native encryption", () => {
  let world: World;
  let people: Person[];
  beforeEach(() => {
    world = new World();
    people = ["alice", "bob", "carol"].map((n) => world.person(n));
  });
  afterEach(() => world.cleanup());

  it.each(SIZES)("a %i-byte payload decrypts with typage, for every recipient", async (size) => {
    const plaintext = new Uint8Array(randomBytes(size));
    const file = await encrypt(plaintext, people.map((p) => p.recipient));
    for (const p of people) {
      const d = new Decrypter();
      d.addIdentity(p.identity); // typage's own X25519, not coc's
      expect(Buffer.from(await d.decrypt(file)).equals(Buffer.from(plaintext))).toBe(true);
      expect(Buffer.from(await (await RecordDecrypter.fromIdentities([p.identity])).decrypt(file)).equals(Buffer.from(plaintext))).toBe(true);
    }
  });

  it.skipIf(!hasAgeCli())(`decrypts with age -d${hasAgeCli() ? "" : " (SKIPPED: the age CLI is not installed)"}`, async () => {
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      const file = await encrypt(plaintext, people.map((p) => p.recipient));
      const path = join(world.root, `f-${size}.age`);
      writeFileSync(path, file);
      for (const p of people) {
        const r = spawnSync("age", ["-d", "-i", p.identityFile, path], { env: world.env, maxBuffer: 1 << 24 });
        expect(r.status, r.stderr.toString()).toBe(0);
        expect(r.stdout.equals(plaintext)).toBe(true);
      }
    }
  });

  it("never exports a generated key (on Node 20 a GC during that export can hang the process for good)", async () => {
    // The hang needs a collection at one exact moment (about once in 300,000 stanzas), so the test
    // checks the mechanism: no KeyObject is exported while files are encrypted, on any path.
    const pair = generateKeyPairSync("x25519");
    const spies = [Object.getPrototypeOf(pair.publicKey) as { export: () => unknown }, Object.getPrototypeOf(pair.privateKey) as { export: () => unknown }].map((proto) => vi.spyOn(proto, "export"));
    try {
      const recipients = people.map((p) => p.recipient);
      for (let i = 0; i < 50; i++) await encrypt(`record ${i}`, recipients);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("is not decrypted for someone it was not encrypted to, and any flipped byte fails", async () => {
    const file = await encrypt("secret", [people[0]!.recipient]);
    const other = new NativeX25519Identity(people[1]!.identity);
    expect(decryptNative(file, [other]).kind).toBe("not-a-recipient");
    const mine = new NativeX25519Identity(people[0]!.identity);
    expect(decryptNative(file, [mine]).kind).toBe("plaintext");
    for (let i = 0; i < file.length; i++) {
      const bad = new Uint8Array(file);
      bad[i]! ^= 0x01;
      expect(decryptNative(bad, [new NativeX25519Identity(people[0]!.identity)]).kind).not.toBe("plaintext");
    }
  });
});

describe("header encoding", () => {
  it("round-trips stanzas, with an empty last line when the body fills its lines", () => {
    const stanzas = [
      { args: ["X25519", "abc"], body: new Uint8Array(randomBytes(32)) },
      { args: ["example.com/other", "a", "b"], body: new Uint8Array(randomBytes(48)) },
      { args: ["empty"], body: new Uint8Array(0) },
    ];
    const noMac = encodeHeaderNoMAC(stanzas);
    expect(noMac.toString("latin1")).toMatch(/^-> example\.com\/other a b\n[A-Za-z0-9+/]{64}\n\n/m);
    const header = parseHeader(Buffer.concat([noMac, Buffer.from(` ${"A".repeat(43)}\npayload`)]));
    expect(header?.stanzas.map((s) => [s.args, Buffer.from(s.body).toString("hex")])).toEqual(stanzas.map((s) => [s.args, Buffer.from(s.body).toString("hex")]));
    expect(Buffer.from(header!.headerNoMAC).equals(noMac)).toBe(true);
  });

  it("refuses what the spec does not allow (the file then goes to typage)", () => {
    const good = "age-encryption.org/v1\n-> X25519 abc\nAAAA\n--- " + "A".repeat(43) + "\n";
    expect(parseHeader(Buffer.from(good))).toBeDefined();
    for (const bad of [
      good.replace("-> X25519 abc", "-> X25519  abc"), // two spaces
      good.replace("AAAA\n", "AB\n"), // non-canonical base64 (unused bits set)
      good.replace("AAAA\n", "AAA=\n"), // padding
      good.replace("\n---", "\r\n---"),
      good.replace("A".repeat(43), "A".repeat(42)),
      good.replace("v1", "v2"),
      "age-encryption.org/v1\n--- " + "A".repeat(43) + "\n", // no stanza
    ]) {
      expect(parseHeader(Buffer.from(bad)), JSON.stringify(bad)).toBeUndefined();
    }
  });
});

describe("hkdf32", () => {
  it("matches RFC 5869 test case 1 and node's hkdfSync, with and without salt", () => {
    const ikm = Buffer.alloc(22, 0x0b);
    const salt = Buffer.from("000102030405060708090a0b0c", "hex");
    const info = Buffer.from("f0f1f2f3f4f5f6f7f8f9", "hex");
    // RFC 5869 A.1, the first 32 of its 42 bytes.
    expect(hkdf32(ikm, salt, info).toString("hex")).toBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    for (let i = 0; i < 50; i++) {
      const [k, s, n] = [randomBytes(1 + i), randomBytes(i % 3 === 0 ? 0 : 16 + i), randomBytes(i)];
      expect(hkdf32(k, s, n).equals(Buffer.from(hkdfSync("sha256", k, s, n, 32)))).toBe(true);
    }
  });
});

describe("hmacSha256", () => {
  it("matches RFC 4231's test cases", () => {
    const h = (key: string, data: string) => hmacSha256(Buffer.from(key, "hex"), Buffer.from(data, "hex")).toString("hex");
    // Test cases 1, 2, 3, 4, 6 (a key longer than the block) and 7 (both longer).
    expect(h("0b".repeat(20), Buffer.from("Hi There").toString("hex"))).toBe("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    expect(h(Buffer.from("Jefe").toString("hex"), Buffer.from("what do ya want for nothing?").toString("hex"))).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    expect(h("aa".repeat(20), "dd".repeat(50))).toBe("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    expect(h("0102030405060708090a0b0c0d0e0f10111213141516171819", "cd".repeat(50))).toBe("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    expect(h("aa".repeat(131), Buffer.from("Test Using Larger Than Block-Size Key - Hash Key First").toString("hex"))).toBe("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    expect(h("aa".repeat(131), Buffer.from("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.").toString("hex"))).toBe("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  });

  it("is node's HMAC for keys and messages of every length around the block size, in one part or several", () => {
    for (let k = 0; k <= 130; k += 1) {
      const key = randomBytes(k);
      const message = randomBytes((k * 7) % 200);
      const want = createHmac("sha256", key).update(message).digest();
      expect(hmacSha256(key, message).equals(want), `key ${k}`).toBe(true);
      expect(hmacSha256(key, message.subarray(0, k % 13), message.subarray(k % 13)).equals(want), `key ${k}, two parts`).toBe(true);
    }
  });
});
