/**
 * Red team, the clone's own `.git/coc/`: what no push reaches but a local
 * process, a crash or a damaged disk can leave there. Expected: one line,
 * exit 1 for a change, reads unaffected, and nothing outside the clone touched.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statfsSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { editInRam } from "../../src/cli/prompts/editor.js";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let repo: string;
beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  repo = await teamRepo(world, [alice]);
});
afterEach(() => world.cleanup());

const head = () => world.git(repo, ["rev-parse", "HEAD"]).trim();
/** A process id that no process has now (a child that has exited). */
const deadPid = () => spawnSync("true").pid!;

describe("the journal of an interrupted change", () => {
  it("one that is not the shape coc writes stops a change in one line naming it; reads go on", async () => {
    const journal = join(repo, ".git", "coc", "journal.json");
    mkdirSync(join(repo, ".git", "coc"), { recursive: true });
    const before = head();
    for (const text of ["{}", '{"coc":1,"pid":1}', "[1,2", "null"]) {
      writeFileSync(journal, text);
      const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
      expect(r.code, text).toBe(1);
      expect(r.stderr.trim().split("\n"), text).toHaveLength(1);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr).toContain(`${journal} is not a journal coc wrote`);
      expect(head()).toBe(before);
      const list = await world.run(["list"], { as: alice, cwd: repo });
      expect(list.code, list.stderr).toBe(0);
    }
  });

  it("one that names files outside the clone is never acted on: nothing there is removed or replaced", async () => {
    const outside = join(world.root, "precious");
    mkdirSync(outside);
    writeFileSync(join(outside, "thesis.txt"), "years of work");
    writeFileSync(join(world.root, "notes.txt"), "keep me");
    const dir = join(repo, ".git", "coc");
    mkdirSync(dir, { recursive: true });
    const aside = join(dir, "removed-000000000000");
    mkdirSync(aside);
    const journal = {
      coc: 1,
      message: "coc: x",
      head: head(),
      moves: [[join(world.root, "notes.txt"), join(repo, "cases", "x")]],
      removals: [[outside, aside]],
      paths: ["../notes.txt"],
      existing: [],
      pid: deadPid(),
    };
    writeFileSync(join(dir, "journal.json"), JSON.stringify(journal));
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a journal coc wrote \(it names a file outside this clone\)/);
    expect(readFileSync(join(outside, "thesis.txt"), "utf8")).toBe("years of work");
    expect(readFileSync(join(world.root, "notes.txt"), "utf8")).toBe("keep me");
    expect(existsSync(aside)).toBe(true);
  });
});

describe("COC_RAM_DIR", () => {
  /** The test's temp directory is on a disk here (else there is nothing to show). */
  const onDisk = () => statfsSync(world.root).type !== 0x01021994;

  it("naming a directory on a disk (or a link to one) is refused before any plaintext is written there", async (ctx) => {
    if (!onDisk()) return ctx.skip();
    const disk = join(world.root, "not-ram");
    mkdirSync(disk);
    const link = join(world.ram(), "to-disk");
    symlinkSync(disk, link);
    writeFileSync(join(world.root, "chat.txt"), "EVIDENCE-MARKER the messages");
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
    expect(r.code, r.stderr).toBe(0);
    const code = /[a-z]+-[a-z]+-\d+/.exec(r.stdout)![0];
    expect((await world.run(["attach", code, join(world.root, "chat.txt")], { as: alice, cwd: repo })).code).toBe(0);
    // The viewer records where the file is and what it holds.
    const seen = join(world.root, "seen.txt");
    const viewer = join(world.root, "viewer.sh");
    writeFileSync(viewer, `#!/bin/sh\nstat -f -c %T "$1" >> "${seen}"\n`);
    chmodSync(viewer, 0o755);
    for (const dir of [disk, link]) {
      const open = await world.run(["open", code, "1"], { as: alice, cwd: repo, env: { COC_VIEWER: viewer, COC_RAM_DIR: dir } });
      expect(open.code).toBe(1);
      expect(open.stderr.trim().split("\n")).toHaveLength(1);
      expect(open.stderr).toContain(`COC_RAM_DIR=${dir} is not a directory on a RAM file system (tmpfs or ramfs), so the plaintext would reach a disk; nothing was decrypted to disk`);
      expect(() => editInRam("REPORT-MARKER", { EDITOR: "true", COC_RAM_DIR: dir, PATH: "/usr/bin:/bin" })).toThrow(`COC_RAM_DIR=${dir} is not a directory on a RAM file system`);
    }
    expect(existsSync(seen)).toBe(false);
    expect(readdirSync(disk)).toEqual([]);
    // A RAM directory works.
    const ok = await world.run(["open", code, "1"], { as: alice, cwd: repo, env: { COC_VIEWER: viewer, COC_RAM_DIR: world.ram() } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(seen, "utf8").trim()).toBe("tmpfs");
  });
});

describe("a full disk", () => {
  it("a report that fails to commit leaves nothing staged once there is space again, at every point the disk fills", { timeout: 180_000 }, async (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip();
    const disk = join(world.root, "disk");
    mkdirSync(disk);
    if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", disk]).status !== 0) return ctx.skip();
    try {
      const clone = join(disk, "repo");
      cpSync(repo, clone, { recursive: true });
      const filler = join(disk, "filler");
      const failed: number[] = [];
      for (let free = 8; free <= 96; free += 4) {
        rmSync(filler, { force: true });
        const avail = Number(statfsSync(disk).bavail) * 4;
        spawnSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=1k", `count=${avail - free}`]);
        const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: clone, stdin: reportYaml(`free ${free}`) });
        if (r.code !== 0) {
          failed.push(free);
          expect(r.code).toBe(1);
          expect(r.stderr).not.toMatch(/internal error/);
        }
        // Space again: the next command settles whatever the failure left, and the index holds nothing of it.
        rmSync(filler, { force: true });
        const list = await world.run(["list"], { as: alice, cwd: clone });
        expect(list.code, `free ${free} KiB: ${list.stderr}`).toBe(0);
        expect(world.git(clone, ["status", "--short"]), `free ${free} KiB`).toBe("");
        expect(list.stdout, `free ${free} KiB`).not.toMatch(/unreadable/);
        expect(list.stdout.trim().split("\n").length - 1, `free ${free} KiB`).toBe(Number(world.git(clone, ["rev-list", "--count", "HEAD"])) - 1);
      }
      // The disk did fill at some of these points.
      expect(failed.length, failed.join(" ")).toBeGreaterThan(0);
    } finally {
      spawnSync("umount", [disk]);
    }
  });
});

describe("coc init in a directory that already has files", () => {
  it("never writes or appends through a symbolic link there (.gitattributes, README.md, templates), dangling or not", async () => {
    const outside = join(world.root, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "bashrc"), "export PS1='$ '\n");
    mkdirSync(join(outside, "tpl"));
    const cases: [string, string][] = [
      [".gitattributes", join(outside, "bashrc")],
      [".gitattributes", join(outside, "created-by-a-dangling-link")],
      ["README.md", join(outside, "readme-target")],
      ["templates", join(outside, "tpl")],
    ];
    for (const [i, [name, target]] of cases.entries()) {
      const dir = join(world.root, `clone-${i}`);
      mkdirSync(dir);
      world.git(dir, ["init", "--quiet"]);
      symlinkSync(target, join(dir, name));
      const r = await world.run(["init", dir, "--event", "Ev", "--member", "alice"], { as: alice });
      expect(r.code, name).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(`${join(dir, name)} is a symbolic link; coc init writes nothing through a link; nothing was changed`);
      expect(existsSync(join(dir, ".coc")), name).toBe(false);
    }
    expect(readFileSync(join(outside, "bashrc"), "utf8")).toBe("export PS1='$ '\n");
    expect(readdirSync(outside).sort()).toEqual(["bashrc", "tpl"]);
    expect(readdirSync(join(outside, "tpl"))).toEqual([]);
  });
});

describe("an empty --identity or --repo", () => {
  it("is a usage error, never the default identity or the repository found from the current directory", async () => {
    // alice's identity at the default path: an empty --identity must not fall back to it.
    mkdirSync(join(world.home, ".config", "coc"), { recursive: true });
    writeFileSync(join(world.home, ".config", "coc", "identity.txt"), readFileSync(alice.identityFile), { mode: 0o600 });
    const who = await world.run(["whoami", "--identity", ""]);
    expect([who.code, who.stdout]).toEqual([2, ""]);
    expect(who.stderr).toContain("--identity is empty; give the identity file");
    const list = await world.run(["list", "--repo", ""], { cwd: repo });
    expect([list.code, list.stdout]).toEqual([2, ""]);
    expect(list.stderr).toContain("--repo is empty; give the repository directory");
  });
});

describe("a lock left by a coc killed outright", () => {
  it("is taken over while the killed process is a zombie its parent has not collected (a container whose first process reaps no one)", async () => {
    // perl never collects the child it forks (no wait, no SIGCHLD handler): that pid stays a zombie while perl sleeps.
    // (A shell can collect its background job before it execs, so `sh -c "true & exec sleep"` raced.)
    const parent = spawn("perl", ["-e", '$| = 1; my $p = fork(); exit 0 if $p == 0; print "$p\\n"; sleep 30;'], { stdio: ["ignore", "pipe", "ignore"] });
    try {
      const zombie = Number(await new Promise<string>((r) => parent.stdout.once("data", (d: Buffer) => r(d.toString()))));
      let stat = "";
      for (let i = 0; i < 200 && !/\) Z /.test(stat); i++) {
        stat = readFileSync(`/proc/${zombie}/stat`, "utf8");
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(stat).toMatch(/\) Z /);
      const token = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
      writeFileSync(join(repo, ".git", "coc", "lock"), JSON.stringify({ pid: zombie, token }));
      const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
      expect(r.code, r.stderr).toBe(0);
    } finally {
      parent.kill();
    }
  });
});
