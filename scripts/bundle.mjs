#!/usr/bin/env node
/**
 * The second step of `npm run build`: bundles what tsc wrote to dist/ (and the
 * dependencies) into one CommonJS file, dist/bundle/coc.cjs, which bin/coc.js
 * runs. Node then reads one file instead of about 300 modules, and bin/coc.js
 * can start it from V8's code cache (on Node 20 too, which has no compile
 * cache for modules): see bin/coc.js. Each command's run.ts (and every other
 * `import()`) stays lazy: esbuild wraps it in a function that runs only when
 * the command does, so its code is read but never compiled or run otherwise.
 * dist/bundle/ sits as deep as dist/cli/, so the paths the code finds from
 * `import.meta.url` (templates/, data/) are the same.
 */
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "bundle");

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(ROOT, "dist", "main.js")],
  outfile: join(OUT, "coc.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20.19",
  // Minified: V8 parses less when it has no code cache yet, and lazily compiles less afterwards.
  minify: true,
  // Which library each byte came from, for the start-up test (it maps the functions that ran back to their
  // sources); Node reads it only with --enable-source-maps. Without the sources' text: it stays small.
  sourcemap: "external",
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
  // CommonJS has no import.meta: the code's own URL is the bundle file's (the same depth as dist/cli/).
  define: { "import.meta.url": "__cocUrl" },
  banner: { js: 'var __cocUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// bin/coc.js reads the bundle as Latin-1, which is cheaper than UTF-8 and the same text when every byte is
// ASCII (esbuild escapes every other character by default: this keeps it so).
const bundled = readFileSync(join(OUT, "coc.cjs"));
const wide = bundled.findIndex((b) => b > 0x7f);
if (wide >= 0) throw new Error(`bundle: dist/bundle/coc.cjs has a non-ASCII byte at offset ${wide}`);
// bin/coc.js runs the bundle as a vm.Script, which has no module loader for an `import()` left in it: every
// dynamic import must have been bundled (a library that adds one would fail only when that path runs).
const dynamic = /[^\w$.]import\(/.exec(bundled.toString("latin1"));
if (dynamic) throw new Error(`bundle: dist/bundle/coc.cjs still has a dynamic import() at offset ${dynamic.index}`);
// Which source files and libraries the bundle holds (the start-up test reads it).
writeFileSync(join(ROOT, "dist", "bundle-meta.json"), JSON.stringify(result.metafile));

// The reading worker (src/core/repo/read-pool.ts) as one CommonJS file next to the chunks: a worker
// thread starts it without Node's ES module loader.
await build({
  entryPoints: [join(ROOT, "dist", "core", "repo", "read-worker.js")],
  outfile: join(OUT, "read-worker.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20.19",
  minify: true,
  logLevel: "warning",
});

// Every command and subcommand name ("list", "team remove"), one a line: bin/coc.js names the code cache of a
// run after the command it runs, and takes only a name from this list (never another word of argv).
const { buildProgram } = await import(pathToFileURL(join(ROOT, "dist", "cli", "program.js")).href);
const quiet = { write: () => undefined };
const program = buildProgram({ stdout: quiet, stderr: quiet }, { code: 0 });
const names = program.commands.flatMap((c) => [c.name(), ...c.commands.map((s) => `${c.name()} ${s.name()}`)]);
if (names.length < 30 || names.some((n) => !/^[a-z][a-z-]*( [a-z][a-z-]*)?$/.test(n))) throw new Error(`bundle: unexpected command names: ${names.join(", ")}`);
writeFileSync(join(OUT, "commands.txt"), `${names.join("\n")}\n`);

// `coc --help` into a pipe, as commander prints it (80 columns, no colour): bin/coc.js prints this
// saved text for exactly that call, without loading the bundle (help.txt does not exist yet here,
// so this run takes the real path). test/e2e/startup.test.ts checks they stay byte-identical.
const help = spawnSync(process.execPath, [join(ROOT, "bin", "coc.js"), "--help"], {
  env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
});
if (help.status !== 0 || help.stderr !== "" || !help.stdout.startsWith("Usage: coc") || help.stdout.includes("\x1b")) {
  throw new Error(`bundle: coc --help failed (exit ${help.status}): ${help.stderr}`);
}
writeFileSync(join(OUT, "help.txt"), help.stdout);

