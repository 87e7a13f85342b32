#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry without loading its
// ES module loader, which neither the saved help nor the bundle needs.
"use strict";
const { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync, constants } = require("node:fs");
const { dirname, isAbsolute, join } = require("node:path");

const argv = process.argv.slice(2);
const DIST = join(__dirname, "..", "dist", "bundle");
const BUNDLE = join(DIST, "coc.cjs");
/** Of how many other builds (of the same Node version) a save keeps the caches. */
const KEEP_OTHER_CACHES = 3;
/** After how many days untouched a save drops a cache of another Node version. */
const OTHER_NODE_CACHE_DAYS = 30;

/** The bundle's bytes; without it (a build that did not run or did not finish) one line, exit 1. */
function readBundle() {
  try {
    return readFileSync(BUNDLE);
  } catch (e) {
    process.stderr.write(`coc: cannot read ${BUNDLE} (${e.code ?? e.message}): coc is not built; run npm install (or npm run build) in ${join(__dirname, "..")}\n`);
    process.exit(1);
  }
}

/**
 * `coc --help` (or `-h`) with stdout not a terminal, where commander formats
 * for 80 columns: the text the build saved from this same path
 * (scripts/bundle.mjs runs `coc --help` into a pipe and keeps its output;
 * test/e2e/startup.test.ts checks the two are byte-identical). In a terminal,
 * for any other arguments, or without the saved file, commander prints it.
 */
function savedHelp() {
  if (argv.length !== 1 || (argv[0] !== "--help" && argv[0] !== "-h") || process.stdout.isTTY) return undefined;
  try {
    return readFileSync(join(DIST, "help.txt"), "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Where V8's code cache of the bundle is kept: `$XDG_CACHE_HOME/coc` (or
 * `~/.cache/coc`), made private (0700) to this user. A code cache is code
 * this process will run, so it is never kept where another user could write,
 * as Node's own compile cache is by default (`os.tmpdir()`): the directory
 * (its real path) must be this user's and writable by no one else, and so
 * must every directory above it (or be root's, or sticky like /tmp), else
 * another user could swap it, or hard-link one of this user's files into it.
 * @returns the directory's real path, or undefined when there is no safe one (then coc runs without a cache).
 */
function cacheDir() {
  const env = process.env;
  if (env.NODE_DISABLE_COMPILE_CACHE || typeof process.getuid !== "function") return undefined;
  // A relative XDG_CACHE_HOME is invalid and ignored, as the XDG Base Directory specification says.
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : env.HOME ? join(env.HOME, ".cache") : undefined;
  if (!base || !isAbsolute(base)) return undefined;
  const uid = process.getuid();
  try {
    // Nothing is made in a directory of another user's (root running with someone's HOME, say).
    let existing = join(base, "coc");
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    if (statSync(existing).uid !== uid) return undefined;
    mkdirSync(join(base, "coc"), { recursive: true, mode: 0o700 });
    const dir = realpathSync.native(join(base, "coc"));
    const st = statSync(dir);
    if (st.uid !== uid || (st.mode & 0o022) !== 0) return undefined;
    for (let d = dirname(dir); ; d = dirname(d)) {
      const up = statSync(d);
      if ((up.uid !== uid && up.uid !== 0) || ((up.mode & 0o022) !== 0 && (up.mode & 0o1000) === 0)) return undefined;
      if (dirname(d) === d) return dir;
    }
  } catch {
    return undefined;
  }
}

/**
 * The saved code cache, read only from a regular file (not through a link)
 * that this user owns, no one else may write and no other name links to
 * (a hard link planted earlier, by another user or root); anything else is ignored.
 * @returns its bytes, or undefined.
 */
function readCache(path) {
  let fd;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== process.getuid() || (st.mode & 0o022) !== 0 || st.nlink !== 1 || st.size > 64 * 1024 * 1024) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Saves `data` as `prefix + build + "." + command + ".v8cache"` (a new private
 * file, then renamed), and drops the temporary files of `prefix` a killed run
 * left (one another run is still writing only makes that run's save fail) and
 * the caches of all but the newest few other builds for this Node version.
 */
function writeCache(dir, prefix, build, command, data) {
  const name = `${prefix}${build}.${command}.v8cache`;
  const temp = join(dir, `${name}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      // A full disk (or a file size limit) first writes less than asked, without an error.
      if (writeSync(fd, data) !== data.length) throw new Error("short write");
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(dir, name));
    // Caches of other builds of this Node version: those of the three newest builds stay (another install
    // of coc used by turns, say). Of other Node versions: those untouched for a month (a valid cache is never
    // rewritten, so one still in use is only made again).
    const builds = new Map();
    for (const old of readdirSync(dir)) {
      if (!old.startsWith("coc.cjs@")) continue;
      const at = statSync(join(dir, old), { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (!old.startsWith(prefix)) {
        if (old.endsWith(".v8cache") && Date.now() - at > OTHER_NODE_CACHE_DAYS * 86_400_000) rmSync(join(dir, old), { force: true });
      } else if (!old.endsWith(".v8cache")) rmSync(join(dir, old), { force: true });
      else {
        const other = old.slice(prefix.length, prefix.length + 32);
        if (other === build) continue;
        const b = builds.get(other) ?? { files: [], at: 0 };
        b.files.push(old);
        b.at = Math.max(b.at, at);
        builds.set(other, b);
      }
    }
    for (const { files } of [...builds.values()].sort((a, b) => b.at - a.at).slice(KEEP_OTHER_CACHES)) {
      for (const old of files) rmSync(join(dir, old), { force: true });
    }
  } catch {
    rmSync(temp, { force: true });
  }
}

/**
 * The command `argv` runs, with its subcommand (`list`, `team remove`), as
 * the build listed them (dist/bundle/commands.txt); "_" for none, an unknown
 * word, or a command's help (which runs none of the command: made by
 * `coc list --help`, the cache of `list` left every listing 18 ms slower).
 * It names the code cache a run uses: only a command's name, never a word of
 * what it is given. A wrong guess costs speed, nothing else.
 */
function commandOf() {
  if (argv.includes("--help") || argv.includes("-h")) return "_";
  let names;
  try {
    names = new Set(readFileSync(join(DIST, "commands.txt"), "latin1").split("\n"));
  } catch {
    return "_";
  }
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    // The root options that take a value (--repo=dir, like every other option, is one word).
    if (word === "--repo" || word === "--identity") i++;
    else if (!word.startsWith("-")) {
      if (word === "" || !names.has(word)) return "_";
      const sub = `${word} ${argv[i + 1]}`;
      return (names.has(sub) ? sub : word).replace(" ", "+");
    }
  }
  return "_";
}

/**
 * Loads the bundle, from V8's code cache when there is a valid one: V8 then
 * skips parsing and compiling what an earlier run compiled (about 40 ms of a
 * start on Node 20). V8 checks its own version and flags, but of the source
 * only its length: a cache of another bundle of the same length would run
 * that bundle's code. So the cache is named after the Node version and the
 * bundle's content (SHA-256, about 1.5 ms); a cache V8 rejects is replaced
 * after this run.
 *
 * Each command has a cache of its own, made by its first run that succeeds:
 * a cache holds what the run that made it compiled, and one made by another
 * command left the rest to compile on every run (`coc list` took 20 ms
 * longer with the cache of `coc --version`), where one cache for all grew
 * and slowed every start (1.4 MB after a dozen commands: 6 ms more for
 * `coc list`).
 */
function loadBundle() {
  const vm = require("node:vm");
  const { createRequire, wrap } = require("node:module");
  const bytes = readBundle();
  // All ASCII (the build checks), so Latin-1 gives the same text as UTF-8, and is cheaper to decode.
  const source = bytes.toString("latin1");
  const dir = cacheDir();
  const prefix = `coc.cjs@${process.version}-${process.arch}-`;
  let build;
  let command;
  let cachedData;
  // Which cache was read: one made by a run that succeeded, or one made by a run that failed ("partial").
  let partial = false;
  if (dir !== undefined) {
    build = require("node:crypto").createHash("sha256").update(bytes).digest("hex").slice(0, 32);
    command = commandOf();
    cachedData = readCache(join(dir, `${prefix}${build}.${command}.v8cache`));
    if (cachedData === undefined) partial = (cachedData = readCache(join(dir, `${prefix}${build}.${command}.partial.v8cache`))) !== undefined;
  }
  const script = new vm.Script(wrap(source), { filename: BUNDLE, cachedData });
  const module = { exports: {}, filename: BUNDLE, id: BUNDLE, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, DIST);
  /**
   * After the run, so the cache holds what it compiled (the functions a next run will need too). A run
   * that failed (1: not a coc repository, say) ran part of the command: its cache is kept as partial, and
   * replaced after the first run that succeeds. A usage error (2) or a cancelled prompt (130) ran little
   * of it: no cache.
   */
  const save = (code) => {
    if (dir === undefined) return;
    if (code === 0) {
      if (cachedData === undefined || script.cachedDataRejected || partial) writeCache(dir, prefix, build, command, script.createCachedData());
      // Gone once a run succeeded (also one a failing run wrote at the same time as the full one).
      rmSync(join(dir, `${prefix}${build}.${command}.partial.v8cache`), { force: true });
    } else if (code === 1 && cachedData === undefined) {
      writeCache(dir, prefix, build, `${command}.partial`, script.createCachedData());
    }
  };
  return { bundle: module.exports, save };
}

const help = savedHelp();
if (help !== undefined) {
  // `coc --help | head` closes the pipe early: that is not an error (as in main's processContext).
  process.stdout.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  process.stdout.write(help);
} else {
  const { bundle, save } = loadBundle();
  bundle.main(argv, bundle.processContext()).then((code) => {
    process.exitCode = code;
    save(code);
    // Done: leave now rather than wait for V8 to finish optimizing code that will not run again
    // (about 50 ms after a large listing), unless something is still going on: a worker thread
    // writing the read cache, a child process, output not yet written.
    setImmediate(() => {
      const busy = process.getActiveResourcesInfo().some((r) => r !== "PipeWrap" && r !== "TTYWrap");
      if (!busy && process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
    });
  });
}
