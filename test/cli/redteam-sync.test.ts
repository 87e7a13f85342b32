/**
 * Attacks through a real remote on evidence files and records: someone with
 * push access who cannot read a case replaces its files with ciphertext only
 * they can read, which would look like a re-encryption away from everyone else.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasAgeCli, World, type Person, teamWithRemote } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let a: string;
let b: string;
let code: string;

async function ok(argv: string[], who: Person, cwd: string): Promise<string> {
  const r = await world.run(argv, { as: who, cwd });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stderr;
}

const caseFiles = (dir: string) => readdirSync(join(dir, "cases", code)).map((f) => join(dir, "cases", code, f));

beforeEach(async () => {
  ({ world, alice, bob, a, b, code } = await teamWithRemote());
  mkdirSync(join(world.root, "in"));
  writeFileSync(join(world.root, "in", "chat.txt"), "the messages he sent");
  await ok(["attach", code, join(world.root, "in", "chat.txt")], alice, a);
  await ok(["sync"], alice, a);
  await ok(["sync"], bob, b);
});
afterEach(() => world.cleanup());

describe.runIf(hasAgeCli())("a file re-encrypted away from the team by someone who cannot read it", () => {
  for (const kind of ["evidence file", "report record"]) {
    it(`${kind === "evidence file" ? "an" : "a"} ${kind} replaced by ciphertext for an outsider only is refused while the rest of the case is readable`, async () => {
      const mallory = world.person("mallory");
      const [file] = caseFiles(a).filter((f) => (kind === "evidence file" ? f.endsWith(".file.age") : /-report-[a-z0-9]+\.age$/.test(f)));
      const junk = spawnSync("age", ["-r", mallory.recipient], { input: "gone", env: world.env }).stdout;
      writeFileSync(file!, junk);
      world.git(a, ["-c", "user.name=Mallory", "-c", "user.email=m@example.org", "commit", "--quiet", "-am", "coc: re-encrypt"]);
      world.git(a, ["push", "--quiet", "origin", "main"]);
      const before = world.git(b, ["rev-parse", "HEAD"]);
      const r = await world.run(["sync"], { as: bob, cwd: b });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/alter record file\(s\) of case/);
      expect(world.git(b, ["rev-parse", "HEAD"])).toBe(before);
    });
  }
});
