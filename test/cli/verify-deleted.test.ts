/**
 * `coc verify` names a record the last commit holds but the work tree lacks
 * (deleted by hand, staged or not, or lost in a crash): no read sees such a
 * file, so a listing shows its case without it and nothing else would say so.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
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
});
afterEach(() => world.cleanup());

describe("coc verify", () => {
  it("names a committed record missing from the work tree, deleted by hand or staged for deletion, until it is put back", async () => {
    const code = (await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() })).stdout.trim();
    const second = (await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("another") })).stdout.trim();
    expect((await world.run(["verify"], { as: alice, cwd: repo })).code).toBe(0);
    const [file] = world.git(repo, ["ls-files", `cases/${code}`]).trim().split("\n");
    const [other] = world.git(repo, ["ls-files", `cases/${second}`]).trim().split("\n");
    rmSync(join(repo, file!));
    world.git(repo, ["rm", "-q", "--", other!]);
    const v = await world.run(["verify"], { as: alice, cwd: repo });
    expect(v.code).toBe(1);
    for (const f of [file!, other!]) expect(v.stdout + v.stderr).toContain(`${f}: in the last commit but missing from the work tree (deleted, or lost); put it back with: git checkout HEAD -- ${f}`);
    world.git(repo, ["checkout", "HEAD", "--", "cases"]);
    const again = await world.run(["verify"], { as: alice, cwd: repo });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it("checks a clone another coc command is changing only once that command is done, so it names nothing half-way", async () => {
    const code = (await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() })).stdout.trim();
    const [file] = world.git(repo, ["ls-files", `cases/${code}`]).trim().split("\n");
    // Another command's change, half-way: it holds the lock (a live process) and has taken the record away for now.
    const writer = spawn("sleep", ["30"], { stdio: "ignore" });
    const lock = join(repo, ".git", "coc", "lock");
    const bytes = readFileSync(join(repo, file!));
    try {
      writeFileSync(lock, JSON.stringify({ pid: writer.pid }));
      rmSync(join(repo, file!));
      const verify = world.run(["verify"], { as: alice, cwd: repo });
      await new Promise((resolve) => setTimeout(resolve, 600));
      // The change ends: the record is back, the lock gone.
      writeFileSync(join(repo, file!), bytes);
      rmSync(lock);
      const v = await verify;
      expect(v.code, v.stdout + v.stderr).toBe(0);
      expect(v.stdout + v.stderr).not.toContain("missing from the work tree");
    } finally {
      writer.kill();
      rmSync(lock, { force: true });
    }
  });
});
