/**
 * A large re-encryption: the built binary removes a member from a repository
 * of 300 records.
 * - On worker threads (src/core/repo/encrypt-pool.ts), the default on two
 *   cores or more, and with none (COC_THREADS=0): either way every file is
 *   re-encrypted to exactly the members left, holds the same record as
 *   before, and is readable by the age CLI; the removed member reads none.
 * - Written over each file in place (src/core/repo/store.ts, overwriteFile):
 *   killed half-way, the next command puts back every byte from HEAD; a
 *   record file with a second name (a hard link) is never written through.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countStanzas } from "../../src/core/crypto/age.js";
import { decryptNative } from "../../src/core/crypto/native.js";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { NativeX25519Identity } from "../../src/core/crypto/x25519.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord } from "../../src/core/records/schema.js";
import { signRecord } from "../../src/core/records/signature.js";
import { newRecordId, randomCaseCode } from "../../src/core/repo/codes.js";
import { repoPaths } from "../../src/core/repo/layout.js";
import { stageRecords } from "../../src/core/repo/record-writes.js";
import { FIXED_NOW, ageDecrypts, hasAgeCli, teamWorld, type Person, type World } from "../helpers/env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");
const CASES = 60;
const PER_CASE = 5;

let world: World;
let people: Person[];
let repo: string;

function reportBody(author: string, at: Date): unknown {
  return BODY_SCHEMAS.report.parse({
    received_at: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    received_by: author,
    channel: "in-person",
    reporter: { name: "Sam Reporter", contact: "sam@example.org" },
    incident: { summary: "Unwanted comments at the social", description: "What the reporter said.", people: [{ name: "Pat Example", role: "reported" }] },
  });
}

beforeAll(async () => {
  ({ world, people, repo } = await teamWorld("alice", "bob", "carol"));
  const signers = people.map((p) => signingKeyFromIdentity(p.identity));
  const writes = Array.from({ length: CASES }, () => randomCaseCode()).flatMap((code, c) =>
    Array.from({ length: PER_CASE }, (_, i) => {
      const at = new Date(FIXED_NOW.getTime() + (c * PER_CASE + i + 1) * 60_000);
      const author = i % 3;
      const type = i === 0 ? "report" : "note";
      const body = i === 0 ? reportBody(people[author]!.name, at) : BODY_SCHEMAS.note.parse({ text: `note ${c}.${i}` });
      const record = makeRecord({ type, case: code, id: newRecordId(type, at), author: people[author]!.name, created_at: at, recipients: people.map((p) => p.name), body: body as never });
      return { record: { ...record, signature: signRecord(record, signers[author]!) } as CocRecord, keys: people.map((p) => p.recipient) };
    }),
  );
  for (const s of await stageRecords(repoPaths(repo), writes, 0)) renameSync(s.temp, s.final);
  world.git(repo, ["add", "cases"]);
  world.git(repo, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "--quiet", "-m", "notes"]);
}, 120_000);
afterAll(() => world.cleanup());

function recordFiles(root: string): string[] {
  return readdirSync(join(root, "cases")).flatMap((c) => readdirSync(join(root, "cases", c)).map((f) => join("cases", c, f)));
}

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

function spawnCoc(copy: string, argv: string[], as: Person, env: Record<string, string>) {
  return spawnSync(process.execPath, [BIN, ...argv], { cwd: copy, env: { ...world.env, COC_IDENTITY: as.identityFile, ...env }, encoding: "utf8", timeout: 120_000 });
}

function removeCarol(copy: string, as: Person, env: Record<string, string>): void {
  const r = spawnCoc(copy, ["team", "remove", "carol", "--yes"], as, env);
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stderr).toContain(`re-encrypted ${CASES * PER_CASE} record(s) in ${CASES} case(s)`);
}

/** A copy of the repository with its own HOME, where alice has confirmed the roster (the pin of each earlier removal lives in its own HOME). */
function freshCopy(name: string): { copy: string; env: Record<string, string> } {
  const copy = join(world.root, name);
  cpSync(repo, copy, { recursive: true });
  const home = join(world.root, `${name}-home`);
  mkdirSync(home);
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, ".config") };
  const trusted = spawnCoc(copy, ["team", "trust", "--yes"], people[0]!, env);
  expect(trusted.status, trusted.stderr).toBe(0);
  return { copy, env };
}

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
});
