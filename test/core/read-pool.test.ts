/**
 * The reading worker (src/core/repo/read-pool.ts, read-worker.ts), driven
 * directly with the built worker script (npm test builds before it runs):
 * its verdicts are the native path's, its signature checks name exactly what
 * they checked, and a worker that cannot start or dies answers "typage" for
 * every file, so the main thread decides them all.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { RecordDecrypter, armorFile, encrypt, generateIdentity } from "../../src/core/crypto/age.js";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { canonicalText } from "../../src/core/records/canonical.js";
import { signRecord } from "../../src/core/records/signature.js";
import { ReadPool } from "../../src/core/repo/read-pool.js";
import { checkedHash, type PoolVerdict } from "../../src/core/repo/read-wire.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const WORKERS = [join(ROOT, "dist", "core", "repo", "read-worker.js"), join(ROOT, "dist", "bundle", "read-worker.cjs")].map((f) => pathToFileURL(f));
const scratch = mkdtempSync(join(tmpdir(), "coc-read-pool-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const me = generateIdentity();
const other = generateIdentity();
const signer = signingKeyFromIdentity(me.identity);
const members = [{ name: "alice", roles: ["lead"], signing_key: signer.publicKey }];
const record = { coc: 1, type: "note", case: "calm-otter-12", id: "20260601T140500Z-note-abcd", author: "alice", created_at: "2026-06-01T14:05:00Z", readers: ["alice"], recipients: ["alice"], body: { kind: "meeting", text: "x" } };
const signed = { ...record, signature: signRecord(record, signer) };
const text = (r: object) => `${JSON.stringify(r, null, 2)}\n`;

async function verdicts(pool: ReadPool, files: Uint8Array[]): Promise<PoolVerdict[]> {
  return pool.decrypt(files);
}

describe("the reading worker", () => {
  it("is built next to the worker pool, as tsc's module and as the bundle's CommonJS file", () => {
    for (const w of WORKERS) expect(existsSync(fileURLToPath(w))).toBe(true);
  });

  it.each(WORKERS.map((w) => [w.pathname.split("/dist/")[1]!, w] as const))("%s decrypts what the native path decrypts, leaves the rest to the main thread, and names what it checked", async (_name, script) => {
    const d = await RecordDecrypter.fromIdentities([me.identity]);
    const pool = ReadPool.start(d, { members }, script)!;
    expect(pool).toBeDefined();
    const good = await encrypt(text(signed), [me.recipient]);
    const forged = await encrypt(text({ ...signed, body: { kind: "meeting", text: "changed" } }), [me.recipient]);
    const notMine = await encrypt(text(signed), [other.recipient]);
    const armored = new TextEncoder().encode(await armorFile(good));
    const tampered = Uint8Array.from(good);
    tampered[tampered.length - 1]! ^= 1;
    const garbage = new TextEncoder().encode("not an age file at all");
    const block = await encrypt(stringify(signed), [me.recipient]);
    const unparsable = await encrypt("coc: 1\ntype: !!str note\n", [me.recipient]);
    try {
      const [g, f, n, a, t, x, b, u] = await verdicts(pool, [good, forged, notMine, armored, tampered, garbage, block, unparsable]);
      expect(typeof g === "object" && new TextDecoder().decode(g.plaintext)).toBe(text(signed));
      expect(typeof g === "object" && g.sig).toEqual({ checked: checkedHash(canonicalText(signed), signer.publicKey, signed.signature), ok: true });
      expect(typeof f === "object" && f.sig?.ok).toBe(false);
      expect(n).toBe("not-a-recipient");
      // Armored, tampered and foreign files: the main thread decides (typage's verdict stands).
      expect([a, t, x]).toEqual(["typage", "typage", "typage"]);
      // Block style: checked too, over what js-yaml read (the main thread compares it with what it validated).
      expect(typeof b === "object" && b.sig).toEqual({ checked: checkedHash(canonicalText(signed), signer.publicKey, signed.signature), ok: true });
      // What the fast reader leaves to yaml (a tag): decrypted, no signature check (the main thread checks it).
      expect(typeof u === "object" && new TextDecoder().decode(u.plaintext)).toContain("!!str");
      expect(typeof u === "object" && u.sig).toBeUndefined();
    } finally {
      await pool.close();
    }
  });

  it("answers typage for every file when its thread cannot start or dies", async () => {
    const d = await RecordDecrypter.fromIdentities([me.identity]);
    const broken = join(scratch, "broken-worker.mjs");
    writeFileSync(broken, 'throw new Error("no worker today");\n');
    const pool = ReadPool.start(d, { members }, pathToFileURL(broken))!;
    const file = await encrypt(text(signed), [me.recipient]);
    try {
      expect(await verdicts(pool, [file, file])).toEqual(["typage", "typage"]);
      expect(await verdicts(pool, [file])).toEqual(["typage"]);
    } finally {
      await pool.close();
    }
  });

  it("is not started from the TypeScript sources, where there is no built worker", async () => {
    const d = await RecordDecrypter.fromIdentities([me.identity]);
    expect(ReadPool.start(d, { members })).toBeUndefined();
  });
});
