/**
 * A re-encryption killed half-way (SIGKILL, through the test-only fault
 * hooks) leaves the old state or the new one, never a mix: the next coc
 * command finishes or undoes it, and `coc verify` confirms which.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, fromTemplate, reportYaml, teamRepo, type Person } from "../helpers/env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");

beforeAll(() => {
  if (!existsSync(join(ROOT, "dist", "main.js"))) spawnSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, stdio: "ignore" });
});

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let repo: string;
let code: string;

/** The three-member repository with a case of five reports and another case, built once and copied for each test. */
async function withCases(t: World): Promise<{ repo: string; code: string }> {
  const alice = t.person("alice");
  const repo = await teamRepo(t, [alice, t.person("bob"), t.person("carol")]);
  const code = (await t.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() })).stdout.trim();
  for (let i = 0; i < 4; i++) await t.run(["new-report", "--case", code, "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml(`more ${i}`) });
  await t.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("other") });
  return { repo, code };
}

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
  ({ repo, code } = await fromTemplate(world, "interrupt.test: a case of five reports and another case", withCases));
});
afterEach(() => world.cleanup());

function spawnCoc(argv: string[], who: Person, extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...argv], { cwd: repo, env: { ...world.env, COC_IDENTITY: who.identityFile, ...extra }, encoding: "utf8", timeout: 20_000 });
}

function recipientsOfCase(c: string, who: Person): string[][] {
  const shown = JSON.parse(spawnCoc(["show", c, "--json"], who).stdout) as { records: { recipients: string[] }[] };
  return shown.records.map((r) => r.recipients);
}

describe("an interrupted re-encryption", () => {
  it("killed half-way through `team remove`, is undone by the next command: the old state, verified", () => {
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    const killed = spawnCoc(["team", "remove", "bob", "--yes"], alice, { COC_TEST_KILL_AFTER_MOVES: "3" });
    expect(killed.signal).toBe("SIGKILL");
    // On disk right now: some files re-encrypted, some not, and the journal.
    expect(existsSync(join(repo, ".git", "coc", "journal.json"))).toBe(true);
    expect(world.git(repo, ["status", "--porcelain"]).trim()).not.toBe("");

    const verify = spawnCoc(["verify"], alice);
    expect(verify.stderr).toMatch(/interrupted before it committed; its changes were undone/);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(world.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(world.git(repo, ["status", "--porcelain", "--untracked-files=all"]).trim()).toBe("");
    expect(existsSync(join(repo, ".git", "coc", "journal.json"))).toBe(false);
    expect(readFileSync(join(repo, ".coc", "team.yaml"), "utf8")).toContain("name: bob");
    for (const r of recipientsOfCase(code, alice)) expect(r).toEqual(["alice", "bob", "carol"]);
    expect(readdirSync(join(repo, "cases", code)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("killed after the commit, is finished by the next command: the new state, verified", () => {
    const killed = spawnCoc(["recuse", code, "carol", "--yes"], alice, { COC_TEST_KILL_AFTER_COMMIT: "1" });
    expect(killed.signal).toBe("SIGKILL");
    const verify = spawnCoc(["verify"], alice);
    expect(verify.stderr).toMatch(/Finished a change that an interrupted coc command had already committed/);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    for (const r of recipientsOfCase(code, alice)) expect(r).toEqual(["alice", "bob"]);
    expect(world.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe(`coc: recusal in ${code}`);
    expect(spawnCoc(["show", code], carol).stderr).toMatch(/not a recipient/);
  });

  it("`team remove` killed after its commit: the next command finishes it, and the user's own pin follows the roster", () => {
    const killed = spawnCoc(["team", "remove", "bob", "--yes"], alice, { COC_TEST_KILL_AFTER_COMMIT: "1" });
    expect(killed.signal).toBe("SIGKILL");
    const next = spawnSync(process.execPath, [BIN, "new-report", "--from", "-", "--no-input"], {
      cwd: repo,
      env: { ...world.env, COC_IDENTITY: alice.identityFile },
      input: reportYaml("after the kill"),
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(next.stderr).toMatch(/Finished a change that an interrupted coc command had already committed/);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).not.toMatch(/roster changed/);
  });

  it("killed half-way through `recuse`, leaves carol able to read exactly what she could before", () => {
    const killed = spawnCoc(["recuse", code, "carol", "--yes"], alice, { COC_TEST_KILL_AFTER_MOVES: "2" });
    expect(killed.signal).toBe("SIGKILL");
    expect(spawnCoc(["list", "--json"], bob).status).toBe(0);
    expect(spawnCoc(["verify"], bob).status).toBe(0);
    for (const r of recipientsOfCase(code, carol)) expect(r).toEqual(["alice", "bob", "carol"]);
  });
});
