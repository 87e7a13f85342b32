#!/usr/bin/env node
/**
 * The second step of `npm run build`: bundles what tsc wrote to dist/ (and the
 * dependencies) into dist/bundle/, which bin/coc.js runs. Node then reads a
 * few files instead of about 300 modules at every start. Each command's
 * run.ts (and every other `import()`) stays its own chunk, loaded only when
 * it runs. dist/bundle/ sits as deep as dist/cli/, so the paths the code
 * finds from `import.meta.url` (templates/, data/) are the same.
 */
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "bundle");

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(ROOT, "dist", "main.js")],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  // Minified: V8 parses less at every start (about 60 ms less on Node 20, which has no compile cache).
  minify: true,
  metafile: true,
  logLevel: "warning",
  // Bundled CommonJS dependencies (handlebars, simple-git) call require() for Node's own modules.
  banner: { js: 'import { createRequire as __cocCreateRequire } from "node:module"; const require = __cocCreateRequire(import.meta.url);' },
});
// Which source files and libraries each output file holds (the start-up test reads it).
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

