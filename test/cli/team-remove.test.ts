import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, fromTemplate, hasAgeCli, reportYaml, teamRepo, teamWithRemote, type Person, ageDecrypts as ageCan } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let repo: string;
let codes: string[];

/** The three-member repository with its cases, built once and copied for each test. */
async function withCases(t: World): Promise<{ repo: string; codes: string[] }> {
  const [alice, bob, carol] = [t.person("alice"), t.person("bob"), t.person("carol")];
  const repo = await teamRepo(t, [alice, bob, carol]);
  const codes: string[] = [];
  for (const extra of ["", "", "exclude: [carol]\n"]) {
    const r = await t.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("x", extra) });
    codes.push(r.stdout.trim());
  }
  await t.run(["new-report", "--case", codes[0]!, "--from", "-"], { as: bob, cwd: repo, stdin: reportYaml("second") });
  return { repo, codes };
}

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
  ({ repo, codes } = await fromTemplate(world, "team-remove.test: three cases, one with two reports", withCases));
});
afterEach(() => world.cleanup());

function files(): string[] {
  return codes.flatMap((c) => readdirSync(join(repo, "cases", c)).map((f) => join(repo, "cases", c, f)));
}

const ageDecrypts = (file: string, who: Person) => ageCan(file, who, world.env);

describe("team remove", () => {
  it("needs --yes without a terminal", async () => {
    const r = await world.run(["team", "remove", "bob"], { as: alice, cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes required/);
    expect(readFileSync(join(repo, ".coc", "team.yaml"), "utf8")).toContain("name: bob");
  });

  it("re-encrypts every record bob could read without him, in one commit, and says what it cannot undo", async () => {
    const before = world.git(repo, ["rev-parse", "HEAD"]).trim();
    const r = await world.run(["team", "remove", "bob", "--yes"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Removed bob from the roster and re-encrypted 4 record\(s\) in 3 case\(s\) without them, in one commit\./);
    expect(r.stderr).toMatch(/What coc cannot undo: bob keeps everything they already received\. Git history and their own clones/);
    expect(world.git(repo, ["rev-list", "--count", `${before}..HEAD`]).trim()).toBe("1");
    expect(world.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe("coc: remove team member bob");
    // bob is off the roster (kept as a former member, so the records he signed before still verify).
    const team = parse(readFileSync(join(repo, ".coc", "team.yaml"), "utf8")) as { members: { name: string }[]; former: { name: string }[] };
    expect(team.members.map((m) => m.name)).not.toContain("bob");
    expect(team.former.map((m) => m.name)).toEqual(["bob"]);
    for (const code of codes) {
      const shown = JSON.parse((await world.run(["show", code, "--json"], { as: alice, cwd: repo })).stdout);
      for (const rec of shown.records) expect(rec.recipients).not.toContain("bob");
    }
    const verify = await world.run(["verify"], { as: alice, cwd: repo });
    expect(verify.code, verify.stdout).toBe(0);
    const asBob = await world.run(["list", "--json"], { as: bob, cwd: repo });
    expect(asBob.code).toBe(0);
    expect((JSON.parse(asBob.stdout) as { restricted: boolean }[]).every((c) => c.restricted)).toBe(true);
  });

  it.skipIf(!hasAgeCli())("the age CLI confirms: bob decrypts nothing, the others everything they could before", async () => {
    const couldBefore = (p: Person) => files().filter((f) => ageDecrypts(f, p)).sort();
    const aliceBefore = couldBefore(alice);
    const carolBefore = couldBefore(carol);
    expect(couldBefore(bob).length).toBe(4);
    expect((await world.run(["team", "remove", "bob", "--yes"], { as: alice, cwd: repo })).code).toBe(0);
    expect(couldBefore(bob)).toEqual([]);
    expect(couldBefore(alice)).toEqual(aliceBefore);
    expect(couldBefore(carol)).toEqual(carolBefore);
  });

  it("cases the caller cannot read are named so someone who can finishes the job", async () => {
    const r = await world.run(["team", "remove", "bob", "--yes"], { as: carol, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`may still be encrypted to bob (${codes[2]})`);
    // carol's removal is a roster change alice did not make: she confirms it first.
    const refused = await world.run(["team", "remove", "bob", "--yes"], { as: alice, cwd: repo });
    expect(refused.stderr).toMatch(/roster changed since you last confirmed it \(removed: bob/);
    expect((await world.run(["team", "trust", "--yes"], { as: alice, cwd: repo })).code).toBe(0);
    const again = await world.run(["team", "remove", "bob", "--yes"], { as: alice, cwd: repo });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/bob was already off the roster; re-encrypted 1 record\(s\) in 1 case\(s\)/);
    const verify = await world.run(["verify"], { as: alice, cwd: repo });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it("refuses to remove the last member or someone unknown", async () => {
    const r = await world.run(["team", "remove", "zed", "--yes"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"zed" is not on the roster/);
  });
});

describe("team remove across clones", () => {
  it("a sync that must re-encrypt for a removal not confirmed yet points to coc trust, which confirms every kind of change", async () => {
    const t = await teamWithRemote();
    try {
      // bob takes a case alice cannot read; alice removes carol and pushes.
      const hidden = await t.world.run(["new-report", "--from", "-"], { as: t.bob, cwd: t.b, stdin: reportYaml("hidden", "exclude: [alice]\n") });
      expect(hidden.code, hidden.stderr).toBe(0);
      expect((await t.world.run(["sync"], { as: t.bob, cwd: t.b })).code).toBe(0);
      expect((await t.world.run(["sync"], { as: t.alice, cwd: t.a })).code).toBe(0);
      expect((await t.world.run(["team", "remove", "carol", "--yes"], { as: t.alice, cwd: t.a })).code).toBe(0);
      expect((await t.world.run(["sync"], { as: t.alice, cwd: t.a })).code).toBe(0);
      const r = await t.world.run(["sync"], { as: t.bob, cwd: t.b });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("Check the change with coc trust, then run coc sync again.");
      expect(r.stderr).not.toMatch(/roster alone/);
    } finally {
      t.world.cleanup();
    }
  });
});
