/**
 * bin/coc.js starts the bundle from V8's code cache, kept per user in
 * `$XDG_CACHE_HOME/coc` or `~/.cache/coc`. A code cache is code the process
 * runs, so it is read only from a private file of this user, and never from
 * the shared temporary directory Node's own compile cache uses by default.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");

let world: World;
let alice: Person;
let repo: string;
beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  repo = await teamRepo(world, [alice]);
});
afterEach(() => world.cleanup());

function coc(argv: string[], env: Record<string, string> = {}, stdin = ""): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: repo, env: { ...world.env, COC_IDENTITY: alice.identityFile, ...env }, input: stdin, encoding: "utf8", timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The cache files in `dir` (the bundle's, for this Node version). */
function caches(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(`coc.cjs@${process.version}-`) && f.endsWith(".v8cache")) : [];
}

/** Runs `coc list` once to make the cache; @returns its path. */
function makeCache(dir = join(world.home, ".cache", "coc")): string {
  const first = coc(["list"]);
  expect(first.code, first.stderr).toBe(0);
  const files = caches(dir);
  expect(files).toHaveLength(1);
  return join(dir, files[0]!);
}

const id = (path: string) => {
  const st = lstatSync(path);
  return `${st.ino}:${st.mtimeMs}`;
};

describe("the bundle's code cache", () => {
  it("is saved after a first run in ~/.cache/coc, private to the user, and used as it is by the next runs, which print the same", () => {
    const first = coc(["list"]);
    const cache = makeCache();
    expect(statSync(dirname(cache)).mode & 0o777).toBe(0o700);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
    expect(statSync(cache).size).toBeGreaterThan(10_000);
    const before = id(cache);
    const again = coc(["list"]);
    expect(again).toEqual(first);
    // Accepted by V8: not written again (a rejected or unread cache is replaced after the run).
    expect(id(cache)).toBe(before);
    expect(readdirSync(dirname(cache)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("goes to $XDG_CACHE_HOME/coc when that is set", () => {
    const xdg = join(world.root, "xdg-cache");
    expect(coc(["list"], { XDG_CACHE_HOME: xdg }).code).toBe(0);
    expect(caches(join(xdg, "coc"))).toHaveLength(1);
    expect(existsSync(join(world.home, ".cache"))).toBe(false);
  });

  it("a damaged cache is refused by V8, changes nothing coc prints, and is replaced", () => {
    const cache = makeCache();
    const good = coc(["list"]);
    writeFileSync(cache, Buffer.alloc(50_000, 7), { mode: 0o600 });
    expect(coc(["list"])).toEqual(good);
    expect(readFileSync(cache).equals(Buffer.alloc(50_000, 7))).toBe(false);
    const replaced = id(cache);
    expect(coc(["list"])).toEqual(good);
    expect(id(cache)).toBe(replaced);
  });

  it("a cache another user could write is not read, and is replaced by a private one", () => {
    const cache = makeCache();
    chmodSync(cache, 0o666);
    const before = id(cache);
    expect(coc(["list"]).code).toBe(0);
    expect(id(cache)).not.toBe(before);
    expect(statSync(cache).mode & 0o777).toBe(0o600);
  });

  it("a cache that is a symbolic link is not followed: the link is replaced and its target left alone", () => {
    const cache = makeCache();
    const elsewhere = join(world.root, "elsewhere.v8cache");
    renameSync(cache, elsewhere);
    const target = readFileSync(elsewhere);
    symlinkSync(elsewhere, cache);
    expect(coc(["list"]).code).toBe(0);
    expect(lstatSync(cache).isFile()).toBe(true);
    expect(readFileSync(elsewhere).equals(target)).toBe(true);
  });

  it("a cache file with another name (a hard link) is not read: the name is replaced and the other file left alone", () => {
    // Planted while the directory was open to others, or by root: one of this user's files under the cache's name.
    const cache = makeCache();
    const elsewhere = join(world.root, "linked.v8cache");
    linkSync(cache, elsewhere);
    const before = id(elsewhere);
    expect(coc(["list"]).code).toBe(0);
    expect(id(cache)).not.toBe(before);
    expect(id(elsewhere)).toBe(before);
    expect(lstatSync(cache).nlink).toBe(1);
  });

  it.skipIf(process.getuid?.() !== 0)("a cache file owned by another user is not read", () => {
    const cache = makeCache();
    chownSync(cache, 65534, 65534);
    const before = id(cache);
    expect(coc(["list"]).code).toBe(0);
    expect(id(cache)).not.toBe(before);
    expect(statSync(cache).uid).toBe(0);
  });

  it("Node's own compile cache in the shared temporary directory is never used", () => {
    // Node >= 22.1 keeps its compile cache in os.tmpdir()/node-compile-cache unless told otherwise:
    // a directory another local user can create first, and fill. (Node 20 has no such cache: this
    // checks something only under Node 24, which CI runs the suite under too.)
    const tmp = join(world.root, "tmp");
    mkdirSync(tmp);
    expect(coc(["list"], { TMPDIR: tmp }).code).toBe(0);
    expect(coc(["list"], { TMPDIR: tmp }).code).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("is not written with NODE_DISABLE_COMPILE_CACHE set, nor without a home or cache directory, and coc runs the same", () => {
    const good = coc(["list"], { NODE_DISABLE_COMPILE_CACHE: "1" });
    expect(good.code, good.stderr).toBe(0);
    expect(good.stderr).toContain("No cases yet");
    expect(existsSync(join(world.home, ".cache"))).toBe(false);
    const env = { ...world.env, COC_IDENTITY: alice.identityFile };
    delete (env as Record<string, string | undefined>).HOME;
    const r = spawnSync(process.execPath, [BIN, "list"], { cwd: repo, env, encoding: "utf8", timeout: 20_000 });
    expect({ code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual(good);
    expect(existsSync(join(world.home, ".cache"))).toBe(false);
  });

  it("a cache made for another bundle of the same length, rewritten in place with the same time, is not used (V8 checks only the source's length)", () => {
    // An install rewritten in place keeping the file's time (cp -p, rsync --inplace -t): same size, time and inode.
    const install = join(world.root, "install");
    cpSync(join(ROOT, "bin"), join(install, "bin"), { recursive: true });
    cpSync(join(ROOT, "dist", "bundle"), join(install, "dist", "bundle"), { recursive: true });
    const bundle = join(install, "dist", "bundle", "coc.cjs");
    const run = () => spawnSync(process.execPath, [join(install, "bin", "coc.js"), "list", "--help"], { cwd: world.root, env: world.env, encoding: "utf8", timeout: 20_000 });
    expect(run().stdout).toContain("display help for command");
    expect(caches(join(world.home, ".cache", "coc"))).toHaveLength(1);
    const { atime, mtime } = statSync(bundle);
    const text = readFileSync(bundle, "utf8");
    writeFileSync(bundle, text.replaceAll("display help for command", "DISPLAY HELP FOR COMMAND"));
    utimesSync(bundle, atime, mtime);
    expect(run().stdout).toContain("DISPLAY HELP FOR COMMAND");
  });

  it("is neither read nor written in a cache directory that other users can write, or one inside such a directory", () => {
    const cache = makeCache();
    const dir = dirname(cache);
    const junk = Buffer.alloc(50_000, 7);
    writeFileSync(cache, junk, { mode: 0o600 });
    // Were it read, V8 would refuse it and coc would replace it.
    chmodSync(dir, 0o777);
    expect(coc(["list"]).code).toBe(0);
    expect(readFileSync(cache).equals(junk)).toBe(true);
    expect(readdirSync(dir)).toEqual([basename(cache)]);
    chmodSync(dir, 0o700);
    // ~/.cache itself writable by others: they could swap ~/.cache/coc for a directory of their own.
    chmodSync(dirname(dir), 0o777);
    expect(coc(["list"]).code).toBe(0);
    expect(readFileSync(cache).equals(junk)).toBe(true);
    // Through a symbolic link to such a place.
    const shared = join(world.root, "shared");
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    const xdg = join(world.root, "xdg");
    symlinkSync(shared, xdg);
    expect(coc(["list"], { XDG_CACHE_HOME: xdg }).code).toBe(0);
    expect(readdirSync(join(shared, "coc"))).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)("is neither read nor written in a cache directory owned by another user", () => {
    const cache = makeCache();
    const junk = Buffer.alloc(50_000, 7);
    writeFileSync(cache, junk, { mode: 0o600 });
    chownSync(dirname(dirname(cache)), 65534, 65534);
    expect(coc(["list"]).code).toBe(0);
    expect(readFileSync(cache).equals(junk)).toBe(true);
  });

  it("a write cut short (the disk full, or a file size limit) leaves no cache and no temporary file", () => {
    const dir = join(world.home, ".cache", "coc");
    // 300 KiB: less than the cache (about 400 KB); the write returns short, then fails.
    const r = spawnSync("bash", ["-c", 'ulimit -f 300 && exec "$@"', "bash", process.execPath, BIN, "list"], { cwd: repo, env: { ...world.env, COC_IDENTITY: alice.identityFile }, encoding: "utf8", timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a temporary file left by a run killed while writing is removed by the next run that writes the cache", () => {
    const cache = makeCache();
    const stale = `${cache}.99999999.tmp`;
    writeFileSync(stale, "half", { mode: 0o600 });
    writeFileSync(cache, Buffer.alloc(50_000, 7), { mode: 0o600 });
    expect(coc(["list"]).code).toBe(0);
    expect(readdirSync(dirname(cache))).toEqual([basename(cache)]);
  });

  it("a relative $XDG_CACHE_HOME is ignored, as the XDG specification says: the cache goes to ~/.cache/coc", () => {
    expect(coc(["list"], { XDG_CACHE_HOME: "relative/cache" }).code).toBe(0);
    expect(caches(join(world.home, ".cache", "coc"))).toHaveLength(1);
    expect(existsSync(join(repo, "relative"))).toBe(false);
  });

  it("a save keeps the caches of the three newest other builds (another install used by turns) and drops older ones; other Node versions' stay", () => {
    const cache = makeCache();
    const dir = dirname(cache);
    const prefix = `coc.cjs@${process.version}-${process.arch}-`;
    // Each build with caches of several commands (and one named as before caches were per command); a build
    // is as new as its newest cache.
    const others = [1, 2, 3, 4, 5].map((n) => ["list", "team+remove", "_", ""].map((c) => join(dir, `${prefix}${String(n).repeat(32)}${c ? `.${c}` : ""}.v8cache`)));
    others.forEach((files, n) =>
      files.forEach((f, k) => {
        writeFileSync(f, "other build", { mode: 0o600 });
        // Build 1 is the newest, 5 the oldest; within a build, the first file is the newest.
        const at = new Date(Date.now() - (n + 1) * 60_000 - k * 3_600_000);
        utimesSync(f, at, at);
      }),
    );
    const otherNode = join(dir, `coc.cjs@v0.0.0-${process.arch}-${"a".repeat(32)}.list.v8cache`);
    writeFileSync(otherNode, "another Node", { mode: 0o600 });
    // Another command's cache of this build stays too.
    const mine = cache.replace(/\.list\.v8cache$/, ".show.v8cache");
    writeFileSync(mine, "this build, another command", { mode: 0o600 });
    utimesSync(mine, new Date(Date.now() - 86_400_000), new Date(Date.now() - 86_400_000));
    rmSync(cache);
    expect(coc(["list"]).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([basename(cache), basename(mine), ...others.slice(0, 3).flat().map((f) => basename(f)), basename(otherNode)].sort());
  });

  it("each command has a cache of its own, made by its first run that succeeds and named after the command (and subcommand), never after a word it is given", () => {
    // One cache for every command held what the first command compiled: made by `coc --version`, it left
    // `coc list` 20 ms slower on every run, until the next install.
    const dir = join(world.home, ".cache", "coc");
    const names = () => caches(dir).map((f) => f.replace(/^coc\.cjs@[^-]+-[^-]+-[0-9a-f]{32}\./, "")).sort();
    expect(coc(["--version"]).code).toBe(0);
    expect(names()).toEqual(["_.v8cache"]);
    const version = id(join(dir, caches(dir)[0]!));
    const listed = coc(["list"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(names()).toEqual(["_.v8cache", "list.v8cache"]);
    const list = join(dir, caches(dir).find((f) => f.endsWith(".list.v8cache"))!);
    const listId = id(list);
    // Used as they are by their commands' next runs, whatever the options around the command's name.
    expect(coc(["list"])).toEqual(listed);
    expect(coc(["--repo", repo, "--no-color", "list"]).code).toBe(0);
    expect(coc(["--version"]).code).toBe(0);
    expect(id(list)).toBe(listId);
    expect(id(join(dir, caches(dir).find((f) => f.endsWith("._.v8cache"))!))).toBe(version);
    expect(coc(["team", "list"]).code).toBe(0);
    // A command's help, or a usage error, runs little of the command: it makes no cache of the command's.
    expect(coc(["show", "--help"]).code).toBe(0);
    expect(coc(["show"]).code).toBe(2);
    expect(names()).toEqual(["_.v8cache", "list.v8cache", "team+list.v8cache"]);
    // A run that fails (1) makes a partial cache, used until the first run that succeeds replaces it.
    const outside = spawnSync(process.execPath, [BIN, "verify"], { cwd: world.root, env: { ...world.env, COC_IDENTITY: alice.identityFile }, encoding: "utf8", timeout: 20_000 });
    expect(outside.status, outside.stderr).toBe(1);
    expect(names()).toEqual(["_.v8cache", "list.v8cache", "team+list.v8cache", "verify.partial.v8cache"]);
    const partialId = id(join(dir, caches(dir).find((f) => f.endsWith(".verify.partial.v8cache"))!));
    expect(spawnSync(process.execPath, [BIN, "verify"], { cwd: world.root, env: { ...world.env, COC_IDENTITY: alice.identityFile }, timeout: 20_000 }).status).toBe(1);
    expect(id(join(dir, caches(dir).find((f) => f.endsWith(".verify.partial.v8cache"))!))).toBe(partialId);
    expect(coc(["verify"]).code).toBe(0);
    expect(names()).toEqual(["_.v8cache", "list.v8cache", "team+list.v8cache", "verify.v8cache"]);
    // A case code, a person's name or any other word given to a command never names a cache.
    expect(coc(["show", "quiet-harbor-17"]).code).toBe(1);
    expect(coc(["team", "remove", "mallory", "--yes"]).code).not.toBe(0);
    expect(coc(["--identity", alice.identityFile, "mallory"]).code).toBe(2);
    expect(names()).toEqual(["_.v8cache", "list.v8cache", "show.partial.v8cache", "team+list.v8cache", "team+remove.partial.v8cache", "verify.v8cache"]);
    expect(readdirSync(dir).join(" ")).not.toMatch(/mallory|quiet-harbor|alice/);
  });

  it.skipIf(process.getuid?.() !== 0)("root running with another user's HOME (sudo -E) creates nothing there and runs without a cache", () => {
    chownSync(world.home, 65534, 65534);
    const r = coc(["list"]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(world.home, ".cache"))).toBe(false);
  });

  it("a save drops caches of other Node versions untouched for 30 days, and keeps recent ones", () => {
    const cache = makeCache();
    const dir = dirname(cache);
    const old = join(dir, `coc.cjs@v0.0.1-${process.arch}-${"b".repeat(32)}.v8cache`);
    const recent = join(dir, `coc.cjs@v0.0.2-${process.arch}-${"c".repeat(32)}.v8cache`);
    writeFileSync(old, "old Node", { mode: 0o600 });
    writeFileSync(recent, "recent Node", { mode: 0o600 });
    const long = new Date(Date.now() - 31 * 86_400_000);
    utimesSync(old, long, long);
    rmSync(cache);
    expect(coc(["list"]).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([basename(cache), basename(recent)].sort());
  });

  it("without the built bundle, says so in one line and exits 1", () => {
    const pkg = join(world.root, "unbuilt");
    mkdirSync(join(pkg, "bin"), { recursive: true });
    copyFileSync(BIN, join(pkg, "bin", "coc.js"));
    copyFileSync(join(ROOT, "bin", "package.json"), join(pkg, "bin", "package.json"));
    const r = spawnSync(process.execPath, [join(pkg, "bin", "coc.js"), "list"], { cwd: repo, env: { ...world.env, COC_IDENTITY: alice.identityFile }, encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("coc is not built; run npm install");
    expect(r.stderr).not.toMatch(/\bat \S+ \(/);
  });

  it("holds no text of a case: only coc's own compiled code, whichever command wrote it", () => {
    const marker = "cache-marker-5b1e";
    const dir = join(world.home, ".cache", "coc");
    /** Runs a command with no cache yet, so the cache is written after it, with what it compiled; checks the cache. */
    const fresh = (argv: string[], stdin = "") => {
      for (const f of caches(dir)) rmSync(join(dir, f));
      const r = coc(argv, {}, stdin);
      expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
      expect(caches(dir), argv.join(" ")).toHaveLength(1);
      for (const f of readdirSync(dir)) {
        const bytes = readFileSync(join(dir, f));
        expect(bytes.includes(Buffer.from(marker)), `${argv.join(" ")}: ${f}`).toBe(false);
        expect(bytes.includes(Buffer.from(marker, "utf16le")), `${argv.join(" ")}: ${f}`).toBe(false);
      }
      return r;
    };
    const code = fresh(["new-report", "--from", "-"], reportYaml(marker)).stdout.trim();
    expect(fresh(["show", code]).stdout).toContain(marker);
    expect(fresh(["list", "--json"]).stdout).toContain(code);
    fresh(["note", code, "--from", "-"], `kind: meeting\ntext: We met about ${marker}.\n`);
    fresh(["--yes", "review", code, "--from", "-"], `present: [alice]\nassessment: { risk: high, impact: low, rationale: ${marker} twice. }\n`);
    expect(fresh(["show", code]).stdout).toContain(`${marker} twice`);
  });
});
