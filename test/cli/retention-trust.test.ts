/**
 * A retention period that arrived from elsewhere is used only once confirmed
 * (README "Trust (pins)"): alice changes `retention.delete_after_days` in
 * config.yaml, commits and syncs through a real bare remote; bob syncs and,
 * without confirming, `coc list` warns with his confirmed period (or says
 * nothing when he confirmed none) and `coc purge --expired` refuses, pointing
 * to trust. Once bob confirms, the new period counts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { teamWithRemote, type Person, type World } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let a: string;
let b: string;
let code: string;

/** Long after the case's only record: expired under 90 days, not under 5000. */
const LATER = new Date("2027-03-01T10:00:00Z");

async function ok(who: Person, dir: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await world.run(args, { as: who, cwd: dir, now: LATER });
  expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

/** alice sets the retention period in config.yaml, commits it and shares it with coc sync. */
async function aliceSetsRetention(days: number): Promise<void> {
  const path = join(a, ".coc", "config.yaml");
  const text = readFileSync(path, "utf8").replace(/delete_after_days: .*/, `delete_after_days: ${days}`);
  writeFileSync(path, text);
  world.git(a, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "-qam", "retention"]);
  await ok(alice, a, ["sync"]);
}

const cases = (dir: string) => world.git(dir, ["ls-tree", "--name-only", "HEAD", "cases/"]);

beforeAll(async () => {
  ({ world, alice, bob, a, b, code } = await teamWithRemote());
  expect(readFileSync(join(a, ".coc", "config.yaml"), "utf8")).toMatch(/delete_after_days: null/);
  // bob pins the team's settings as they are: no retention period.
  await ok(bob, b, ["trust", "--yes"]);
}, 120_000);
afterAll(() => world.cleanup());

describe("a retention period bob has not confirmed", () => {
  it("is not used by coc list (nothing said when he confirmed none) and coc purge --expired refuses, pointing to trust", async () => {
    await aliceSetsRetention(90);
    expect((await ok(alice, a, ["list"])).stderr).toContain("1 case(s) passed the retention period (90 days)");
    await ok(bob, b, ["sync"]);
    expect(readFileSync(join(b, ".coc", "config.yaml"), "utf8")).toContain("delete_after_days: 90");

    const list = await ok(bob, b, ["list"]);
    expect(list.stdout).toContain(code);
    expect(list.stderr).not.toContain("retention period");
    expect(list.stderr).not.toContain("purge");

    const head = world.git(b, ["rev-parse", "HEAD"]);
    const purge = await world.run(["purge", "--expired", "--yes"], { as: bob, cwd: b, now: LATER });
    expect(purge.code).toBe(1);
    expect(purge.stderr).toContain('config.yaml retention.delete_after_days: "90" (was (none))');
    expect(purge.stderr).toMatch(/coc (team )?trust/);
    expect(purge.stderr).not.toContain("expired:");
    expect(world.git(b, ["rev-parse", "HEAD"])).toBe(head);
    expect(cases(b)).toContain(code);

    // Still unconfirmed: coc trust lists it.
    const pending = await world.run(["trust"], { as: bob, cwd: b, now: LATER });
    expect(pending.stderr).toContain('config.yaml retention.delete_after_days: "90" (was (none))');
  });

  it("once confirmed it counts; a later unconfirmed change leaves coc list on the confirmed period", async () => {
    await ok(bob, b, ["trust", "--yes"]);
    expect((await ok(bob, b, ["list"])).stderr).toContain("1 case(s) passed the retention period (90 days); delete them with coc purge --expired");

    await aliceSetsRetention(5000);
    await ok(bob, b, ["sync"]);
    const list = await ok(bob, b, ["list"]);
    expect(list.stderr).toContain("1 case(s) passed the retention period (90 days)");
    expect(list.stderr).not.toContain("5000");

    const purge = await world.run(["purge", "--expired", "--yes"], { as: bob, cwd: b, now: LATER });
    expect(purge.code).toBe(1);
    expect(purge.stderr).toContain('config.yaml retention.delete_after_days: "5000" (was "90")');
    expect(cases(b)).toContain(code);
  });
});
