/**
 * End-to-end: `coc open --print-path` of the built binary keeps the
 * decrypted evidence file in a private RAM directory only until Enter, and
 * removes it on SIGTERM and Ctrl+C (SIGINT) too.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");

let world: World;
let alice: Person;
let repo: string;
let code: string;
let ram: string;
const CONTENT = "chat log: the messages the reporter received\n";

/** Starts `coc open <code> 1 --print-path` and resolves with the process and the path it printed. */
function openPrinting(): Promise<{ child: ChildProcessWithoutNullStreams; path: string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, "open", code, "1", "--print-path"], { cwd: repo, env: { ...world.env, COC_IDENTITY: alice.identityFile, COC_RAM_DIR: ram } });
  const exit = new Promise<number | null>((done) => child.once("exit", (c, signal) => done(c ?? (signal ? -1 : null))));
  return new Promise((done, fail) => {
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) done({ child, path: out.trim(), exit });
    });
    child.once("exit", () => fail(new Error(`coc open ended before printing a path: ${err}`)));
  });
}

beforeAll(async () => {
  world = new World();
  alice = world.person("alice");
  repo = await teamRepo(world, [alice]);
  const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("open test") });
  code = r.stdout.trim();
  const file = join(world.root, "chat.txt");
  writeFileSync(file, CONTENT);
  expect((await world.run(["attach", code, file], { as: alice, cwd: repo })).code).toBe(0);
  ram = world.ram();
}, 60_000);
afterAll(() => world.cleanup());

describe("coc open --print-path (built binary)", () => {
  it("prints a 0600 file in a 0700 RAM directory, and removes it at Enter", async () => {
    const { child, path, exit } = await openPrinting();
    expect(path.startsWith(`${ram}/coc-`)).toBe(true);
    expect(readFileSync(path, "utf8")).toBe(CONTENT);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    child.stdin.write("\n");
    expect(await exit).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(ram)).toEqual([]);
  });

  for (const [signal, status] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    it(`removes it on ${signal}`, async () => {
      const { child, path, exit } = await openPrinting();
      expect(existsSync(path)).toBe(true);
      child.kill(signal);
      expect(await exit).toBe(status);
      expect(readdirSync(ram)).toEqual([]);
    });
  }
});
