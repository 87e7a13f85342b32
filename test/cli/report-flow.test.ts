import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let repo: string;

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  repo = await teamRepo(world, [alice, bob]);
});
afterEach(() => world.cleanup());

describe("new-report --from, list, show", () => {
  it("records a report as one commit, lists it and shows it to every recipient", async () => {
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("first") });
    expect(r.stderr).toContain("Recorded a new report");
    expect(r.code).toBe(0);
    const code = r.stdout.trim();
    expect(code).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    const files = readdirSync(join(repo, "cases", code));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{6}Z-report-[a-z0-9]+\.age$/);
    expect(readFileSync(join(repo, "cases", code, files[0]!)).subarray(0, 22).toString()).toBe("age-encryption.org/v1\n");
    expect(world.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe(`coc: new report ${code}`);
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");

    const list = await world.run(["list", "--json"], { as: bob, cwd: repo });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { case: code, state: "new", received_at: "2026-06-01T14:05:00Z", overdue: false, restricted: false, category: null, risk: null, impact: null },
    ]);

    const show = await world.run(["show", code, "--json"], { as: bob, cwd: repo });
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown.case).toBe(code);
    expect(shown.state).toBe("new");
    expect(shown.records).toHaveLength(1);
    expect(shown.records[0]).toMatchObject({ type: "report", author: "alice", recipients: ["alice", "bob"] });
    expect(shown.records[0].body.incident.summary).toContain("first");

    const text = await world.run(["show", code], { as: bob, cwd: repo });
    expect(text.stdout).toContain(`Case ${code}`);
    expect(text.stdout).toContain("Pat Example");
  });

  it("overdue after 12 hours without a decision", async () => {
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("late") });
    const later = new Date("2026-06-02T03:00:00Z");
    const list = await world.run(["list", "--json"], { as: alice, cwd: repo, now: later });
    expect(JSON.parse(list.stdout)[0]).toMatchObject({ case: r.stdout.trim(), overdue: true });
    const overdue = await world.run(["list", "--overdue"], { as: alice, cwd: repo, now: later });
    expect(overdue.stdout).toContain("first-action");
  });
});
