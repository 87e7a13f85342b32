/**
 * Start-up of the built binary (bin/coc.js → dist/bundle/coc.cjs), as users
 * run it: what code runs. The bundle is one file, so "loaded" means "ran":
 * the child process writes V8's coverage (NODE_V8_COVERAGE), and the
 * bundle's source map says which source file each function that ran came
 * from, so the functions show which libraries ran.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { SourceMap, wrap } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, teamRepo } from "../helpers/env.js";
import { Terminal, tmuxMissing } from "../helpers/terminal.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");
const BUNDLE = join(ROOT, "dist", "bundle", "coc.cjs");
const HEAVY = ["zod", "yaml", "js-yaml", "age-encryption", "@noble", "handlebars", "simple-git", "@inquirer"];
/** bin/coc.js runs the bundle wrapped as Node wraps a CommonJS module: coverage offsets count the wrapper too. */
const WRAPPER = wrap("\0").indexOf("\0");

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(() => world.cleanup());

/** The source files of the bundle's functions that ran, from a coverage file of the child process. */
function sourcesThatRan(coverageDir: string): { bundleRan: boolean; sources: Set<string> } {
  const bundleUrl = pathToFileURL(BUNDLE).href;
  const sources = new Set<string>();
  let bundleRan = false;
  const text = readFileSync(BUNDLE, "utf8");
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const map = new SourceMap(JSON.parse(readFileSync(`${BUNDLE}.map`, "utf8")) as ConstructorParameters<typeof SourceMap>[0]);
  for (const file of readdirSync(coverageDir)) {
    const coverage = JSON.parse(readFileSync(join(coverageDir, file), "utf8")) as { result: { url: string; functions: { ranges: { startOffset: number; count: number }[] }[] }[] };
    for (const script of coverage.result.filter((r) => r.url === bundleUrl)) {
      bundleRan = true;
      for (const fn of script.functions) {
        const range = fn.ranges[0];
        if (!range || range.count === 0) continue;
        const offset = range.startOffset - WRAPPER;
        if (offset < 0) continue;
        let line = lineStarts.length - 1;
        for (let lo = 0, hi = lineStarts.length - 1; lo <= hi; ) {
          const mid = (lo + hi) >> 1;
          if (lineStarts[mid]! <= offset) {
            line = mid;
            lo = mid + 1;
          } else hi = mid - 1;
        }
        const entry = map.findEntry(line, offset - lineStarts[line]!) as { originalSource?: string };
        if (entry.originalSource) sources.add(entry.originalSource);
      }
    }
  }
  return { bundleRan, sources };
}

/** Runs the binary with V8's coverage on; @returns the libraries whose code ran, whether the bundle ran at all, and its result. */
function loaded(argv: string[], extraEnv: Record<string, string> = {}, cwd = world.root): { libraries: string[]; bundleRan: boolean; cli: boolean; code: number | null; stdout: string } {
  const coverageDir = join(world.root, `coverage-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, env: { ...world.env, ...extraEnv, NODE_V8_COVERAGE: coverageDir }, encoding: "utf8", timeout: 20_000 });
  const { bundleRan, sources } = sourcesThatRan(coverageDir);
  const libraries = new Set<string>();
  for (const source of sources) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
    if (m) libraries.add(m[1]!);
  }
  const cli = [...sources].some((f) => f.includes("src/cli/"));
  return { libraries: [...libraries].sort(), bundleRan, cli, code: r.status, stdout: r.stdout + r.stderr };
}

describe("start-up of the built binary", () => {
  it("coc --help into a pipe prints the text saved at build time, byte for byte what commander prints there, and loads nothing of the bundle", () => {
    // The real path through the same bundle, in the same conditions (stdout a pipe: 80 columns, no colour).
    const script = `const { main, processContext } = require(${JSON.stringify(BUNDLE)}); main(["--help"], processContext()).then((code) => { process.exitCode = code; });`;
    const real = spawnSync(process.execPath, ["-e", script], { cwd: world.root, env: world.env, encoding: "utf8" });
    expect(real.status, real.stderr).toBe(0);
    expect(real.stdout).toContain("new-report");
    for (const flag of ["--help", "-h"]) {
      const saved = loaded([flag]);
      expect(saved.code).toBe(0);
      expect(saved.stdout).toBe(real.stdout);
      expect(saved.bundleRan, flag).toBe(false);
    }
    expect(readFileSync(join(ROOT, "dist", "bundle", "help.txt"), "utf8")).toBe(real.stdout);
  });

  it("help on any other path runs the bundle's commander and loads no schema library, YAML parser, age, templates, git or prompt library", () => {
    for (const argv of [["list", "--help"], ["help"], ["--help", "--no-color"]]) {
      const help = loaded(argv);
      expect(help.code, argv.join(" ")).toBe(0);
      expect(help.bundleRan, argv.join(" ")).toBe(true);
      expect(help.cli, argv.join(" ")).toBe(true);
      expect(help.libraries).toContain("commander");
      for (const heavy of HEAVY) expect(help.libraries.filter((l) => l === heavy || l.startsWith(`${heavy}/`)), heavy).toEqual([]);
    }
  });

  it.skipIf(Boolean(tmuxMissing))("coc --help in a terminal is formatted by commander for the terminal's width, not taken from the saved text", async () => {
    // What commander prints at 120 columns (tmux's width), through the same bundle.
    const script = `Object.defineProperty(process.stdout, "isTTY", { value: true }); Object.defineProperty(process.stdout, "columns", { value: 120 }); const { main, processContext } = require(${JSON.stringify(BUNDLE)}); main(["--help"], processContext()).then((code) => { process.exitCode = code; });`;
    const wide = spawnSync(process.execPath, ["-e", script], { cwd: world.root, env: { ...world.env, NO_COLOR: "1" }, encoding: "utf8" });
    expect(wide.status, wide.stderr).toBe(0);
    const expected = wide.stdout.trimEnd().split("\n").map((l) => l.trimEnd());
    expect(expected).not.toEqual(readFileSync(join(ROOT, "dist", "bundle", "help.txt"), "utf8").trimEnd().split("\n").map((l) => l.trimEnd()));
    const t = new Terminal(world, "help");
    try {
      t.start(["--help"], world.root, world.env);
      expect(await t.exitCode()).toBe(0);
      const lines = t.screen().split("\n").map((l) => l.trimEnd());
      const from = lines.findIndex((l) => l.startsWith("Usage: coc"));
      expect(lines.slice(from, from + expected.length)).toEqual(expected);
    } finally {
      t.kill();
    }
  });

  it("coc list in an empty repository loads no templates, git or prompt library", async () => {
    const alice = world.person("alice");
    const repo = await teamRepo(world, [alice]);
    const list = loaded(["list"], { COC_IDENTITY: alice.identityFile }, repo);
    expect(list.code, list.stdout).toBe(0);
    expect(list.stdout).toContain("No cases yet");
    // The check sees libraries that ran: the settings and roster are validated (zod) and parsed (yaml).
    expect(list.libraries).toEqual(expect.arrayContaining(["commander", "zod", "yaml"]));
    for (const heavy of ["handlebars", "simple-git", "@inquirer"]) expect(list.libraries.filter((l) => l === heavy || l.startsWith(`${heavy}/`)), heavy).toEqual([]);
  });

  it("bundles zod's English messages and none of its other locales (a namespace import lets esbuild drop them)", () => {
    const meta = JSON.parse(readFileSync(join(ROOT, "dist", "bundle-meta.json"), "utf8")) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
    const locales = new Map<string, number>();
    for (const output of Object.values(meta.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const m = /node_modules\/zod\/v4\/locales\/([^/]+)\.js$/.exec(input);
        // index.js is the barrel that names them all (a few bytes of an empty namespace in CommonJS).
        if (m && m[1] !== "index" && bytesInOutput > 0) locales.set(m[1]!, (locales.get(m[1]!) ?? 0) + bytesInOutput);
      }
    }
    expect([...locales.keys()]).toEqual(["en"]);
  });
});
