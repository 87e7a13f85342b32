/**
 * A large re-encryption: the built binary removes a member from a repository
 * of 300 records.
 * - On worker threads (src/core/repo/encrypt-pool.ts), the default on two
 *   cores or more, and with none (COC_THREADS=0): either way every file is
 *   re-encrypted to exactly the members left, holds the same record as
 *   before, and is readable by the age CLI; the removed member reads none.
 * - Written over each file in place (src/core/repo/record-writes.ts, overwriteFile):
 *   killed half-way, the next command puts back every byte from HEAD; a
 *   record file with a second name (a hard link) is never written through.
 * - Through a bare remote: bob takes a report while alice removes carol;
 *   after both sync, neither clone holds a file carol can read.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, linkSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countStanzas } from "../../src/core/crypto/age.js";
import { decryptNative } from "../../src/core/crypto/native.js";
import { NativeX25519Identity } from "../../src/core/crypto/x25519.js";
import { ageDecrypts, hasAgeCli, reportYaml, type Person, type World } from "../helpers/env.js";
import { BIN, CASES, PER_CASE, largeRepo, freshCopy as copyOf, recordFiles, spawnCoc as run, type LargeRepo } from "../helpers/large-repo.js";

let large: LargeRepo;
let world: World;
let people: Person[];
let repo: string;

beforeAll(async () => {
  large = await largeRepo();
  ({ world, people, repo } = large);
}, 120_000);
afterAll(() => world.cleanup());

/** Each record file's plaintext for `who` (null when not a recipient). */
function plaintexts(root: string, who: Person): Map<string, string | null> {
  const id = new NativeX25519Identity(who.identity);
  return new Map(
    recordFiles(root).map((rel) => {
      const v = decryptNative(readFileSync(join(root, rel)), [id]);
      if (v.kind === "typage") throw new Error(`${rel}: not a file of coc's`);
      return [rel, v.kind === "plaintext" ? Buffer.from(v.plaintext).toString("utf8") : null];
    }),
  );
}

const spawnCoc = (copy: string, argv: string[], as: Person, env: Record<string, string>) => run(world, copy, argv, as, env);

function removeCarol(copy: string, as: Person, env: Record<string, string>): void {
  const r = spawnCoc(copy, ["team", "remove", "carol", "--yes"], as, env);
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stderr).toContain(`re-encrypted ${CASES * PER_CASE} record(s) in ${CASES} case(s)`);
}

const freshCopy = (name: string) => copyOf(large, name);

const bytesOf = (root: string) => new Map(recordFiles(root).map((rel) => [rel, readFileSync(join(root, rel)).toString("base64")]));

describe("a large re-encryption on worker threads", () => {
  it("re-encrypts every file to exactly the members left, with threads as without", () => {
    expect(availableParallelism()).toBeGreaterThan(1); // else the default starts no worker and this compares nothing
    const [alice, bob, carol] = people as [Person, Person, Person];
    const before = plaintexts(repo, alice);
    // Two copies, removed by two members (each has their own confirmed roster).
    const threaded = join(world.root, "threaded");
    const single = join(world.root, "single");
    cpSync(repo, threaded, { recursive: true });
    cpSync(repo, single, { recursive: true });
    removeCarol(threaded, alice, {});
    removeCarol(single, bob, { COC_THREADS: "0" });
    for (const copy of [threaded, single]) {
      expect(world.git(copy, ["status", "--porcelain"]).trim()).toBe("");
      const files = recordFiles(copy);
      expect(files).toHaveLength(CASES * PER_CASE);
      for (const rel of files) expect(countStanzas(readFileSync(join(copy, rel))), rel).toBe(2);
      const text = (m: Map<string, string | null>) => [...m].map(([rel, t]) => [rel, t?.replace(/"recipients": \[[^\]]*\]/, "")]);
      // The same records, now for alice and bob only.
      expect(text(plaintexts(copy, alice))).toEqual(text(before));
      expect(text(plaintexts(copy, bob))).toEqual(text(before));
      for (const t of plaintexts(copy, alice).values()) expect(t).toMatch(/"recipients": \[\s*"alice",\s*"bob"\s*\]/);
      expect([...plaintexts(copy, carol).values()].every((t) => t === null)).toBe(true);
    }
  });

  it("writes each file over itself (same inode), and puts every byte back from HEAD when killed half-way", () => {
    const [alice, , carol] = people as [Person, Person, Person];
    const { copy, env } = freshCopy("killed");
    const before = bytesOf(copy);
    const inodes = new Map(recordFiles(copy).map((rel) => [rel, statSync(join(copy, rel)).ino]));
    const head = world.git(copy, ["rev-parse", "HEAD"]).trim();
    const killed = spawnCoc(copy, ["team", "remove", "carol", "--yes"], alice, { ...env, COC_TEST_KILL_AFTER_MOVES: "150" });
    expect(killed.signal).toBe("SIGKILL");
    // Half the files rewritten in place (the same inodes, new bytes), the other half not yet, and the journal.
    const changed = [...bytesOf(copy)].filter(([rel, b]) => b !== before.get(rel)).map(([rel]) => rel);
    expect(changed.length).toBeGreaterThanOrEqual(149);
    expect(changed.length).toBeLessThan(CASES * PER_CASE);
    for (const rel of changed) expect(statSync(join(copy, rel)).ino, rel).toBe(inodes.get(rel));
    expect(existsSync(join(copy, ".git", "coc", "journal.json"))).toBe(true);
    // The next command (any, even a listing) puts everything back: not one byte differs from before.
    const listed = spawnCoc(copy, ["list", "--json"], alice, env);
    expect(listed.status, listed.stderr).toBe(0);
    expect(world.git(copy, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(world.git(copy, ["status", "--porcelain", "--untracked-files=all"]).trim()).toBe("");
    expect(bytesOf(copy)).toEqual(before);
    expect([...plaintexts(copy, carol).values()].every((t) => t !== null)).toBe(true);
    // And done again, to the end.
    removeCarol(copy, alice, env);
    expect([...plaintexts(copy, carol).values()].every((t) => t === null)).toBe(true);
  });

  it("never writes through a second name of a record file: that one is replaced, its other name keeps its bytes", () => {
    const [alice, , carol] = people as [Person, Person, Person];
    const { copy, env } = freshCopy("linked");
    const [rel] = recordFiles(copy) as [string];
    const other = join(world.root, "a-second-name.age");
    linkSync(join(copy, rel), other);
    const old = readFileSync(other);
    removeCarol(copy, alice, env);
    expect(readFileSync(other).equals(old)).toBe(true);
    expect(statSync(join(copy, rel)).ino).not.toBe(statSync(other).ino);
    expect(plaintexts(copy, carol).get(rel)).toBeNull();
    expect(plaintexts(copy, alice).get(rel)).not.toBeNull();
    expect(world.git(copy, ["status", "--porcelain"]).trim()).toBe("");
  });

  it.skipIf(!hasAgeCli())(`writes files age -d reads${hasAgeCli() ? "" : " (SKIPPED: the age CLI is not installed)"}`, () => {
    const threaded = join(world.root, "threaded");
    for (const rel of recordFiles(threaded).filter((_, i) => i % 50 === 0)) {
      expect(ageDecrypts(join(threaded, rel), people[1]!, world.env)).toBe(true);
      expect(ageDecrypts(join(threaded, rel), people[2]!, world.env)).toBe(false);
    }
  });

  it("shared through a bare remote: a member who wrote meanwhile syncs the removal, and carol reads nothing in either clone", () => {
    const [alice, bob, carol] = people as [Person, Person, Person];
    const { copy: a, env: aliceEnv } = freshCopy("shared-alice");
    const origin = join(world.root, "shared-origin.git");
    world.git(world.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
    world.git(a, ["remote", "add", "origin", origin]);
    world.git(a, ["push", "--quiet", "-u", "origin", "main"]);
    const b = join(world.root, "shared-bob");
    world.git(world.root, ["clone", "--quiet", origin, b]);
    const bobHome = join(world.root, "shared-bob-home");
    mkdirSync(bobHome);
    const bobEnv = { HOME: bobHome, XDG_CONFIG_HOME: join(bobHome, ".config") };
    const ok = (cwd: string, argv: string[], as: Person, env: Record<string, string>, stdin?: string) => {
      const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, env: { ...world.env, COC_IDENTITY: as.identityFile, ...env }, input: stdin, encoding: "utf8", timeout: 120_000 });
      expect(r.status, `coc ${argv.join(" ")}: ${r.stdout}\n${r.stderr}`).toBe(0);
      return r;
    };
    // Both at once: bob takes a report (still to carol: he has not pulled), alice removes carol (300 files in place).
    ok(b, ["list"], bob, bobEnv);
    const report = ok(b, ["new-report", "--from", "-"], bob, bobEnv, reportYaml("bob's")).stdout.trim();
    removeCarol(a, alice, aliceEnv);
    ok(a, ["sync"], alice, aliceEnv);
    // bob pulls the removal: his report, still encrypted to carol, waits for him to confirm it (nothing is pushed);
    // once he has, it is re-encrypted without carol before it is pushed.
    const waiting = spawnSync(process.execPath, [BIN, "sync"], { cwd: b, env: { ...world.env, COC_IDENTITY: bob.identityFile, ...bobEnv }, encoding: "utf8", timeout: 120_000 });
    expect(waiting.status).toBe(1);
    expect(waiting.stderr).toContain(report);
    expect(waiting.stderr).toMatch(/coc trust/);
    ok(b, ["trust", "--yes"], bob, bobEnv);
    expect(ok(b, ["sync"], bob, bobEnv).stderr).toContain(`Re-encrypted case(s) ${report} to their readers before pushing`);
    ok(a, ["sync"], alice, aliceEnv);
    for (const [clone, who, env] of [[a, alice, aliceEnv], [b, bob, bobEnv]] as const) {
      expect(world.git(clone, ["status", "--porcelain"]).trim()).toBe("");
      ok(clone, ["verify"], who, env);
      expect(recordFiles(clone)).toHaveLength(CASES * PER_CASE + 1);
      expect(recordFiles(clone).some((rel) => rel.startsWith(`cases/${report}/`))).toBe(true);
      expect([...plaintexts(clone, carol).values()].every((t) => t === null)).toBe(true);
      expect([...plaintexts(clone, who).values()].every((t) => t !== null)).toBe(true);
    }
  });
});
