/**
 * `npm run bench` (scripts/bench.mjs) builds its repositories with coc's own
 * built core modules. It is a script, not a test, so nothing else would
 * notice when a module it uses moves: this checks that every `core.<module>.<name>`
 * it calls is exported by the built file it imports for that module.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

it("every core function the bench script uses is exported by the module it imports", async () => {
  const source = readFileSync(join(ROOT, "scripts", "bench.mjs"), "utf8");
  const modules = new Map([...source.matchAll(/^\s*(\w+): await imp\("([^"]+)"\),$/gm)].map((m) => [m[1]!, m[2]!]));
  const uses = new Set([...source.matchAll(/\bcore\.(\w+)\.(\w+)/g)].map((m) => `${m[1]}.${m[2]}`));
  expect(modules.size).toBeGreaterThan(5);
  expect(uses.size).toBeGreaterThan(5);
  const missing: string[] = [];
  for (const use of uses) {
    const [name, member] = use.split(".") as [string, string];
    const file = modules.get(name);
    if (file === undefined) {
      missing.push(`${use} (no module imported as ${name})`);
      continue;
    }
    const mod = (await import(pathToFileURL(join(ROOT, "dist", file)).href)) as Record<string, unknown>;
    if (mod[member] === undefined) missing.push(`${use} (not exported by dist/${file})`);
  }
  expect(missing).toEqual([]);
});
