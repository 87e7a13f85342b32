import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, fromTemplate, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
beforeEach(() => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
});
afterEach(() => world.cleanup());

function caseFiles(repo: string): string[] {
  const root = join(repo, "cases");
  try {
    return readdirSync(root).flatMap((c) => readdirSync(join(root, c)).map((f) => `${c}/${f}`)).sort();
  } catch {
    return [];
  }
}

/** A bare remote with the team repository pushed to it, and `n` fresh clones (built once per `n` and copied). */
async function shared(n: number): Promise<{ origin: string; clones: string[] }> {
  return fromTemplate(world, `sync-verify.test: a remote and ${n} clones`, async (t) => {
    const repo = await teamRepo(t, [t.person("alice"), t.person("bob"), t.person("carol")]);
    const origin = join(t.root, "origin.git");
    t.git(t.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
    t.git(repo, ["remote", "add", "origin", origin]);
    t.git(repo, ["push", "--quiet", "-u", "origin", "main"]);
    const clones = Array.from({ length: n }, (_, i) => {
      const dir = join(t.root, `clone-${i}`);
      t.git(t.root, ["clone", "--quiet", origin, dir]);
      return dir;
    });
    return { origin, clones };
  });
}

describe("sync", () => {
  it("says clearly when there is no remote", async () => {
    const repo = await teamRepo(world, [alice]);
    const r = await world.run(["sync"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^coc: no git remote is configured; add a private one with: git remote add origin <url>\n$/);
  });

  it("three clones writing and syncing in turn end with every record everywhere, no conflict, clean trees", async () => {
    const { clones } = await shared(3);
    const people = [alice, bob, carol];
    const codes: string[] = [];
    // Interleaved: everyone writes before anyone syncs, then again after partial syncs.
    for (const round of [0, 1]) {
      for (const [i, dir] of clones.entries()) {
        const r = await world.run(["new-report", "--from", "-"], { as: people[i], cwd: dir, stdin: reportYaml(`round ${round} by ${people[i]!.name}`) });
        expect(r.code, r.stderr).toBe(0);
        codes.push(r.stdout.trim());
        if (round === 1 && i === 1) {
          const s = await world.run(["sync"], { as: people[i], cwd: dir });
          expect(s.code, s.stderr).toBe(0);
        }
      }
      for (const [i, dir] of clones.entries()) {
        const s = await world.run(["sync"], { as: people[i], cwd: dir });
        expect(s.code, s.stderr).toBe(0);
        expect(s.stderr).toMatch(/Synced with origin\/main/);
      }
    }
    // One more round so the first clone sees what the later ones pushed.
    for (const [i, dir] of clones.entries()) expect((await world.run(["sync"], { as: people[i], cwd: dir })).code).toBe(0);
    const expected = caseFiles(clones[0]!);
    expect(expected).toHaveLength(6);
    for (const [i, dir] of clones.entries()) {
      expect(caseFiles(dir)).toEqual(expected);
      expect(world.git(dir, ["status", "--porcelain"]).trim()).toBe("");
      expect(world.git(dir, ["config", "core.hooksPath"]).trim()).toBe(".git/coc/hooks");
      const list = JSON.parse((await world.run(["list", "--json"], { as: people[i], cwd: dir })).stdout) as { case: string }[];
      expect(list.map((c) => c.case).sort()).toEqual([...codes].sort());
    }
  });

  it("stops on a real conflict in team.yaml with instructions, and loses nothing", async () => {
    const { clones } = await shared(2);
    const [a, b] = clones as [string, string];
    const dave = world.person("dave");
    const erin = world.person("erin");
    expect((await world.run(["team", "add", "dave", dave.memberKey], { as: alice, cwd: a })).code).toBe(0);
    expect((await world.run(["sync"], { as: alice, cwd: a })).code).toBe(0);
    expect((await world.run(["team", "add", "erin", erin.memberKey], { as: bob, cwd: b })).code).toBe(0);
    const head = world.git(b, ["rev-parse", "HEAD"]).trim();
    const r = await world.run(["sync"], { as: bob, cwd: b });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/conflict with origin\/main in \.coc\/team\.yaml; nothing was lost/);
    expect(r.stderr).toContain("git add <file>; git commit --no-edit");
    expect(existsSync(join(b, ".git", "MERGE_HEAD"))).toBe(false);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(world.git(b, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(world.git(b, ["status", "--porcelain"]).trim()).toBe("");
    expect(readFileSync(join(b, ".coc", "team.yaml"), "utf8")).toContain("name: erin");
  });
});

describe("verify", () => {
  it("passes on a consistent repository", async () => {
    const repo = await teamRepo(world, [alice, bob]);
    await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
    await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("x", "exclude: [bob]\n") });
    const r = await world.run(["verify", "--json"], { as: alice, cwd: repo });
    const report = JSON.parse(r.stdout);
    expect(report.problems).toEqual([]);
    expect(r.code).toBe(0);
    expect(report).toMatchObject({ ok: true, cases: 2, records: 2, checked: 2, notForYou: 0, historyBlobs: 2 });
    const asBob = await world.run(["verify"], { as: bob, cwd: repo });
    expect(asBob.code).toBe(0);
    expect(asBob.stderr).toMatch(/ok: 2 case\(s\), 2 record\(s\): 1 checked, 1 not encrypted to you/);
  });

  it("finds plaintext committed with --no-verify, in history too, naming file and commit", async () => {
    const repo = await teamRepo(world, [alice]);
    const code = (await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() })).stdout.trim();
    writeFileSync(join(repo, "cases", code, "notes.yaml"), "secret: plaintext\n");
    world.git(repo, ["add", "."]);
    expect(() => world.git(repo, ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "oops"])).toThrow(/refusing to commit/);
    world.git(repo, ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "oops", "--no-verify"]);
    const bad = world.git(repo, ["rev-parse", "HEAD"]).trim();
    // Deleting it from the work tree does not remove it from history.
    world.git(repo, ["rm", "-q", `cases/${code}/notes.yaml`]);
    world.git(repo, ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "remove"]);
    const r = await world.run(["verify"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`problem: cases/${code}/notes.yaml (commit ${bad.slice(0, 12)}): plaintext in git history`);
  });

  it("reports a missing guard, a record still encrypted to a removed member, and a half re-encrypted case", async () => {
    const repo = await teamRepo(world, [alice, bob, carol]);
    const code = (await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() })).stdout.trim();
    world.git(repo, ["config", "--unset", "core.hooksPath"]);
    const team = readFileSync(join(repo, ".coc", "team.yaml"), "utf8");
    writeFileSync(join(repo, ".coc", "team.yaml"), team.replace(/ {2}- name: carol\n[\s\S]*$/, ""));
    const r = await world.run(["verify"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/core\.hooksPath is not set/);
    expect(r.stdout).toMatch(/still encrypted to "carol", who is not on the roster/);
    writeFileSync(join(repo, ".coc", "team.yaml"), team);
    // A second record encrypted to others only, next to one readable: what an interrupted re-encryption leaves.
    const other = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("y", "exclude: [alice]\n") });
    expect(other.code, other.stderr).toBe(0);
    const [foreign] = readdirSync(join(repo, "cases", other.stdout.trim()));
    execFileSync("cp", [join(repo, "cases", other.stdout.trim(), foreign!), join(repo, "cases", code, foreign!)]);
    const mixed = await world.run(["verify"], { as: alice, cwd: repo });
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toMatch(/half re-encrypted/);
  });
});
