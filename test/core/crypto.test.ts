/**
 * The crypto wrapper (src/core/crypto): known-answer tests against files made
 * by the real age CLI, round trips, error classification, interop with
 * typage's own X25519 implementation, and identity files.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Decrypter, Encrypter, armor, generateIdentity as typageGenerateIdentity, identityToRecipient } from "age-encryption";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  CorruptFileError,
  NotARecipientError,
  RecordDecrypter,
  encrypt,
  encryptWithPassphrase,
  generateIdentity,
  parseRecipient,
} from "../../src/core/crypto/age.js";
import { loadIdentity, parseIdentityText, writeNewIdentity } from "../../src/core/crypto/identity.js";
import { parseRecord } from "../../src/core/records/record.js";
import { UserError } from "../../src/core/errors.js";
import { userMessage } from "../../src/cli/errors.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
const KAT_IDENTITY_TEXT = readFileSync(join(FIXTURES, "kat-identity.txt"), "utf8");
const KAT_PLAINTEXT = readFileSync(join(FIXTURES, "kat-record.yaml"));
const KAT_CIPHERTEXT = readFileSync(join(FIXTURES, "kat-record.age"));
const KAT_RECIPIENT = /^# public key: (age1[a-z0-9]+)$/m.exec(KAT_IDENTITY_TEXT)![1]!;

const FIXED_NOW = new Date("2026-06-01T14:05:00Z");
const hasAgeCli = () => spawnSync("age", ["--version"], { encoding: "utf8" }).status === 0;

const utf8 = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

type Key = { identity: string; recipient: string };
const keys = (n: number): Key[] => Array.from({ length: n }, () => generateIdentity());

/** A Fisher-Yates shuffle driven by a small deterministic PRNG, so failures reproduce. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("known answer: a file made by age 1.1.1", () => {
  it("the fixture is a valid record envelope (DESIGN.md §3)", () => {
    const record = parseRecord(text(KAT_PLAINTEXT), "kat-record.yaml", { case: "quiet-otter-42", id: "20260601T140500Z-report-k3f9q2" });
    expect(record).toMatchObject({ coc: 1, type: "report", case: "quiet-otter-42", author: "alice", recipients: ["alice"] });
    expect(record.type === "report" && record.body.incident.summary).toContain("known-answer test");
    expect(KAT_IDENTITY_TEXT).toMatch(/test-only/i);
  });

  it("decrypts to exactly the stored plaintext, with the identity file's recipient", async () => {
    const d = await RecordDecrypter.fromIdentities(parseIdentityText(KAT_IDENTITY_TEXT, "kat-identity.txt"));
    expect(d.recipients).toEqual([KAT_RECIPIENT]);
    const plaintext = await d.decrypt(KAT_CIPHERTEXT);
    expect(Buffer.from(plaintext).equals(KAT_PLAINTEXT)).toBe(true);
    // typage's own implementation agrees on the fixture.
    const t = new Decrypter();
    t.addIdentity(parseIdentityText(KAT_IDENTITY_TEXT, "kat-identity.txt")[0]!);
    expect(Buffer.from(await t.decrypt(KAT_CIPHERTEXT)).equals(KAT_PLAINTEXT)).toBe(true);
  });

  it("the recipient derived from the identity matches typage's derivation", async () => {
    const [identity] = parseIdentityText(KAT_IDENTITY_TEXT, "kat-identity.txt");
    expect(await identityToRecipient(identity!)).toBe(KAT_RECIPIENT);
  });
});

describe("encrypt / RecordDecrypter round trips", () => {
  it("one recipient", async () => {
    const [k] = keys(1);
    const file = await encrypt("coc: 1\n", [k!.recipient]);
    expect(text(file.subarray(0, 22))).toBe("age-encryption.org/v1\n");
    const d = await RecordDecrypter.fromIdentities([k!.identity]);
    expect(d.recipients).toEqual([k!.recipient]);
    expect(text(await d.decrypt(file))).toBe("coc: 1\n");
  });

  it("five recipients: each identity decrypts", async () => {
    const ks = keys(5);
    const plaintext = utf8.encode("body:\n  text: shared with five\n");
    const file = await encrypt(plaintext, ks.map((k) => k.recipient));
    expect(text(file).match(/^-> X25519 /gm)).toHaveLength(5);
    for (const k of ks) {
      const d = await RecordDecrypter.fromIdentities([k.identity]);
      expect(await d.decrypt(file)).toEqual(plaintext);
    }
  });

  it("a batch of 200 files with mixed recipient orders, decrypted concurrently by each member", async () => {
    const ks = keys(5);
    const files = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        // Mostly the roster order (what the hint optimises for), with shuffled orders and
        // subsets mixed in so the hint is often wrong.
        let order = i % 3 === 0 ? ks : shuffled(ks, i + 1);
        if (i % 7 === 0) order = order.slice(0, 2 + (i % 3));
        const plaintext = `file ${i}\n`;
        return { plaintext, members: new Set(order), bytes: await encrypt(plaintext, order.map((k) => k.recipient)) };
      }),
    );
    for (const k of ks) {
      const d = await RecordDecrypter.fromIdentities([k.identity]);
      const results = await Promise.all(
        files.map(async (f) => {
          try {
            return text(await d.decrypt(f.bytes));
          } catch (e) {
            return e instanceof NotARecipientError ? null : `unexpected ${String(e)}`;
          }
        }),
      );
      results.forEach((r, i) => {
        expect(r).toBe(files[i]!.members.has(k) ? files[i]!.plaintext : null);
      });
    }
  });

  it("a decrypter with several identities reads files for any of them", async () => {
    const [a, b] = keys(2);
    const d = await RecordDecrypter.fromIdentities([a!.identity, b!.identity]);
    expect(d.recipients).toEqual([a!.recipient, b!.recipient]);
    expect(text(await d.decrypt(await encrypt("to a", [a!.recipient])))).toBe("to a");
    expect(text(await d.decrypt(await encrypt("to b", [b!.recipient])))).toBe("to b");
  });

  it("refuses an empty recipient list and a malformed recipient", async () => {
    await expect(encrypt("x", [])).rejects.toThrow("no recipients");
    await expect(encrypt("x", ["age1notakey"])).rejects.toThrow("invalid recipient");
  });

  it("fromIdentities refuses junk", async () => {
    await expect(RecordDecrypter.fromIdentities(["AGE-SECRET-KEY-1JUNK"])).rejects.toThrow("invalid identity");
    await expect(RecordDecrypter.fromIdentities(["hello"])).rejects.toThrow("invalid identity");
  });
});

describe("errors are classified", () => {
  let me: Key;
  let other: Key;
  let file: Uint8Array;
  let d: RecordDecrypter;
  const plaintext = "a".repeat(70_000); // more than one 64 KiB STREAM chunk

  beforeEach(async () => {
    [me, other] = keys(2) as [Key, Key];
    file = await encrypt(plaintext, [me.recipient]);
    d = await RecordDecrypter.fromIdentities([me.identity]);
  });

  it("a file for someone else: NotARecipientError", async () => {
    const theirs = await encrypt("secret", [other.recipient]);
    await expect(d.decrypt(theirs)).rejects.toBeInstanceOf(NotARecipientError);
    const several = await encrypt("secret", keys(3).map((k) => k.recipient));
    await expect(d.decrypt(several)).rejects.toBeInstanceOf(NotARecipientError);
  });

  it("truncated files: CorruptFileError", async () => {
    for (const length of [21, 30, 100, file.length - 200, file.length - 1]) {
      await expect(d.decrypt(file.subarray(0, length)), `truncated to ${length}`).rejects.toBeInstanceOf(CorruptFileError);
    }
  });

  it("bit flips in the header MAC and in the payload: CorruptFileError", async () => {
    const headerEnd = Buffer.from(file).indexOf("\n---") + 1;
    const macAt = headerEnd + 5; // inside the base64 MAC
    const positions = [macAt, headerEnd + 50 + 10, file.length - 1, Math.floor(file.length / 2)];
    for (const at of positions) {
      const flipped = new Uint8Array(file);
      flipped[at]! ^= 0x01;
      await expect(d.decrypt(flipped), `bit flipped at ${at}`).rejects.toBeInstanceOf(CorruptFileError);
    }
  });

  it("non-age and empty input: CorruptFileError", async () => {
    await expect(d.decrypt(new Uint8Array(0))).rejects.toBeInstanceOf(CorruptFileError);
    await expect(d.decrypt(utf8.encode("coc: 1\ntype: report\n"))).rejects.toBeInstanceOf(CorruptFileError);
    await expect(d.decrypt(utf8.encode("age-encryption.org/v2\n-> X25519 abc\n"))).rejects.toBeInstanceOf(CorruptFileError);
    await expect(d.decrypt(utf8.encode("-----BEGIN AGE ENCRYPTED FILE-----\nnot base64!\n-----END AGE ENCRYPTED FILE-----\n"))).rejects.toBeInstanceOf(
      CorruptFileError,
    );
  });

  it("armored input decrypts", async () => {
    const armored = armor.encode(file);
    expect(armored.startsWith("-----BEGIN AGE ENCRYPTED FILE-----")).toBe(true);
    expect(text(await d.decrypt(utf8.encode(armored)))).toBe(plaintext);
  });
});

describe("interop with typage's own implementation", () => {
  it("our encrypt output decrypts with typage's Decrypter given identity strings", async () => {
    const ks = keys(3);
    const file = await encrypt("interop: ours -> typage\n", ks.map((k) => k.recipient));
    for (const k of ks) {
      const t = new Decrypter();
      t.addIdentity(k.identity);
      expect(await t.decrypt(file, "text")).toBe("interop: ours -> typage\n");
    }
  });

  it("derives the same recipient as typage for any identity (the public key as X25519 with the base point)", async () => {
    for (let i = 0; i < 64; i++) {
      const id = await typageGenerateIdentity();
      expect((await RecordDecrypter.fromIdentities([id])).recipients).toEqual([await identityToRecipient(id)]);
    }
  });

  it("typage's Encrypter with string recipients produces files our RecordDecrypter reads", async () => {
    const a = await typageGenerateIdentity();
    const b = await typageGenerateIdentity();
    const e = new Encrypter();
    e.addRecipient(await identityToRecipient(a));
    e.addRecipient(await identityToRecipient(b));
    const file = await e.encrypt("interop: typage -> ours\n");
    for (const id of [a, b]) {
      const d = await RecordDecrypter.fromIdentities([id]);
      expect(d.recipients).toEqual([await identityToRecipient(id)]);
      expect(text(await d.decrypt(file))).toBe("interop: typage -> ours\n");
    }
    const stranger = await RecordDecrypter.fromIdentities([generateIdentity().identity]);
    await expect(stranger.decrypt(file)).rejects.toBeInstanceOf(NotARecipientError);
  });

  it("parseRecipient accepts age1 keys (normalising case) and rejects junk", () => {
    const { recipient } = generateIdentity();
    expect(parseRecipient(recipient)).toBe(recipient);
    expect(parseRecipient(`  ${recipient}\n`)).toBe(recipient);
    expect(parseRecipient(recipient.toUpperCase())).toBe(recipient);
    expect(parseRecipient(KAT_RECIPIENT)).toBe(KAT_RECIPIENT);
    // Bech32 allows all-uppercase; the stored form is lowercase (the only spelling the age CLI accepts).
    expect(parseRecipient(KAT_RECIPIENT.toUpperCase())).toBe(KAT_RECIPIENT);
    const badChecksum = recipient.slice(0, -1) + (recipient.endsWith("q") ? "p" : "q");
    const { identity } = generateIdentity();
    for (const junk of ["", "junk", "age1", "age1notakey", badChecksum, identity, `${recipient}x`, `AGE1${recipient.slice(4)}`, "age1pq1junk", "ssh-ed25519 AAAA"]) {
      expect(() => parseRecipient(junk), JSON.stringify(junk)).toThrow("invalid recipient");
    }
  });
});

describe("identity files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "coc-crypto-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string | Uint8Array, mode = 0o600): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode });
    return path;
  };

  it("loads an age-keygen file", async () => {
    const path = write("key.txt", KAT_IDENTITY_TEXT);
    const d = await loadIdentity({ path, checkPermissions: true });
    expect(d.recipients).toEqual([KAT_RECIPIENT]);
    expect(Buffer.from(await d.decrypt(KAT_CIPHERTEXT)).equals(KAT_PLAINTEXT)).toBe(true);
  });

  it("refuses a file readable by others, naming the fix", async () => {
    const path = write("key.txt", KAT_IDENTITY_TEXT, 0o644);
    const err = await loadIdentity({ path, checkPermissions: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain("chmod 600");
    expect((err as Error).message).toContain(path);
    // Permission checks can be switched off (Windows).
    expect((await loadIdentity({ path, checkPermissions: false })).recipients).toEqual([KAT_RECIPIENT]);
  });

  it("a missing file points at coc keygen", async () => {
    const err = await loadIdentity({ path: join(dir, "nope.txt"), checkPermissions: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    // The core says what is wrong; the CLI adds where to go (its own words).
    expect((err as UserError).hint).toBe("identity");
    expect(userMessage(err as UserError)).toContain("coc keygen");
  });

  it("a file that is not an identity is a UserError naming the line", async () => {
    const path = write("key.txt", "# comment\nhello\n");
    await expect(loadIdentity({ path, checkPermissions: true })).rejects.toThrow(`${path}:2: not an age identity`);
  });

  describe("passphrase-protected", () => {
    let path: string;
    beforeEach(async () => {
      path = write("protected.age", await encryptWithPassphrase(KAT_IDENTITY_TEXT, "pw", 10));
    });

    it("is unlocked by asking the passphrase exactly once", async () => {
      const asked: string[] = [];
      const d = await loadIdentity({
        path,
        checkPermissions: true,
        askPassphrase: async (p) => {
          asked.push(p);
          return "pw";
        },
      });
      expect(asked).toEqual([path]);
      expect(d.recipients).toEqual([KAT_RECIPIENT]);
      expect(Buffer.from(await d.decrypt(KAT_CIPHERTEXT)).equals(KAT_PLAINTEXT)).toBe(true);
    });

    it("an armored protected identity works too", async () => {
      const armored = write("protected.asc", armor.encode(readFileSync(path)));
      const d = await loadIdentity({ path: armored, checkPermissions: true, askPassphrase: async () => "pw" });
      expect(d.recipients).toEqual([KAT_RECIPIENT]);
    });

    it("without a way to ask, fails saying it is passphrase-protected", async () => {
      const err = await loadIdentity({ path, checkPermissions: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toContain("passphrase-protected");
    });

    it("a wrong passphrase is a UserError", async () => {
      const err = await loadIdentity({ path, checkPermissions: true, askPassphrase: async () => "wrong" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/cannot unlock identity .*wrong passphrase/);
    });
  });

  describe("writeNewIdentity", () => {
    it("creates a 0600 file (and 0700 parents) that loads and matches the returned recipient", async () => {
      const path = join(dir, "config", "coc", "identity.txt");
      const { recipient } = await writeNewIdentity(path, FIXED_NOW);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, "config")).mode & 0o777).toBe(0o700);
      const content = readFileSync(path, "utf8");
      expect(content).toContain(`# public key: ${recipient}\n`);
      expect(content).toContain("# created: 2026-06-01T14:05:00Z\n");
      expect(parseRecipient(recipient)).toBe(recipient);
      const d = await loadIdentity({ path, checkPermissions: true });
      expect(d.recipients).toEqual([recipient]);
    });

    it("refuses to overwrite, leaving the file unchanged", async () => {
      const path = join(dir, "identity.txt");
      await writeNewIdentity(path, FIXED_NOW);
      const before = readFileSync(path);
      const err = await writeNewIdentity(path, new Date()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toContain("already exists");
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
    });

    it.skipIf(!hasAgeCli())("the file works with the real age CLI (age -d -i, age-keygen -y)", async () => {
      const path = join(dir, "identity.txt");
      const { recipient } = await writeNewIdentity(path, FIXED_NOW);
      const env = { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: dir, LANG: "C.UTF-8" };
      expect(execFileSync("age-keygen", ["-y", path], { env, encoding: "utf8" }).trim()).toBe(recipient);
      const record = write("r.age", await encrypt("decrypted by age\n", [generateIdentity().recipient, recipient]));
      expect(execFileSync("age", ["-d", "-i", path, record], { env, encoding: "utf8" })).toBe("decrypted by age\n");
    });
  });
});
