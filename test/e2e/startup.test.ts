/**
 * Start-up of the built binary (bin/coc.js → dist/bundle/), as users run it:
 * what it loads. A module-load hook in the child process notes every file
 * loaded; esbuild's metafile (dist/bundle-meta.json) says which inputs each
 * output file holds, so the files show which libraries came in.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, teamRepo } from "../helpers/env.js";
import { Terminal, tmuxMissing } from "../helpers/terminal.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");
const HEAVY = ["zod", "yaml", "js-yaml", "age-encryption", "@noble", "handlebars", "simple-git", "@inquirer"];

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(() => world.cleanup());

/** Runs the binary with a load hook; @returns the libraries found in the files it loaded, and its result. */
function loaded(argv: string[], extraEnv: Record<string, string> = {}, cwd = world.root): { libraries: string[]; files: string[]; code: number | null; stdout: string } {
  const log = join(world.root, "loaded.log");
  const hooks = join(world.root, "hooks.mjs");
  writeFileSync(hooks, `import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) {\n  if (url.startsWith("file:")) appendFileSync(${JSON.stringify(log)}, url + "\\n");\n  return next(url, context);\n}\n`);
  const register = join(world.root, "register.mjs");
  writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(register).href, BIN, ...argv], { cwd, env: { ...world.env, ...extraEnv }, encoding: "utf8", timeout: 20_000 });
  const files = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).map((u) => fileURLToPath(u)) : [];
  const meta = JSON.parse(readFileSync(join(ROOT, "dist", "bundle-meta.json"), "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const libraries = new Set<string>();
  for (const f of files) {
    const inputs = meta.outputs[relative(ROOT, f)]?.inputs ?? {};
    for (const input of Object.keys(inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) libraries.add(m[1]!);
    }
    const direct = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
    if (direct) libraries.add(direct[1]!);
  }
  return { libraries: [...libraries].sort(), files, code: r.status, stdout: r.stdout + r.stderr };
}

describe("start-up of the built binary", () => {
  it("coc --help into a pipe prints the text saved at build time, byte for byte what commander prints there, and loads nothing of the bundle", () => {
    // The real path through the same bundle, in the same conditions (stdout a pipe: 80 columns, no colour).
    const script = `const { main, processContext } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist", "bundle", "main.js")).href)}); process.exitCode = await main(["--help"], processContext());`;
    const real = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: world.root, env: world.env, encoding: "utf8" });
    expect(real.status, real.stderr).toBe(0);
    expect(real.stdout).toContain("new-report");
    for (const flag of ["--help", "-h"]) {
      const saved = loaded([flag]);
      expect(saved.code).toBe(0);
      expect(saved.stdout).toBe(real.stdout);
      expect(saved.files.filter((f) => f.includes(join("dist", "bundle"))), flag).toEqual([]);
    }
    expect(readFileSync(join(ROOT, "dist", "bundle", "help.txt"), "utf8")).toBe(real.stdout);
  });

  it("help on any other path runs the bundle's commander and loads no schema library, YAML parser, age, templates, git or prompt library", () => {
    for (const argv of [["list", "--help"], ["help"], ["--help", "--no-color"]]) {
      const help = loaded(argv);
      expect(help.code, argv.join(" ")).toBe(0);
      expect(help.files.some((f) => f.includes(join("dist", "bundle"))), argv.join(" ")).toBe(true);
      expect(help.files.some((f) => f.includes(join("dist", "cli")))).toBe(false);
      expect(help.libraries).toContain("commander");
      for (const heavy of HEAVY) expect(help.libraries.filter((l) => l === heavy || l.startsWith(`${heavy}/`)), heavy).toEqual([]);
    }
  });

  it.skipIf(Boolean(tmuxMissing))("coc --help in a terminal is formatted by commander for the terminal's width, not taken from the saved text", async () => {
    // What commander prints at 120 columns (tmux's width), through the same bundle.
    const script = `Object.defineProperty(process.stdout, "isTTY", { value: true }); Object.defineProperty(process.stdout, "columns", { value: 120 }); const { main, processContext } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist", "bundle", "main.js")).href)}); process.exitCode = await main(["--help"], processContext());`;
    const wide = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: world.root, env: { ...world.env, NO_COLOR: "1" }, encoding: "utf8" });
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
    for (const heavy of ["handlebars", "simple-git", "@inquirer"]) expect(list.libraries.filter((l) => l === heavy || l.startsWith(`${heavy}/`)), heavy).toEqual([]);
  });

  it("bundles zod's English messages and none of its other locales (a namespace import lets esbuild drop them)", () => {
    const meta = JSON.parse(readFileSync(join(ROOT, "dist", "bundle-meta.json"), "utf8")) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
    const locales = new Map<string, number>();
    for (const output of Object.values(meta.outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        const m = /node_modules\/zod\/v4\/locales\/([^/]+)\.js$/.exec(input);
        if (m && bytesInOutput > 0) locales.set(m[1]!, (locales.get(m[1]!) ?? 0) + bytesInOutput);
      }
    }
    expect([...locales.keys()]).toEqual(["en"]);
  });
});
