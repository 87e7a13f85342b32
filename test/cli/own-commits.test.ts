/**
 * coc's own commits: coc has just checked every file it stages, so they run no
 * hook at all (not the guard, not a hook someone left in .git/coc/hooks) and
 * no automatic gc or maintenance. A commit made by hand still runs the guard.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Git } from "../../src/core/git/client.js";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let repo: string;
let log: string;
let env: Record<string, string>;

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  repo = await teamRepo(world, [alice]);
  log = join(world.root, "hooks.log");
  // The guard pipes the staged names to xargs: a wrapper found first on PATH notes that the guard ran.
  const wrap = join(world.root, "wrap");
  mkdirSync(wrap);
  writeFileSync(join(wrap, "xargs"), `#!/bin/sh\necho guard >> '${log}'\nexec /usr/bin/xargs "$@"\n`, { mode: 0o755 });
  env = { PATH: `${wrap}:${world.env["PATH"]!}` };
  // Hooks someone left next to coc's guard: they would note every run.
  for (const hook of ["post-commit", "reference-transaction", "post-index-change", "commit-msg"]) {
    const file = join(repo, ".git", "coc", "hooks", hook);
    writeFileSync(file, `#!/bin/sh\necho ${hook} >> '${log}'\n`, { mode: 0o755 });
    chmodSync(file, 0o755);
  }
});
afterEach(() => world.cleanup());

const ran = (): string[] => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []);
const packs = (): number => readdirSync(join(repo, ".git", "objects", "pack")).filter((f) => f.endsWith(".pack")).length;
/** git by hand, with the PATH that notes the guard. */
const handGit = (args: string[]): string =>
  execFileSync("git", ["-c", "user.name=Hand", "-c", "user.email=hand@example.org", ...args], { cwd: repo, env: { ...world.env, ...env }, encoding: "utf8", stdio: "pipe" });

describe("coc's own commits", () => {
  it("run no hook process, while a commit by hand still runs the guard, which refuses plaintext", async () => {
    const report = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml(), env });
    expect(report.code, report.stderr).toBe(0);
    const code = report.stdout.trim();
    const note = await world.run(["note", code, "--from", "-"], { as: alice, cwd: repo, stdin: "kind: other\ntext: a note\n", env });
    expect(note.code, note.stderr).toBe(0);
    expect(world.git(repo, ["log", "--format=%s"]).split("\n").filter((s) => s.startsWith("coc:"))).toHaveLength(3);
    expect(ran()).toEqual([]);

    // By hand: the hooks run, and the guard refuses a plaintext file under cases/.
    const plain = join(repo, "cases", code, "20260601T150000Z-note-abcd.age");
    writeFileSync(plain, "coc: 1\ntype: note\nbody: {text: secret}\n");
    handGit(["add", "--", plain]);
    let refused = "";
    try {
      handGit(["commit", "-m", "by hand"]);
    } catch (e) {
      refused = String((e as { stderr?: string }).stderr);
    }
    expect(refused).toContain("refusing to commit files under cases/ that are not age-encrypted");
    expect(ran()).toContain("guard");
    handGit(["reset", "--quiet", "--", plain]);
    handGit(["commit", "--quiet", "--allow-empty", "-m", "by hand"]);
    expect(ran()).toEqual(expect.arrayContaining(["post-commit", "reference-transaction"]));
  });

  it("refuse, before committing, a file under cases/ that is not age-encrypted", async () => {
    const report = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml(), env });
    expect(report.code, report.stderr).toBe(0);
    const code = report.stdout.trim();
    // A plaintext file in what coc is about to commit (as a broken or tampered store would leave it) is caught in-process.
    const rel = join("cases", code, "20260601T150000Z-note-abcd.age");
    writeFileSync(join(repo, rel), "coc: 1\ntype: note\nbody: {text: secret}\n");
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    await expect(new Git(repo, world.env).commitPaths([rel], "coc: note", { member: "alice" })).rejects.toThrow(/not age-encrypted: cases\/.*-note-abcd\.age/);
    expect(world.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(world.git(repo, ["diff", "--cached", "--name-only"]).trim()).toBe("");
  });

  it("start no automatic gc or maintenance (a commit by hand does)", async () => {
    // Two packs and a pack limit of 1: git's automatic maintenance would repack them into one.
    handGit(["repack", "-dq"]);
    writeFileSync(join(repo, "extra.txt"), "more\n");
    handGit(["add", "extra.txt"]);
    handGit(["commit", "--quiet", "--no-verify", "-m", "extra"]);
    handGit(["repack", "-dq"]);
    world.git(repo, ["config", "gc.autoPackLimit", "1"]);
    world.git(repo, ["config", "gc.autoDetach", "false"]);
    world.git(repo, ["config", "maintenance.auto", "true"]);
    expect(packs()).toBe(2);
    const report = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
    expect(report.code, report.stderr).toBe(0);
    expect(packs()).toBe(2);
    handGit(["commit", "--quiet", "--allow-empty", "--no-verify", "-m", "by hand"]);
    expect(packs()).toBe(1);
  });
});

describe("the hooks setting", () => {
  it("is taken from a memo only while the config file is unchanged: a hooks path set by hand is put back", async () => {
    // Old enough to be known by its status, then asked of git once, which leaves the memo.
    await new Promise((r) => setTimeout(r, 2100));
    expect((await world.run(["list"], { as: alice, cwd: repo })).code).toBe(0);
    const memo = join(repo, ".git", "coc", "hooks-path.ok");
    expect(readFileSync(memo, "utf8")).toContain(".git/coc/hooks");
    for (const elsewhere of [".coc/hooks", ".git/hooks"]) {
      world.git(repo, ["config", "core.hooksPath", elsewhere]);
      expect((await world.run(["list"], { as: alice, cwd: repo })).code).toBe(0);
      expect(world.git(repo, ["config", "core.hooksPath"]).trim()).toBe(".git/coc/hooks");
    }
  });

  it("is not taken from a memo written too soon after the config file changed, by the file system's clock", async () => {
    world.git(repo, ["config", "core.hooksPath", ".git/coc/hooks"]);
    // This machine's clock an hour ahead of the file system's (a network share): the config file just
    // rewritten looks settled to it, and the memo is written.
    const real = Date.now.bind(Date);
    const skew = vi.spyOn(Date, "now").mockImplementation(() => real() + 3_600_000);
    const asked = vi.spyOn(Git.prototype, "config");
    try {
      expect((await world.run(["list"], { as: alice, cwd: repo })).code).toBe(0);
      expect(existsSync(join(repo, ".git", "coc", "hooks-path.ok"))).toBe(true);
      // A change in the same tick would not show in the file's status: git is asked again.
      asked.mockClear();
      expect((await world.run(["list"], { as: alice, cwd: repo })).code).toBe(0);
      expect(asked.mock.calls.some(([key]) => key === "core.hooksPath")).toBe(true);
    } finally {
      skew.mockRestore();
      asked.mockRestore();
    }
  });
});
