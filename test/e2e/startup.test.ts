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

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");
const HEAVY = ["zod", "yaml", "age-encryption", "@noble", "handlebars", "simple-git", "@inquirer"];

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
  it("runs the bundle, and coc --help loads no schema library, YAML parser, age, templates, git or prompt library", () => {
    const help = loaded(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("new-report");
    expect(help.files.some((f) => f.includes(join("dist", "bundle")))).toBe(true);
    expect(help.files.some((f) => f.includes(join("dist", "cli")))).toBe(false);
    expect(help.libraries).toContain("commander");
    for (const heavy of HEAVY) expect(help.libraries.filter((l) => l === heavy || l.startsWith(`${heavy}/`)), heavy).toEqual([]);
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
