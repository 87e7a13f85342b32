import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let repo: string;
beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  repo = await teamRepo(world, [alice]);
  await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
});
afterEach(() => world.cleanup());

describe("two coc commands at once in one clone", () => {
  it("a change in progress in another process is left alone, and blocks other changes until it ends", async () => {
    const other = spawn("sleep", ["30"], { env: world.env });
    const journal = join(repo, ".git", "coc", "journal.json");
    mkdirSync(join(repo, ".git", "coc"), { recursive: true });
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    writeFileSync(journal, JSON.stringify({ coc: 1, message: "coc: recusal in x", head, moves: [], paths: [], existing: [], pid: other.pid }));
    try {
      const write = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
      expect(write.code).toBe(1);
      expect(write.stderr).toContain(`another coc command (process ${other.pid}) is changing this repository; try again when it has finished`);
      expect(world.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
      const read = await world.run(["list", "--json"], { as: alice, cwd: repo });
      expect(read.code).toBe(0);
      expect(read.stderr).toMatch(/another coc command is changing this repository right now/);
      expect(existsSync(journal)).toBe(true);
    } finally {
      other.kill();
      await new Promise((r) => other.once("exit", r));
    }
    // Once that process is gone, its leftovers are cleaned up and work goes on.
    const after = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
    expect(after.code, after.stderr).toBe(0);
    expect(existsSync(journal)).toBe(false);
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");
  });
});
