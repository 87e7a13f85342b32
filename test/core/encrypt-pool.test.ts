/**
 * Encrypting many files on worker threads (src/core/repo/encrypt-pool.ts),
 * driven with the built worker script (npm test builds before it runs): what
 * the threads make are age files for exactly the recipients asked, each
 * readable by typage and the age CLI; a file the workers cannot make (a bad
 * recipient) fails alone, with encrypt's own error; and when no worker
 * starts, everything is still encrypted, on this thread.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { Decrypter } from "age-encryption";
import { countStanzas, generateIdentity } from "../../src/core/crypto/age.js";
import { decryptNative } from "../../src/core/crypto/native.js";
import { NativeX25519Identity } from "../../src/core/crypto/x25519.js";
import { encryptFiles, type EncryptJob } from "../../src/core/repo/encrypt-pool.js";
import { hasAgeCli } from "../helpers/env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const WORKERS = [join(ROOT, "dist", "bundle", "read-worker.cjs"), join(ROOT, "dist", "core", "repo", "read-worker.js")].map((f) => pathToFileURL(f));
const scratch = mkdtempSync(join(tmpdir(), "coc-encrypt-pool-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const people = Array.from({ length: 4 }, () => generateIdentity());
const native = people.map((p) => new NativeX25519Identity(p.identity));

/** 300 files (more than the pool's minimum), each to a different subset of the four people. */
const jobs: EncryptJob[] = Array.from({ length: 300 }, (_, i) => ({
  plaintext: Buffer.from(`{"record": ${i}, "text": "${"x".repeat(i * 7)}"}\n`),
  recipients: people.filter((_, k) => k === i % 4 || k === (i + 1) % 4 || i % 3 === 0).map((p) => p.recipient),
}));

async function all(threads: number | undefined, script?: URL, list: readonly EncryptJob[] = jobs, started = threads): Promise<PromiseSettledResult<Uint8Array>[]> {
  const e = encryptFiles(list, threads, script);
  expect(e.threads).toBe(started);
  try {
    return await Promise.allSettled(list.map((_, i) => e.file(i)));
  } finally {
    await e.close();
  }
}

/** Checks that each file decrypts to its plaintext for exactly its recipients. */
function check(files: readonly Uint8Array[], list: readonly EncryptJob[] = jobs): void {
  expect(files).toHaveLength(list.length);
  files.forEach((file, i) => {
    expect(countStanzas(file)).toBe(list[i]!.recipients.length);
    people.forEach((p, k) => {
      const v = decryptNative(file, [native[k]!]);
      if (list[i]!.recipients.includes(p.recipient)) {
        expect(v.kind, `file ${i}, person ${k}`).toBe("plaintext");
        if (v.kind === "plaintext") expect(Buffer.from(v.plaintext).equals(Buffer.from(list[i]!.plaintext))).toBe(true);
      } else expect(v.kind, `file ${i}, person ${k}`).toBe("not-a-recipient");
    });
  });
}

const fulfilled = (r: PromiseSettledResult<Uint8Array>[]) => r.map((x) => (x.status === "fulfilled" ? x.value : undefined)).filter((x): x is Uint8Array => x !== undefined);

describe("encrypting many files on worker threads", () => {
  it.each(WORKERS.map((w) => [w.pathname.split("/").at(-1)!, w] as const))("with %s, makes age files for exactly the recipients asked", async (_name, script) => {
    const results = await all(2, script);
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    const files = fulfilled(results);
    check(files);
    // typage (the reference implementation coc builds on) reads them too.
    for (const i of [0, 1, 2, 3, 299]) {
      const d = new Decrypter();
      d.addIdentity(people.find((p) => jobs[i]!.recipients.includes(p.recipient))!.identity);
      expect(Buffer.from(await d.decrypt(files[i]!)).equals(Buffer.from(jobs[i]!.plaintext))).toBe(true);
    }
  });

  it.skipIf(!hasAgeCli())(`makes files age -d reads${hasAgeCli() ? "" : " (SKIPPED: the age CLI is not installed)"}`, async () => {
    const files = fulfilled(await all(2, WORKERS[0]));
    const key = join(scratch, "key.txt");
    writeFileSync(key, `${people[0]!.identity}\n`, { mode: 0o600 });
    for (const i of [0, 3, 4, 299]) {
      const path = join(scratch, `f${i}.age`);
      writeFileSync(path, files[i]!);
      const r = spawnSync("age", ["-d", "-i", key, path]);
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(r.stdout.equals(Buffer.from(jobs[i]!.plaintext))).toBe(true);
    }
  });

  it("fails only the file with a bad recipient, with encrypt's own error", async () => {
    const list = jobs.map((j, i) => (i === 77 ? { ...j, recipients: [...j.recipients, "age1notarecipient"] } : j));
    const results = await all(2, WORKERS[0], list);
    expect(results[77]).toMatchObject({ status: "rejected", reason: new Error("invalid recipient") });
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    check(fulfilled(results.filter((_, i) => i !== 77)), list.filter((_, i) => i !== 77));
  });

  it("encrypts everything on this thread when no worker can start, or none is wanted", async () => {
    check(fulfilled(await all(2, pathToFileURL(join(scratch, "no-such-worker.cjs")), jobs, 0)));
    check(fulfilled(await all(0, WORKERS[0])));
    // Too few files to be worth a thread.
    check(fulfilled(await all(2, WORKERS[0], jobs.slice(0, 10), 0)), jobs.slice(0, 10));
  });
});
