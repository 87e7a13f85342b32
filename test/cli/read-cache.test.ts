/**
 * The per-user read cache in .git/coc/cache (src/core/repo/cache.ts): it
 * holds nothing in plaintext, is useless to anyone but its owner, never
 * serves a case the user can no longer read (recusal, removal), is ignored
 * when changed or forged, changes no output when deleted, and `coc verify`
 * never uses it.
 */
import { readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RecordDecrypter, NotARecipientError, encrypt } from "../../src/core/crypto/age.js";
import { ReadCache, fileHash } from "../../src/core/repo/cache.js";
import { statusKey } from "../../src/core/file-status.js";
import { World, fromTemplate, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let repo: string;
let code: string;
const MARKER = "cache-marker-7f3a";

async function withCase(t: World): Promise<{ repo: string; code: string }> {
  const people = [t.person("alice"), t.person("bob"), t.person("carol")];
  const repo = await teamRepo(t, people);
  const r = await t.run(["new-report", "--from", "-"], { as: people[0], cwd: repo, stdin: reportYaml(MARKER) });
  if (r.code !== 0) throw new Error(r.stderr);
  return { repo, code: r.stdout.trim() };
}

beforeEach(async () => {
  world = new World();
  [alice, bob, carol] = [world.person("alice"), world.person("bob"), world.person("carol")];
  ({ repo, code } = await fromTemplate(world, "read-cache.test: a team of three with one case", withCase));
});
afterEach(() => world.cleanup());

const cacheDir = () => join(repo, ".git", "coc", "cache");
const cacheFiles = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()).map((f) => join(cacheDir(), f)) : []);

async function ok(argv: string[], who: Person): Promise<string> {
  const r = await world.run(argv, { as: who, cwd: repo });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const listed = async (who: Person) => JSON.parse(await ok(["list", "--json"], who)) as { case: string; restricted: boolean; state: string }[];

describe("the read cache", () => {
  it("is written by list, encrypted to the user alone, with no plaintext in .git/coc", async () => {
    await ok(["list", "--json"], alice);
    const [file, ...more] = cacheFiles();
    expect(file).toBeDefined();
    expect(more).toEqual([]);
    for (const f of readdirSync(join(repo, ".git", "coc"), { recursive: true, withFileTypes: true })) {
      if (!f.isFile()) continue;
      const text = readFileSync(join(f.parentPath, f.name), "latin1");
      expect(text).not.toContain(MARKER);
      expect(text).not.toContain(code);
    }
    const mine = await RecordDecrypter.fromIdentities([alice.identity]);
    expect(Buffer.from(await mine.decrypt(readFileSync(file!))).toString()).toContain(MARKER);
    const theirs = await RecordDecrypter.fromIdentities([bob.identity]);
    await expect(theirs.decrypt(readFileSync(file!))).rejects.toThrow(NotARecipientError);
  });

  it("is useless to another member: each has their own, and one's copied over the other's is ignored", async () => {
    await ok(["list", "--json"], alice);
    const [aliceCache] = cacheFiles();
    const bobBefore = await ok(["list", "--json"], bob);
    const bobCache = cacheFiles().find((f) => f !== aliceCache)!;
    expect(bobCache).toBeDefined();
    writeFileSync(bobCache, readFileSync(aliceCache!));
    expect(await ok(["list", "--json"], bob)).toBe(bobBefore);
    expect(await ok(["show", code, "--json"], bob)).toContain(MARKER);
  });

  it("changes no output when deleted", async () => {
    const cold = [await ok(["list", "--json"], alice), await ok(["show", code, "--json"], alice), await ok(["transparency", "--format", "json"], alice)];
    const warm = [await ok(["list", "--json"], alice), await ok(["show", code, "--json"], alice), await ok(["transparency", "--format", "json"], alice)];
    for (const f of cacheFiles()) rmSync(f);
    const again = [await ok(["list", "--json"], alice), await ok(["show", code, "--json"], alice), await ok(["transparency", "--format", "json"], alice)];
    expect(warm).toEqual(cold);
    expect(again).toEqual(cold);
  });

  it("does not serve a case to a member recused from it: their warm list shows it restricted", async () => {
    expect((await listed(carol)).find((c) => c.case === code)?.restricted).toBe(false);
    await ok(["recuse", code, "carol", "--yes"], alice);
    expect((await listed(carol)).find((c) => c.case === code)).toMatchObject({ restricted: true, state: "restricted" });
    const show = await world.run(["show", code], { as: carol, cwd: repo });
    expect(show.code).toBe(1);
    expect(show.stdout).not.toContain(MARKER);
  });

  it("does not serve a case to a removed member: their warm list shows it restricted", async () => {
    expect((await listed(carol)).find((c) => c.case === code)?.restricted).toBe(false);
    await ok(["team", "remove", "carol", "--yes"], alice);
    expect((await listed(carol)).find((c) => c.case === code)).toMatchObject({ restricted: true });
  });

  it("is ignored when a byte is changed, or when someone else wrote it (encrypted to the user, without the user's key)", async () => {
    const before = await ok(["list", "--json"], alice);
    const [file] = cacheFiles();
    const bytes = readFileSync(file!);
    bytes[bytes.length - 5]! ^= 1;
    writeFileSync(file!, bytes);
    expect(await ok(["list", "--json"], alice)).toBe(before);
    // A forged cache that would hide the case: valid age to alice, readable by her, but not made with her key.
    const content = JSON.stringify({ v: 1, recipient: alice.recipient, trust: "", files: {} });
    const caseFiles = readdirSync(join(repo, "cases", code));
    const files = Object.fromEntries(caseFiles.map((f) => [`cases/${code}/${f}`, { h: fileHash(readFileSync(join(repo, "cases", code, f))), r: null }]));
    const forged = JSON.stringify({ ...JSON.parse(content), files });
    writeFileSync(file!, await encrypt(`${"0".repeat(64)}\n${forged}`, [alice.recipient]));
    expect(await ok(["list", "--json"], alice)).toBe(before);
  });

  it("knows a file by its status only once it is settled, and notices a change in place even with its times put back", async () => {
    const mine = await RecordDecrypter.fromIdentities([alice.identity]);
    const entries = async () => {
      const plain = Buffer.from(await mine.decrypt(readFileSync(cacheFiles()[0]!))).toString();
      return Object.values((JSON.parse(plain.slice(65)) as { files: Record<string, { st?: string }> }).files);
    };
    // Whole seconds, so that putting them back below is exact.
    const past = Math.floor(Date.now() / 1000) - 3600;
    for (const f of readdirSync(join(repo, "cases", code))) utimesSync(join(repo, "cases", code, f), past, past);
    // Just changed: too recent to trust by status (a change in the same clock tick would not show).
    const before = await ok(["list", "--json"], alice);
    expect((await entries()).some((e) => e.st !== undefined)).toBe(false);
    await new Promise((r) => setTimeout(r, 2100));
    expect(await ok(["list", "--json"], alice)).toBe(before);
    expect((await entries()).every((e) => typeof e.st === "string")).toBe(true);
    // Known by status now; a byte changed in place, the modification time put back: the change time still tells.
    expect(await ok(["list", "--json"], alice)).toBe(before);
    const rel = readdirSync(join(repo, "cases", code)).find((f) => f.includes("-report-"))!;
    const file = join(repo, "cases", code, rel);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3]! ^= 1;
    writeFileSync(file, bytes);
    utimesSync(file, past, past);
    expect(statSync(file).mtimeMs).toBe(past * 1000);
    const r = await world.run(["list", "--json"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(rel);
    expect(r.stdout).not.toBe(before);
  });

  it("forgets a purged case at once", async () => {
    await ok(["list", "--json"], alice);
    const mine = await RecordDecrypter.fromIdentities([alice.identity]);
    const cached = async () => Buffer.from(await mine.decrypt(readFileSync(cacheFiles()[0]!))).toString();
    expect(await cached()).toContain(MARKER);
    await ok(["purge", code, "--yes"], alice);
    expect(await cached()).not.toContain(MARKER);
    expect(await cached()).not.toContain(code);
  });

  it("forgets a purged case at once, in a cache an interrupted write left as a temp file too", async () => {
    await ok(["list", "--json"], alice);
    // A write killed before its rename (Ctrl-C, a closed pipe): only the temp file is there.
    const [file] = cacheFiles();
    renameSync(file!, join(cacheDir(), ".0123456789ab.tmp"));
    await ok(["purge", code, "--yes"], alice);
    const mine = await RecordDecrypter.fromIdentities([alice.identity]);
    for (const f of cacheFiles()) {
      const plain = Buffer.from(await mine.decrypt(readFileSync(f))).toString();
      expect(plain, f).not.toContain(MARKER);
      expect(plain, f).not.toContain(code);
    }
  });

  it("is used (a file it says is not for you is listed so) but never by coc verify", async () => {
    await ok(["list", "--json"], alice);
    // Alice's own cache, written through its API, claiming her record is not for her (as a stale cache would).
    const d = await RecordDecrypter.fromIdentities([alice.identity]);
    const cache = await ReadCache.open(join(repo, ".git"), d, undefined);
    for (const f of readdirSync(join(repo, "cases", code))) {
      const rel = `cases/${code}/${f}`;
      cache.remember(rel, fileHash(readFileSync(join(repo, rel))), { kind: "not-for-you" });
    }
    await cache.save(false);
    expect((await listed(alice)).find((c) => c.case === code)?.restricted).toBe(true);
    const verify = await world.run(["verify"], { as: alice, cwd: repo });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/1 record\(s\): 1 checked/);
  });
});

describe("the read cache and the identities it was written with", () => {
  it("serves nothing another key decrypted once that key is gone from the identity file", async () => {
    await ok(["recuse", code, "alice", "--yes"], bob);
    // Alice's identity file also holds a second key for a while (here bob's), which reads the case.
    const both = join(world.root, "keys", "alice-and-more.txt");
    writeFileSync(both, `${readFileSync(alice.identityFile, "utf8")}\n${bob.identity}\n`, { mode: 0o600 });
    const withBoth = { ...alice, identityFile: both };
    expect((await listed(withBoth)).find((c) => c.case === code)?.restricted).toBe(false);
    // The second key dropped: the files say the case is not for her, whatever her cache learnt with it.
    expect((await listed(alice)).find((c) => c.case === code)).toMatchObject({ restricted: true, state: "restricted" });
    const show = await world.run(["show", code], { as: alice, cwd: repo });
    expect(show.code).toBe(1);
    expect(show.stdout).not.toContain(MARKER);
  });
});

describe("the read cache and clocks", () => {
  it("does not know by status a file changed just before it was written, when this clock runs ahead of the file system's", async () => {
    // The file system's clock (a network share, a VM's shared folder) an hour behind this machine's:
    // a file just written looks settled to Date.now(), yet a change in the same tick would not show.
    const real = Date.now.bind(Date);
    const skew = vi.spyOn(Date, "now").mockImplementation(() => real() + 3_600_000);
    try {
      await ok(["list", "--json"], alice);
    } finally {
      skew.mockRestore();
    }
    const cache = await ReadCache.open(join(repo, ".git"), await RecordDecrypter.fromIdentities([alice.identity]), undefined);
    for (const f of readdirSync(join(repo, "cases", code))) {
      const rel = `cases/${code}/${f}`;
      expect(cache.lookupStat(rel, statusKey(statSync(join(repo, rel)))), rel).toBeUndefined();
    }
  });
});

describe("the read cache and a slow read", () => {
  it("does not know by status a file changed shortly before the read began, however long the read took", async () => {
    const decrypter = await RecordDecrypter.fromIdentities([alice.identity]);
    const rel = `cases/${code}/${readdirSync(join(repo, "cases", code))[0]!}`;
    const real = Date.now();
    // The read begins 2.5 s before it ends; the file changed half a second before it began, so a change in the
    // same clock tick while it was being read would not show in its status.
    const began = vi.spyOn(Date, "now").mockReturnValue(real - 2500);
    let cache: ReadCache;
    try {
      cache = await ReadCache.open(join(repo, ".git"), decrypter, []);
    } finally {
      began.mockRestore();
    }
    const changed = real - 3000;
    const stat = `123:${changed}:${changed}:42:7`;
    cache.remember(rel, "0".repeat(64), { kind: "not-for-you" }, { stat, stanzas: 3 });
    await cache.save(false);
    const again = await ReadCache.open(join(repo, ".git"), decrypter, []);
    expect(again.lookupStat(rel, stat)).toBeUndefined();
  });
});

describe("the read cache and statuses", () => {
  it("is asked by status when any entry has one, not only when the first has", async () => {
    const decrypter = await RecordDecrypter.fromIdentities([alice.identity]);
    const cache = await ReadCache.open(join(repo, ".git"), decrypter, []);
    const now = Date.now();
    // The first file changed just now (its status is not kept), the second long ago.
    cache.remember("cases/a-b-1/first.age", "0".repeat(64), { kind: "not-for-you" }, { stat: `1:${now}:${now}:1:1`, stanzas: 3 });
    cache.remember("cases/a-b-1/second.age", "1".repeat(64), { kind: "not-for-you" }, { stat: `1:${now - 60_000}:${now - 60_000}:2:1`, stanzas: 3 });
    await cache.save(false);
    expect((await ReadCache.open(join(repo, ".git"), decrypter, [])).knowsStatus).toBe(true);
  });
});

