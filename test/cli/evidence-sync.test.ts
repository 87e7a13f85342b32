/**
 * Evidence files through a real remote: a re-encryption of one (recusal)
 * is taken in like a record's, two at once settle by themselves, a changed
 * file is refused, a share reaches them, and a purge removes them on every
 * clone.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ageDecrypts, hasAgeCli, World, type Person, teamWithRemote } from "../helpers/env.js";
import { jpegWithGps } from "../helpers/images.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let a: string;
let b: string;
let code: string;

async function ok(argv: string[], who: Person, cwd: string): Promise<string> {
  const r = await world.run(argv, { as: who, cwd });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stderr;
}

const evidence = (dir: string) => (existsSync(join(dir, "cases", code)) ? readdirSync(join(dir, "cases", code)).filter((f) => f.endsWith(".file.age")).map((f) => join(dir, "cases", code, f)) : []);

beforeEach(async () => {
  ({ world, alice, bob, carol, a, b, code } = await teamWithRemote());
  mkdirSync(join(world.root, "in"));
  writeFileSync(join(world.root, "in", "photo.jpg"), jpegWithGps());
  await ok(["attach", code, join(world.root, "in", "photo.jpg")], alice, a);
  await ok(["sync"], alice, a);
  await ok(["sync"], bob, b);
  expect(evidence(b)).toHaveLength(1);
});
afterEach(() => world.cleanup());

describe.runIf(hasAgeCli())("evidence files through sync", () => {
  it("a recusal's re-encryption of an evidence file is taken in; the recused member reads it on no clone", async () => {
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    await ok(["sync"], bob, b);
    for (const f of [...evidence(a), ...evidence(b)]) {
      expect(ageDecrypts(f, carol, world.env)).toBe(false);
      expect(ageDecrypts(f, bob, world.env)).toBe(true);
    }
    await ok(["verify"], bob, b);
  });

  it("evidence attached on a clone that has not seen a recusal yet is re-encrypted without that member before it is pushed", async () => {
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    await ok(["attach", code, join(world.root, "in", "photo.jpg")], bob, b);
    await ok(["sync"], bob, b);
    const fresh = join(world.root, "fresh");
    world.git(world.root, ["clone", "--quiet", join(world.root, "origin.git"), fresh]);
    expect(evidence(fresh)).toHaveLength(2);
    for (const f of evidence(fresh)) expect(ageDecrypts(f, carol, world.env)).toBe(false);
    await ok(["sync"], alice, a);
    await ok(["verify"], alice, a);
  });

  it("two members recusing at once settle the evidence file by themselves", async () => {
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["recuse", code, "carol", "--yes"], bob, b);
    await ok(["sync"], alice, a);
    await ok(["sync"], bob, b);
    await ok(["sync"], alice, a);
    for (const f of [...evidence(a), ...evidence(b)]) expect(ageDecrypts(f, carol, world.env)).toBe(false);
    await ok(["verify"], alice, a);
    await ok(["verify"], bob, b);
  });

  it("refuses an evidence file changed into other content, taking nothing in", async () => {
    const [file] = evidence(a);
    const other = spawnSync("age", ["-r", alice.recipient, "-r", bob.recipient, "-r", carol.recipient], { input: "something else", env: world.env }).stdout;
    writeFileSync(file!, other);
    world.git(a, ["-c", "user.name=Mallory", "-c", "user.email=m@example.org", "commit", "--quiet", "-am", "change"]);
    world.git(a, ["push", "--quiet", "origin", "main"]);
    const before = world.git(b, ["rev-parse", "HEAD"]);
    const r = await world.run(["sync"], { as: bob, cwd: b });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/alter record file\(s\) of case/);
    expect(r.stderr).toContain(".file.age");
    expect(world.git(b, ["rev-parse", "HEAD"])).toBe(before);
  });

  it("a purge by the lead removes the evidence files on the other clones too", async () => {
    await ok(["purge", code, "--yes"], alice, a);
    await ok(["sync"], alice, a);
    await ok(["sync"], bob, b);
    expect(evidence(b)).toEqual([]);
    expect(existsSync(join(b, "cases", code))).toBe(false);
  });

  it("sharing the case with a new member re-encrypts its evidence files to them", async () => {
    const dave = world.person("dave");
    await ok(["team", "add", "dave", dave.memberKey], alice, a);
    expect(ageDecrypts(evidence(a)[0]!, dave, world.env)).toBe(false);
    await ok(["share", code, "dave", "--no-conflict", "--yes"], alice, a);
    expect(ageDecrypts(evidence(a)[0]!, dave, world.env)).toBe(true);
  });
});
