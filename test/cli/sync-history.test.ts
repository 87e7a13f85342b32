/**
 * What `coc sync` pushes, commit by commit (DESIGN.md §1.8, §7 "Sync"),
 * through a real bare remote: a record a clone wrote before it pulled a
 * recusal must not reach the recused member anywhere in what is pushed (not
 * only in the last commit), and a roster change this clone has not confirmed
 * yet must not undo what the team did with it (a case shared with a new member).
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecordDecrypter } from "../../src/core/index.js";
import { ageDecrypts, filesReadableBy, hasAgeCli, World, type Person, teamWithRemote } from "../helpers/env.js";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let origin: string;
let a: string;
let b: string;
let code: string;

beforeEach(async () => {
  ({ world, alice, bob, carol, origin, a, b, code } = await teamWithRemote());
});
afterEach(() => world.cleanup());

async function ok(argv: string[], who: Person, cwd: string, stdin?: string): Promise<string> {
  const r = await world.run(argv, { as: who, cwd, ...(stdin !== undefined ? { stdin } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const note = (text: string) => `kind: meeting\ntext: ${text}\nattendees: [alice, bob]\n`;

/** Every blob under cases/ in any commit of the bare remote that `who` can decrypt. */
async function readableInRemoteHistory(who: Person): Promise<Set<string>> {
  const out = world.git(origin, ["log", "--all", "--format=", "--raw", "--no-abbrev", "--no-renames", "--diff-filter=AM", "--", "cases"]);
  const blobs = new Set(out.split("\n").filter((l) => l.startsWith(":")).map((l) => l.split("\t")[0]!.split(" ")[3]!));
  const d = await RecordDecrypter.fromIdentities([who.identity]);
  const readable = new Set<string>();
  for (const blob of blobs) {
    try {
      await d.decrypt(world.gitBytes(origin, ["cat-file", "blob", blob]));
      readable.add(blob);
    } catch {
      // not for them
    }
  }
  return readable;
}

describe("coc sync pushes nothing a recused member can read, in any commit", () => {
  it("a note written before the recusal was pulled is re-encrypted in its own commit before it goes out", async () => {
    await ok(["sync"], bob, b);
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    const before = await readableInRemoteHistory(carol);
    await ok(["note", code, "--from", "-"], bob, b, note("written on a stale clone"));
    await ok(["note", code, "--from", "-"], bob, b, note("and another one"));
    const sync = JSON.parse(await ok(["sync", "--json"], bob, b)) as { reencrypted: string[] };
    expect(sync.reencrypted).toEqual([code]);
    // Nothing the sync pushed is readable by carol: not the notes' first versions either.
    expect([...(await readableInRemoteHistory(carol))].filter((x) => !before.has(x))).toEqual([]);
    // bob's commits went out as they were, one each, with the merge; each note went out in its re-encrypted version.
    world.git(b, ["fetch", "--quiet", "origin"]);
    const notes = world.git(b, ["log", "--format=%H %s", "origin/main"]).split("\n").filter((l) => / coc: note/.test(l));
    expect(notes).toHaveLength(2);
    for (const n of notes) {
      const added = world.git(b, ["diff-tree", "-r", "--no-commit-id", "--name-only", "--diff-filter=A", n.split(" ")[0]!]).split("\n").filter(Boolean);
      expect(added).toHaveLength(1);
      expect(world.git(b, ["rev-parse", `${n.split(" ")[0]!}:${added[0]!}`])).toBe(world.git(b, ["rev-parse", `HEAD:${added[0]!}`]));
    }
    // The clone and the remote agree, and everything verifies.
    expect(world.git(b, ["rev-parse", "HEAD"])).toBe(world.git(b, ["rev-parse", "origin/main"]));
    expect(world.git(b, ["status", "--porcelain"])).toBe("");
    await ok(["verify"], bob, b);
    await ok(["sync"], alice, a);
    await ok(["verify"], alice, a);
  });

  it("the first push of a clone that never synced folds the re-encryption into its commits too", async () => {
    // carol's recusal reaches the remote while bob's clone has written but never pushed.
    await ok(["note", code, "--from", "-"], bob, b, note("never pushed before"));
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    const before = await readableInRemoteHistory(carol);
    await ok(["sync"], bob, b);
    expect([...(await readableInRemoteHistory(carol))].filter((x) => !before.has(x))).toEqual([]);
  });
});

describe("coc sync pushes nothing a recused member can read, when the re-encryption is older than this sync", () => {
  it("a recusal made on this clone after it wrote a note it had not pushed", async () => {
    await ok(["sync"], bob, b);
    await ok(["note", code, "--from", "-"], bob, b, note("never pushed, carol still a reader"));
    // bob recuses carol himself, on his clone: the recusal re-encrypts his note in a commit of its own.
    await ok(["recuse", code, "carol", "--yes"], bob, b);
    const before = await readableInRemoteHistory(carol);
    await ok(["sync"], bob, b);
    expect([...(await readableInRemoteHistory(carol))].filter((x) => !before.has(x))).toEqual([]);
    expect(world.git(b, ["status", "--porcelain"])).toBe("");
    await ok(["verify"], bob, b);
  });
});

describe("commits made by hand with plain git", () => {
  it("keep their file names when sync writes them again, even names that are not UTF-8", async () => {
    await ok(["sync"], bob, b);
    const g = ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x"];
    const dir = join(b, "cases", code);
    const odd = Buffer.concat([Buffer.from(join(dir, "odd-")), Buffer.from([0xff, 0xfe]), Buffer.from(".txt")]);
    writeFileSync(odd, "one\n");
    world.git(b, [...g, "add", "-A"]);
    const message = join(world.root, "message");
    writeFileSync(message, Buffer.concat([Buffer.from("first "), Buffer.from([0xe9, 0xff]), Buffer.from("\n")]));
    world.git(b, [...g, "-c", "i18n.commitEncoding=iso-8859-1", "commit", "--quiet", "-F", message, "--date=2001-02-03T04:05:06Z"]);
    const first = world.gitBytes(b, ["cat-file", "commit", "HEAD"]);
    writeFileSync(odd, "two\n");
    world.git(b, [...g, "commit", "--quiet", "-am", "second"]);
    const before = world.gitBytes(b, ["ls-tree", "-r", "-z", "--name-only", "HEAD~1"]);
    await world.run(["sync"], { as: bob, cwd: b });
    // The first commit was written again (the file's first version folded away), all else byte for byte.
    const after = world.gitBytes(b, ["cat-file", "commit", "HEAD"]);
    const rest = (c: Buffer) => c.subarray(c.indexOf("author "));
    expect(rest(after).equals(rest(first))).toBe(true);
    for (const rev of ["HEAD", "HEAD~1"]) {
      const names = world.gitBytes(b, ["ls-tree", "-r", "-z", "--name-only", rev]);
      expect(names.includes(Buffer.from("\ufffd"))).toBe(false);
    }
    expect(world.gitBytes(b, ["ls-tree", "-r", "-z", "--name-only", "HEAD"]).equals(before)).toBe(true);
  });
});

describe("a merge made by hand whose side sync leaves out", () => {
  it("is written with each parent once", async () => {
    await ok(["sync"], bob, b);
    const g = ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x"];
    const file = join(b, "cases", code, "hand.txt");
    writeFileSync(file, "one\n");
    world.git(b, [...g, "add", "-A"]);
    world.git(b, [...g, "commit", "--quiet", "-m", "first"]);
    world.git(b, [...g, "checkout", "--quiet", "-b", "side"]);
    writeFileSync(file, "two\n");
    world.git(b, [...g, "commit", "--quiet", "-am", "second"]);
    world.git(b, [...g, "checkout", "--quiet", "main"]);
    world.git(b, [...g, "merge", "--quiet", "--no-ff", "-m", "merge", "side"]);
    await world.run(["sync"], { as: bob, cwd: b });
    const parents = world.git(b, ["rev-list", "--parents", "-n", "1", "HEAD"]).trim().split(" ").slice(1);
    expect(new Set(parents).size).toBe(parents.length);
    world.git(b, ["fsck", "--strict", "--no-dangling"]);
  });
});

describe("a roster change pushed with plain git, not signed by a lead", () => {
  it("takes no case away from the member it drops, while it waits for confirmation", async () => {
    await ok(["sync"], bob, b);
    await ok(["trust", "--yes"], bob, b);
    const readable = await filesReadableBy(b, carol);
    expect(readable).toBeGreaterThan(0);
    const dir = join(world.root, "attacker");
    world.git(world.root, ["clone", "--quiet", origin, dir]);
    const team = join(dir, ".coc", "team.yaml");
    const text = readFileSync(team, "utf8");
    const dropped = text.replace(/\n( *)- name: carol\n(?:\1 {2}.*\n)*/, "\n");
    expect(dropped).not.toBe(text);
    writeFileSync(team, dropped);
    const g = ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x"];
    world.git(dir, [...g, "commit", "--quiet", "-am", "roster"]);
    world.git(dir, [...g, "push", "--quiet", "origin", "main"]);
    const pushedBefore = world.git(origin, ["rev-parse", "main"]);
    const refused = await world.run(["sync"], { as: bob, cwd: b });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/coc trust/);
    expect(world.git(origin, ["rev-parse", "main"])).toBe(pushedBefore);
    expect(await filesReadableBy(b, carol)).toBe(readable);
  });
});

describe.runIf(hasAgeCli())("a roster change this clone has not confirmed", () => {
  it("does not undo a case shared with the new member", async () => {
    const dave = world.person("dave");
    await ok(["sync"], bob, b);
    await ok(["note", code, "--from", "-"], bob, b, note("pins bob's roster"));
    await ok(["sync"], bob, b);
    await ok(["sync"], alice, a);
    await ok(["team", "add", "dave", dave.memberKey], alice, a);
    await ok(["share", code, "dave", "--no-conflict"], alice, a);
    await ok(["sync"], alice, a);
    const sync = JSON.parse(await ok(["sync", "--json"], bob, b)) as { reencrypted: string[] };
    expect(sync.reencrypted).toEqual([]);
    const files = readdirSync(join(b, "cases", code)).map((f) => join(b, "cases", code, f));
    expect(files.every((f) => ageDecrypts(f, dave, world.env))).toBe(true);
    await ok(["sync"], alice, a);
    expect(readdirSync(join(a, "cases", code)).every((f) => ageDecrypts(join(a, "cases", code, f), dave, world.env))).toBe(true);
  });

  it("stops a push that would need it confirmed, and pushes once it is", async () => {
    const dave = world.person("dave");
    await ok(["sync"], bob, b);
    await ok(["note", code, "--from", "-"], bob, b, note("pins bob's roster"));
    await ok(["sync"], bob, b);
    await ok(["sync"], alice, a);
    // alice recuses carol, adds dave and shares the case with him; bob meanwhile writes to carol.
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["team", "add", "dave", dave.memberKey], alice, a);
    await ok(["share", code, "dave", "--no-conflict"], alice, a);
    await ok(["sync"], alice, a);
    await ok(["note", code, "--from", "-"], bob, b, note("written to carol too"));
    const pushedBefore = world.git(origin, ["rev-parse", "main"]);
    const refused = await world.run(["sync"], { as: bob, cwd: b });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(code);
    expect(refused.stderr).toMatch(/coc trust/);
    expect(world.git(origin, ["rev-parse", "main"])).toBe(pushedBefore);
    await ok(["trust", "--yes"], bob, b);
    const before = await readableInRemoteHistory(carol);
    await ok(["sync"], bob, b);
    expect([...(await readableInRemoteHistory(carol))].filter((x) => !before.has(x))).toEqual([]);
    const files = readdirSync(join(b, "cases", code)).map((f) => join(b, "cases", code, f));
    expect(files.every((f) => ageDecrypts(f, dave, world.env))).toBe(true);
    expect(files.some((f) => ageDecrypts(f, carol, world.env))).toBe(false);
  });
});
