/**
 * Red team, the local machine: what no push can reach but a crash, a full
 * disk or a slip of the user's own can put on it (the identity file, the
 * clone's `.git/coc/`, the RAM directory). The built binary runs in a child
 * process with a timeout, so a hang fails the test instead of stalling it.
 * Expected every time: one line, exit 1, no hang, nothing secret printed.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, truncateSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");

let world: World;
let alice: Person;
beforeEach(() => {
  world = new World();
  alice = world.person("alice");
});
afterEach(() => world.cleanup());

function coc(argv: string[], env: Record<string, string> = {}, cwd = world.root): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, env: { ...world.env, NODE_DISABLE_COMPILE_CACHE: "1", ...env }, input: "", encoding: "utf8", timeout: 15_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line on stderr, exit 1, no internal error, no stack trace. */
function expectOneLine(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stderr).toMatch(pattern);
}

describe("the identity file", () => {
  it("a directory, a FIFO, a device or a huge file is refused in one line, never read or waited on", () => {
    const dir = join(world.root, "keys", "dir");
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
    expectOneLine(coc(["whoami"], { COC_IDENTITY: dir }), /identity .*dir is not a regular file \(a directory\)/);
    const fifo = join(world.root, "keys", "fifo");
    expect(spawnSync("mkfifo", ["-m", "600", fifo]).status).toBe(0);
    expectOneLine(coc(["whoami"], { COC_IDENTITY: fifo }), /identity .*fifo is not a regular file/);
    // A link to /dev/zero with the mode of a private file: the device's own mode is 0666, so the link is what is given.
    expectOneLine(coc(["whoami"], { COC_IDENTITY: "/dev/zero" }), /identity \/dev\/zero is not a regular file/);
    const huge = join(world.root, "keys", "huge.txt");
    writeFileSync(huge, "", { mode: 0o600 });
    truncateSync(huge, 3 * 1024 ** 3);
    expectOneLine(coc(["whoami"], { COC_IDENTITY: huge }), /identity .*huge\.txt is larger than 1024 KiB/);
    // And the identity itself still works.
    const ok = coc(["whoami"], { COC_IDENTITY: alice.identityFile });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe(alice.memberKey);
  });
});

/** A 64 KiB tmpfs filled up, for the test's duration (root only, where mount is allowed); undefined elsewhere. */
function fullDisk(): { dir: string; release: () => void } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = join(world.root, "full");
  mkdirSync(dir);
  if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]).status !== 0) return undefined;
  spawnSync("dd", ["if=/dev/zero", `of=${join(dir, "filler")}`, "bs=1k", "count=128"]);
  return { dir, release: () => void spawnSync("umount", [dir]) };
}

describe("a full disk", () => {
  it("coc keygen leaves no empty identity behind, so the next try (with space) is not refused", (ctx) => {
    const disk = fullDisk();
    if (!disk) return ctx.skip();
    try {
      const out = join(disk.dir, "coc", "identity.txt");
      const r = coc(["keygen", "--out", out]);
      expectOneLine(r, /cannot write .*identity\.txt \(the disk is full\); no identity was made/);
      spawnSync("rm", [join(disk.dir, "filler")]);
      const again = coc(["keygen", "--out", out]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^age1[a-z0-9]+ ssh-ed25519 AAAA/);
      const who = coc(["whoami"], { COC_IDENTITY: out });
      expect(who.stdout).toBe(again.stdout);
    } finally {
      disk.release();
    }
  });
});

describe("the clone's own state files", () => {
  it("a FIFO in place of any of them (.git/coc, the read cache, .git/info/attributes, the roster pin) never makes a command wait", { timeout: 120_000 }, async () => {
    const repo = await teamRepo(world, [alice]);
    const git = join(repo, ".git");
    const run = (argv: string[], stdin = "") => {
      const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: repo, env: { ...world.env, NODE_DISABLE_COMPILE_CACHE: "1", COC_IDENTITY: alice.identityFile }, input: stdin, encoding: "utf8", timeout: 15_000 });
      return { code: r.status, stderr: r.stderr };
    };
    expect(run(["new-report", "--from", "-"], reportYaml()).code).toBe(0);
    expect(run(["list"]).code).toBe(0);
    const caches = readdirSync(join(git, "coc", "cache")).map((f) => join(git, "coc", "cache", f));
    expect(caches).toHaveLength(1);
    const rosters = join(world.home, ".config", "coc", "rosters");
    const pins = readdirSync(rosters).map((f) => join(rosters, f));
    expect(pins).toHaveLength(1);
    const files = [...["id", "sync.json", "hooks-path.ok", "lock", join("hooks", "pre-commit")].map((f) => join(git, "coc", f)), join(git, "info", "attributes"), pins[0]!, caches[0]!];
    // The clone's config settled (changed over two seconds ago, its change time included), so the hooks-path memo is read and written too.
    const settled = statSync(join(git, "config")).ctimeMs + 2500 - Date.now();
    if (settled > 0) await new Promise((r) => setTimeout(r, settled));
    for (const file of files) {
      rmSync(file, { force: true });
      expect(spawnSync("mkfifo", ["-m", "600", file]).status).toBe(0);
      const list = run(["list"]);
      // The lock is the one file that stops a change while it is not a regular file (README, "Half-done changes").
      const write = file.endsWith("lock") ? { code: 1, stderr: "" } : run(["new-report", "--from", "-"], reportYaml());
      expect([list.code, write.code], `${file}: ${list.stderr} ${write.stderr}`).toEqual([0, file.endsWith("lock") ? 1 : 0]);
      expect(list.stderr).not.toMatch(/internal error/);
      if (existsSync(file)) rmSync(file);
      // Put back what the next command needs (a lock is simply absent).
      if (!file.endsWith("lock")) expect(run(["list"]).code).toBe(0);
    }
  });
});
