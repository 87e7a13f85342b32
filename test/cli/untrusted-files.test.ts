/**
 * Files under cases/ arrive through git from anyone who can push, so they are
 * input to check before anything is read or decrypted (DESIGN.md §1.7, §7
 * "Files under cases/"): a symlink (to a record of another repository on the
 * member's disk, or a symlinked case directory), a FIFO, and a huge file with
 * 100,000 recipient stanzas are each refused in one line naming the path, the
 * other cases still work, nothing is ever re-encrypted through them, and
 * `coc verify` names them (and any symlink in history, with its commit).
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person, type RunResult, teamWorld } from "../helpers/env.js";

const SECRET = "OTHER-REPOSITORY-SECRET";
const ATTACKER = ["-c", "user.name=Mallory", "-c", "user.email=mallory@example.invalid"];

// Codes and ids of the attacker's files (valid shapes, so only their kind gives them away).
const FIFO_CASE = "tiny-yak-11";
const HUGE_CASE = "misty-orca-12";
const MANY_CASE = "calm-newt-13";
const FIFO_FILE = `cases/${FIFO_CASE}/20260601T120000Z-note-fifo1.age`;
const HUGE_FILE = `cases/${HUGE_CASE}/20260601T120000Z-report-huge1.age`;
const MANY_FILE = `cases/${MANY_CASE}/20260601T120000Z-report-many1.age`;

const b64 = (n: number) => randomBytes(n).toString("base64").replace(/=+$/, "");

/**
 * A realistic attacker file: a well-formed age header with `stanzas` X25519
 * recipient stanzas (random shares and wrapped keys), the MAC line, and a
 * payload, padded to at least `minBytes`.
 */
function manyStanzaFile(stanzas: number, minBytes = 0): Buffer {
  const parts: string[] = ["age-encryption.org/v1\n"];
  for (let i = 0; i < stanzas; i++) parts.push(`-> X25519 ${b64(32)}\n${b64(32)}\n`);
  parts.push(`--- ${b64(32)}\n`);
  const header = Buffer.from(parts.join(""), "latin1");
  return Buffer.concat([header, randomBytes(Math.max(16 + 64, minBytes - header.length))]);
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

let world: World;
let otherWorld: World;
let alice: Person;
let repo: string;
let otherRepo: string;
let good: string;
/** A case of the other repository whose record is linked into ours as a file. */
let linkedCase: string;
let linkedFile: string;
let linkTarget: string;
/** A case of the other repository linked into ours as a whole directory. */
let linkedDirCase: string;
let linkedDirTarget: string;

beforeEach(async () => {
  const team = await teamWorld("alice", "bob", "carol");
  ({ world, repo } = team);
  alice = team.people[0]!;
  const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("our own case") });
  expect(r.code, r.stderr).toBe(0);
  good = r.stdout.trim();

  // Alice also belongs to another team, whose repository sits elsewhere on her disk.
  otherWorld = new World();
  const otherBob = otherWorld.person("bob");
  otherRepo = await teamRepo(otherWorld, [alice, otherBob]);
  linkedCase = (await otherWorld.run(["new-report", "--from", "-"], { as: alice, cwd: otherRepo, stdin: reportYaml(SECRET) })).stdout.trim();
  linkedDirCase = (await otherWorld.run(["new-report", "--from", "-"], { as: alice, cwd: otherRepo, stdin: reportYaml(`${SECRET} 2`) })).stdout.trim();
  const [id] = readdirSync(join(otherRepo, "cases", linkedCase));
  linkedFile = `cases/${linkedCase}/${id!}`;
  linkTarget = join(otherRepo, linkedFile);
  linkedDirTarget = join(otherRepo, "cases", linkedDirCase);

  // What a pusher commits to our repository: a symlinked record and a symlinked case directory...
  mkdirSync(join(repo, "cases", linkedCase), { recursive: true });
  symlinkSync(linkTarget, join(repo, linkedFile));
  symlinkSync(linkedDirTarget, join(repo, "cases", linkedDirCase));
  // ...a 10 MB file with 100,000 recipient stanzas, and one under any size cap with 2,000...
  mkdirSync(join(repo, "cases", HUGE_CASE));
  writeFileSync(join(repo, HUGE_FILE), manyStanzaFile(100_000, 10_000_000));
  mkdirSync(join(repo, "cases", MANY_CASE));
  writeFileSync(join(repo, MANY_FILE), manyStanzaFile(2_000));
  world.git(repo, ["add", "cases"]);
  world.git(repo, [...ATTACKER, "commit", "-qm", "coc: new report", "--no-verify"]);
  // ...and a FIFO (git cannot carry one, but anything local can make one).
  mkdirSync(join(repo, "cases", FIFO_CASE));
  execFileSync("mkfifo", [join(repo, FIFO_FILE)]);
});

afterEach(() => {
  world.cleanup();
  otherWorld.cleanup();
});

/** The lines of `text` that mention `needle`. */
const linesWith = (text: string, needle: string) => text.split("\n").filter((l) => l.includes(needle));

/** Exactly one line names `path` (and nothing follows the path, so it is the path itself). */
function expectOneLine(text: string, path: string, reason: RegExp): void {
  const lines = linesWith(text, `${path}:`);
  expect(lines, text).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
}

const SYMLINK = /a symbolic link; coc reads only regular files/;

/** Everything about the attacker's files and their targets that must never change. */
function untouched(): void {
  expect(lstatSync(join(repo, linkedFile)).isSymbolicLink()).toBe(true);
  expect(readlinkSync(join(repo, linkedFile))).toBe(linkTarget);
  expect(lstatSync(join(repo, "cases", linkedDirCase)).isSymbolicLink()).toBe(true);
  expect(lstatSync(join(repo, FIFO_FILE)).isFIFO()).toBe(true);
  // The other repository is exactly as its own team left it.
  expect(otherWorld.git(otherRepo, ["status", "--porcelain", "--untracked-files=all"]).trim()).toBe("");
  // No regular file was ever committed at the linked paths: every version there is a symlink.
  for (const path of [linkedFile, `cases/${linkedDirCase}`]) {
    const modes = world.git(repo, ["log", "--all", "--raw", "--no-abbrev", "--format=", "--", path]).trim().split("\n").filter(Boolean);
    expect(modes.length).toBeGreaterThan(0);
    for (const m of modes) expect(m.split(" ")[1]).toBe("120000");
  }
}

describe("untrusted files under cases/", () => {
  it("list refuses each one in one line naming it, lists the other cases, and the huge file costs nothing", async () => {
    const before = sha(linkTarget);
    const started = performance.now();
    const r: RunResult = await world.run(["list", "--json"], { as: alice, cwd: repo });
    const elapsed = performance.now() - started;
    console.log(`coc list with a 10 MB / 100,000-stanza file (and the others): ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(3000);
    expect(r.code).toBe(1);
    const listed = (JSON.parse(r.stdout) as { case: string }[]).map((c) => c.case);
    expect(listed).toContain(good);
    expect(listed).not.toContain(linkedDirCase);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expectOneLine(r.stderr, linkedFile, SYMLINK);
    expectOneLine(r.stderr, `cases/${linkedDirCase}`, /a symbolic link; coc reads only real directories/);
    expectOneLine(r.stderr, FIFO_FILE, /a FIFO; coc reads only regular files/);
    expectOneLine(r.stderr, HUGE_FILE, /over the 1 MiB limit/);
    expectOneLine(r.stderr, MANY_FILE, /more than 32 recipient stanzas/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(sha(linkTarget)).toBe(before);

    // The table view lists the good case as well.
    const table = await world.run(["list"], { as: alice, cwd: repo });
    expect(table.stdout).toContain(good);
  });

  it("the huge file alone costs well under half a second", async () => {
    // Only the huge file: nothing else to read.
    const solo = new World();
    try {
      const sam = solo.person("sam");
      const dir = await teamRepo(solo, [sam]);
      mkdirSync(join(dir, "cases", HUGE_CASE), { recursive: true });
      writeFileSync(join(dir, HUGE_FILE), manyStanzaFile(100_000, 10_000_000));
      await solo.run(["list"], { as: sam, cwd: dir }); // warm up module loading
      const started = performance.now();
      const r = await solo.run(["list"], { as: sam, cwd: dir });
      const elapsed = performance.now() - started;
      console.log(`coc list with only the 10 MB / 100,000-stanza file: ${elapsed.toFixed(0)} ms`);
      expect(r.code).toBe(1);
      expectOneLine(r.stderr, HUGE_FILE, /over the 1 MiB limit/);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      solo.cleanup();
    }
  });

  it("show refuses each one in one line naming it, and shows the other cases", async () => {
    const cases: [string, string, RegExp][] = [
      [linkedCase, linkedFile, SYMLINK],
      [linkedDirCase, `cases/${linkedDirCase}`, /a symbolic link; coc reads only real directories/],
      [FIFO_CASE, FIFO_FILE, /a FIFO; coc reads only regular files/],
      [HUGE_CASE, HUGE_FILE, /over the 1 MiB limit/],
      [MANY_CASE, MANY_FILE, /more than 32 recipient stanzas/],
    ];
    for (const [code, file, reason] of cases) {
      const r = await world.run(["show", code], { as: alice, cwd: repo });
      expect(r.code, `show ${code}: ${r.stderr}`).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`${file}:`);
      expect(lines[0]).toMatch(reason);
    }
    const ok = await world.run(["show", good], { as: alice, cwd: repo });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("our own case");
    untouched();
  });

  it("team remove re-encrypts the readable cases and never one of these", async () => {
    const before = sha(linkTarget);
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    const r = await world.run(["team", "remove", "bob", "--yes"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    const changed = world.git(repo, ["diff", "--name-only", head, "HEAD"]).trim().split("\n");
    expect(changed).toContain(".coc/team.yaml");
    expect(changed.some((f) => f.startsWith(`cases/${good}/`))).toBe(true);
    for (const code of [linkedCase, linkedDirCase, FIFO_CASE, HUGE_CASE, MANY_CASE]) {
      expect(changed.filter((f) => f.startsWith(`cases/${code}`))).toEqual([]);
    }
    expect(sha(linkTarget)).toBe(before);
    untouched();
  });

  it("recuse refuses a case reached through a symlink and writes nothing anywhere", async () => {
    const before = sha(linkTarget);
    const dirBefore = readdirSync(linkedDirTarget).map((f) => `${f}:${sha(join(linkedDirTarget, f))}`);
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    for (const [code, file] of [
      [linkedCase, linkedFile],
      [linkedDirCase, `cases/${linkedDirCase}`],
    ] as const) {
      const r = await world.run(["recuse", code, "bob"], { as: alice, cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`${file}: a symbolic link`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(world.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");
    expect(sha(linkTarget)).toBe(before);
    expect(readdirSync(linkedDirTarget).map((f) => `${f}:${sha(join(linkedDirTarget, f))}`)).toEqual(dirBefore);
    untouched();
    // A good case is still recused as usual.
    const ok = await world.run(["recuse", good, "bob"], { as: alice, cwd: repo });
    expect(ok.code, ok.stderr).toBe(0);
    untouched();
  });

  it("verify fails naming each one in the work tree, and every symlink in history with its commit", async () => {
    const attack = world.git(repo, ["rev-parse", "HEAD"]).trim();
    // A symlink committed and deleted again is still in history.
    const ghost = `cases/${good}/20260601T120000Z-note-ghost1.age`;
    symlinkSync("/etc/hostname", join(repo, ghost));
    world.git(repo, ["add", ghost]);
    world.git(repo, [...ATTACKER, "commit", "-qm", "coc: add note", "--no-verify"]);
    const ghostCommit = world.git(repo, ["rev-parse", "HEAD"]).trim();
    world.git(repo, ["rm", "-q", ghost]);
    world.git(repo, [...ATTACKER, "commit", "-qm", "coc: tidy", "--no-verify"]);
    // One made on a side branch and merged is named once, with the commit that made it.
    const side = `cases/${good}/20260601T120000Z-note-side1.age`;
    world.git(repo, ["checkout", "-qb", "side"]);
    symlinkSync("/etc/hostname", join(repo, side));
    world.git(repo, ["add", side]);
    world.git(repo, [...ATTACKER, "commit", "-qm", "coc: add note", "--no-verify"]);
    const sideCommit = world.git(repo, ["rev-parse", "HEAD"]).trim();
    world.git(repo, ["checkout", "-q", "main"]);
    world.git(repo, [...ATTACKER, "commit", "-q", "--allow-empty", "-m", "coc: something else", "--no-verify"]);
    world.git(repo, [...ATTACKER, "merge", "-q", "--no-ff", "--no-edit", "--no-verify", "side"]);
    world.git(repo, ["rm", "-q", side]);
    world.git(repo, [...ATTACKER, "commit", "-qm", "coc: tidy", "--no-verify"]);

    const r = await world.run(["verify"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const work = (path: string) => linesWith(r.stdout, `problem: ${path}:`);
    expect(work(linkedFile)).toHaveLength(1);
    expect(work(linkedFile)[0]).toMatch(SYMLINK);
    expect(work(`cases/${linkedDirCase}`)).toHaveLength(1);
    expect(work(FIFO_FILE)[0]).toMatch(/a FIFO/);
    expect(work(HUGE_FILE)[0]).toMatch(/over the 1 MiB limit/);
    expect(work(MANY_FILE)[0]).toMatch(/more than 32 recipient stanzas/);
    const history = (path: string, commit: string) => linesWith(r.stdout, `problem: ${path} (commit ${commit.slice(0, 12)}):`);
    expect(history(linkedFile, attack)).toHaveLength(1);
    expect(history(linkedFile, attack)[0]).toMatch(/a symbolic link \(git mode 120000\)/);
    expect(history(`cases/${linkedDirCase}`, attack)).toHaveLength(1);
    expect(history(ghost, ghostCommit)).toHaveLength(1);
    expect(linesWith(r.stdout, `problem: ${side} (`)).toEqual(history(side, sideCommit));
    expect(history(side, sideCommit)).toHaveLength(1);
    // A symlink is named as one, not also as plaintext.
    expect(r.stdout).not.toMatch(/plaintext in git history/);
    untouched();
  });
});
