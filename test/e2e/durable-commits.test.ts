/**
 * What coc commits is on the disk when the command returns. git by default
 * flushes neither loose objects nor refs (`core.fsync`), so a power cut soon
 * after a report could leave the branch pointing at empty object files: the
 * report lost, and the clone broken until repaired by hand. coc's git runs
 * with `core.fsync=committed`, and coc then flushes the directory holding the
 * branch (git does not); before that, coc flushes the record files it is
 * about to move into place and its journal. Seen here through the system
 * calls they make.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");

/** strace, where it is installed and may trace (a container can forbid ptrace), and a git that flushes refs with `core.fsync` (2.37). */
const strace = spawnSync("strace", ["-f", "-o", "/dev/null", "true"], { stdio: "ignore" }).status === 0;
const [major = 0, minor = 0] = (/git version (\d+)\.(\d+)/.exec(spawnSync("git", ["--version"], { encoding: "utf8" }).stdout ?? "") ?? []).slice(1).map(Number);
const fsyncGit = major > 2 || (major === 2 && minor >= 37);

let world: World;
let alice: Person;
let repo: string;
beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  repo = await teamRepo(world, [alice]);
});
afterEach(() => world.cleanup());

/** Runs coc under strace; @returns its exit, output, and the paths of the files every process of it flushed. */
function traced(argv: string[], stdin: string, cwd = repo): { code: number | null; stdout: string; stderr: string; flushed: string[] } {
  const log = join(world.root, `strace-${Date.now()}.log`);
  const r = spawnSync("strace", ["-f", "-y", "-qq", "-e", "trace=fsync,fdatasync", "-o", log, process.execPath, BIN, ...argv], {
    cwd,
    env: { ...world.env, COC_IDENTITY: alice.identityFile },
    input: stdin,
    encoding: "utf8",
    timeout: 60_000,
  });
  const flushed = [...readFileSync(log, "utf8").matchAll(/f(?:data)?sync\(\d+<([^>]*)>\)\s*=\s*0/g)].map((m) => m[1]!);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, flushed };
}

const missing = !strace ? "strace is not installed or may not trace here" : !fsyncGit ? "git is older than 2.37, which does not flush refs" : "";
if (missing) console.warn(`skipping the durability test: ${missing}`);

describe.skipIf(Boolean(missing))(`coc's commits${missing ? `: SKIPPED, ${missing}` : ""}`, () => {
  it("are flushed to disk before the command returns: the record file and the journal, then the objects, the branch, and its place in the directory", () => {
    const r = traced(["new-report", "--from", "-", "--no-input"], reportYaml());
    expect(r.code, r.stderr).toBe(0);
    const git = join(repo, ".git");
    expect(r.flushed.filter((p) => p.startsWith(join(git, "objects"))).length, r.flushed.join("\n")).toBeGreaterThanOrEqual(3);
    // The branch file's content (by git), and its rename into place (the directory, by coc).
    expect(r.flushed.some((p) => p.startsWith(join(git, "refs", "heads", "main"))), r.flushed.join("\n")).toBe(true);
    expect(r.flushed.indexOf(join(git, "refs", "heads")), r.flushed.join("\n")).toBeGreaterThan(r.flushed.findIndex((p) => p.startsWith(join(git, "refs", "heads", "main"))));
    // Before the commit: the record file (its temp file, renamed into place after) and the journal.
    const firstObject = r.flushed.findIndex((p) => p.startsWith(join(git, "objects")));
    const record = r.flushed.findIndex((p) => /\/cases\/[a-z]+-[a-z]+-\d+\/\.[^/]*-report-[^/]*\.tmp$/.test(p));
    const journal = r.flushed.indexOf(join(git, "coc", "journal.json.tmp"));
    expect(record, r.flushed.join("\n")).toBeGreaterThanOrEqual(0);
    expect(journal, r.flushed.join("\n")).toBeGreaterThan(record);
    expect(firstObject).toBeGreaterThan(journal);
    // The report is there, whole.
    expect(world.git(repo, ["fsck", "--no-dangling"]).trim()).toBe("");
    const code = r.stdout.trim();
    expect(world.git(repo, ["ls-tree", "-r", "--name-only", "HEAD", `cases/${code}`]).trim()).toMatch(/-report-/);
  });

  it("in a linked worktree too: the branch's directories are those of the clone's shared git directory", () => {
    const tree = join(world.root, "linked");
    world.git(repo, ["worktree", "add", "-q", "-b", "feature/x", tree]);
    const r = traced(["new-report", "--from", "-", "--no-input"], reportYaml(), tree);
    expect(r.code, r.stderr).toBe(0);
    const heads = join(repo, ".git", "refs", "heads");
    const ref = r.flushed.findIndex((p) => p.startsWith(join(heads, "feature", "x")));
    expect(ref, r.flushed.join("\n")).toBeGreaterThanOrEqual(0);
    expect(r.flushed.indexOf(join(heads, "feature")), r.flushed.join("\n")).toBeGreaterThan(ref);
    expect(r.flushed.indexOf(heads), r.flushed.join("\n")).toBeGreaterThan(ref);
  });

  it("a purge that rewrites the history flushes the new branch, the deleted refs and the pruned objects", async () => {
    const code = (await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() })).stdout.trim();
    const r = traced(["purge", code, "--rewrite-history", "--yes"], "");
    expect(r.code, r.stderr).toBe(0);
    const git = join(repo, ".git");
    const last = r.flushed.length - 1;
    for (const dir of [join(git, "refs", "heads"), git, join(git, "objects", "pack"), join(git, "objects")]) {
      expect(r.flushed.lastIndexOf(dir), `${dir}\n${r.flushed.join("\n")}`).toBeGreaterThan(last - 6);
    }
    expect(world.git(repo, ["rev-list", "--count", "HEAD"]).trim()).toBe("1");
  });
});
