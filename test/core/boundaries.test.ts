/**
 * The architecture as a test (DESIGN.md §6): core never prompts or prints,
 * and each outside library is imported by one place only.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "..", "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const sources = files(SRC).map((p) => ({ path: relative(SRC, p).split("\\").join("/"), text: readFileSync(p, "utf8") }));

function importers(module: string): string[] {
  const re = new RegExp(`from "${module.replace(/[/.]/g, "\\$&")}(/[^"]*)?"|import\\("${module.replace(/[/.]/g, "\\$&")}`);
  return sources.filter((s) => re.test(s.text)).map((s) => s.path).sort();
}

describe("module boundaries", () => {
  it("core never prompts, prints or reads the process", () => {
    for (const s of sources.filter((x) => x.path.startsWith("core/"))) {
      expect(s.text, s.path).not.toMatch(/console\.|process\.(stdout|stderr|stdin|env|cwd|exit)|from "(commander|chalk|@inquirer\/[^"]+)"/);
      expect(s.text, s.path).not.toMatch(/from "(\.\.\/)+(cli\/|main\.js|context\.js)/);
    }
  });

  it("nothing outside core imports core but through core/index.ts", () => {
    for (const s of sources.filter((x) => !x.path.startsWith("core/"))) {
      for (const m of s.text.matchAll(/(?:from |import\()"([^"]*\/core\/[^"]*)"/g)) expect(m[1], s.path).toMatch(/\/core\/index\.js$/);
    }
  });

  it("loads typage only when a file needs it (binary X25519 files are read natively)", () => {
    const age = sources.find((x) => x.path === "core/crypto/age.ts")!.text;
    const staticImports = [...age.matchAll(/^import (type )?[^;]*from "age-encryption";/gm)];
    expect(staticImports.length).toBeGreaterThan(0);
    for (const m of staticImports) expect(m[1], m[0]).toBe("type ");
    expect(age).toMatch(/import\("age-encryption"\)/);
  });

  it("each library has one home", () => {
    expect(importers("age-encryption")).toEqual(["core/crypto/age.ts"]);
    expect(importers("simple-git")).toEqual(["core/git/client.ts"]);
    expect(importers("@inquirer/prompts")).toEqual(["cli/prompts/inquirer.ts"]);
    expect(importers("chalk")).toEqual(["cli/output/color.ts"]);
    expect(importers("yaml")).toEqual(["core/records/document.ts"]);
    expect(importers("handlebars")).toEqual(["core/templates/render.ts"]);
    expect(importers("csv-parse")).toEqual(["core/reports/csv.ts"]);
    expect(importers("csv-stringify")).toEqual(["core/reports/csv.ts"]);
    for (const p of importers("commander")) expect(p.startsWith("cli/") || p === "main.ts").toBe(true);
  });
});
