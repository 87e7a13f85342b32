/**
 * Faults in one clone leave nothing half-done and never end in "internal
 * error": hostile YAML, a missing .git, huge values, a detached HEAD or the
 * user's own rebase, a failed commit, what a killed command leaves behind,
 * and a lock whose process id now belongs to someone else.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reportYaml, teamWorld, type Person, type World } from "../helpers/env.js";

let world: World;
let alice: Person;
let repo: string;

beforeEach(async () => {
  const team = await teamWorld("alice");
  ({ world, repo } = team);
  alice = team.people[0]!;
});
afterEach(() => world.cleanup());

const BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]
`;

function oneLineError(r: { code: number; stderr: string }, needle: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stderr).not.toMatch(/internal error|This is a bug/);
  expect(r.stderr.trimEnd().split("\n")[0]).toMatch(needle);
}

const caseDirs = () => (existsSync(join(repo, "cases")) ? readdirSync(join(repo, "cases")) : []);
const head = () => world.git(repo, ["rev-parse", "HEAD"]).trim();

describe("hostile input is one line, exit 1", () => {
  it("a YAML alias bomb in a --from file and in config.yaml", async () => {
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: BOMB });
    oneLineError(r, /^coc: stdin: invalid YAML: too many or unresolved aliases/);
    writeFileSync(join(repo, ".coc", "config.yaml"), BOMB);
    oneLineError(await world.run(["list"], { as: alice, cwd: repo }), /config\.yaml: invalid YAML: too many or unresolved aliases/);
  });

  it("a coc repository without .git", async () => {
    renameSync(join(repo, ".git"), join(world.root, "git-elsewhere"));
    oneLineError(await world.run(["list"], { as: alice, cwd: repo }), /is not a git repository/);
  });

  it("a 10 MB value is not echoed in full", async () => {
    const huge = "x".repeat(10 * 1024 * 1024);
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: `${reportYaml()}channel: ${huge}\n`.replace(/^channel: in-person\n/, "") });
    expect(r.code).toBe(1);
    for (const line of r.stderr.split("\n")) expect(line.length).toBeLessThan(2000);
  });
});

describe("writes happen only where a commit is safe", () => {
  it("refused on a detached HEAD and in the middle of the user's own rebase", async () => {
    world.git(repo, ["checkout", "--quiet", "--detach"]);
    const before = head();
    oneLineError(await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() }), /HEAD is detached/);
    expect(head()).toBe(before);
    world.git(repo, ["checkout", "--quiet", "main"]);
    mkdirSync(join(repo, ".git", "rebase-merge"));
    oneLineError(await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() }), /in the middle of a rebase/);
    expect(head()).toBe(before);
    expect(caseDirs()).toEqual([]);
  });

  it("a failed commit undoes everything and leaves no empty case directory", async () => {
    writeFileSync(join(repo, ".git", "index.lock"), "");
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
    expect(r.code).toBe(1);
    expect(caseDirs()).toEqual([]);
    expect(world.git(repo, ["status", "--porcelain", "--untracked-files=all"]).trim()).toBe("");
    rmSync(join(repo, ".git", "index.lock"));
    const list = await world.run(["list", "--json"], { as: alice, cwd: repo });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("what a killed command left behind (temp files, an empty case directory) is swept by the next write", async () => {
    const code = (await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() })).stdout.trim();
    writeFileSync(join(repo, "cases", code, ".20260601T140500Z-note-abcd.0123abcd.tmp"), "ciphertext");
    mkdirSync(join(repo, "cases", "empty-otter-12"));
    writeFileSync(join(repo, ".coc", "team.yaml.89abcdef.tmp"), "x");
    expect((await world.run(["note", code, "--from", "-"], { as: alice, cwd: repo, stdin: "text: swept\n" })).code).toBe(0);
    expect(readdirSync(join(repo, "cases", code)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(caseDirs()).toEqual([code]);
    expect(readdirSync(join(repo, ".coc")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("a journal whose process id now belongs to another process expires, and a held lock says how to clear it", async () => {
    const other = spawn("sleep", ["30"], { env: world.env });
    try {
      mkdirSync(join(repo, ".git", "coc"), { recursive: true });
      // The pid is alive, but it is not the process that wrote the journal (another start time).
      writeFileSync(join(repo, ".git", "coc", "journal.json"), JSON.stringify({ coc: 1, message: "x", head: head(), moves: [], paths: [], existing: [], pid: other.pid, token: "1" }));
      const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
      expect(r.code, r.stderr).toBe(0);
      writeFileSync(join(repo, ".git", "coc", "lock"), JSON.stringify({ pid: other.pid }));
      const held = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
      expect(held.code).toBe(1);
      expect(held.stderr).toContain(`If no coc command is running, the lock is left over: remove ${join(repo, ".git", "coc", "lock")}`);
    } finally {
      other.kill();
    }
    expect(readFileSync(join(repo, ".git", "coc", "lock"), "utf8")).toContain(String(other.pid));
  });
});

describe("a damaged recipient stanza", () => {
  it("is a problem for every other reader's verify, and the member it hides the case from is told", async () => {
    const t = await teamWorld("alice", "bob");
    const [lead, member] = [t.people[0]!, t.people[1]!];
    const code = (await t.world.run(["new-report", "--from", "-"], { as: lead, cwd: t.repo, stdin: reportYaml() })).stdout.trim();
    const dir = join(t.repo, "cases", code);
    const file = join(dir, readdirSync(dir)[0]!);
    // Flip one character of bob's wrapped file key (the body line of the second X25519 stanza).
    const lines = readFileSync(file, "latin1").split("\n");
    const stanzas = lines.map((l, i) => (l.startsWith("-> X25519 ") ? i : -1)).filter((i) => i >= 0);
    const body = stanzas[1]! + 1;
    lines[body] = (lines[body]![0] === "A" ? "B" : "A") + lines[body]!.slice(1);
    writeFileSync(file, lines.join("\n"), "latin1");
    const asBob = await t.world.run(["verify"], { as: member, cwd: t.repo });
    expect(asBob.stderr).toMatch(new RegExp(`case ${code}: none of its files is encrypted to you`));
    const asAlice = await t.world.run(["verify"], { as: lead, cwd: t.repo });
    expect(asAlice.code).toBe(1);
    expect(asAlice.stdout).toContain(`cases/${code}/`);
    t.world.cleanup();
  });
});
