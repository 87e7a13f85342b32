import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

const ANSI = /\u001b\[\d+(;\d+)*m/;

let world: World;
let alice: Person;
let repo: string;
let code: string;
beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  repo = await teamRepo(world, [alice]);
  code = (await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() })).stdout.trim();
});
afterEach(() => world.cleanup());

describe("colour is decided in one place", () => {
  const noNoColor = { NO_COLOR: "" };
  it("is used on a terminal", async () => {
    const r = await world.run(["show", code], { as: alice, cwd: repo, tty: true, env: noNoColor });
    expect(r.stdout).toMatch(ANSI);
  });
  it("is never used when stdout is not a terminal", async () => {
    const r = await world.run(["show", code], { as: alice, cwd: repo, env: noNoColor });
    expect(r.stdout).not.toMatch(ANSI);
  });
  it("honours NO_COLOR and --no-color on a terminal", async () => {
    const a = await world.run(["show", code], { as: alice, cwd: repo, tty: true, env: { NO_COLOR: "1" } });
    expect(a.stdout).not.toMatch(ANSI);
    const b = await world.run(["show", code, "--no-color"], { as: alice, cwd: repo, tty: true, env: noNoColor });
    expect(b.stdout).not.toMatch(ANSI);
  });
  it("can be forced with FORCE_COLOR, and never leaks into --json", async () => {
    const a = await world.run(["list"], { as: alice, cwd: repo, env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(a.stdout).toMatch(ANSI);
    const b = await world.run(["list", "--json"], { as: alice, cwd: repo, tty: true, env: noNoColor });
    expect(b.stdout).not.toMatch(ANSI);
    expect(() => JSON.parse(b.stdout)).not.toThrow();
  });
});

describe("show", () => {
  it("renders times in local time and labels each record", async () => {
    const r = await world.run(["show", code], { as: alice, cwd: repo, env: { TZ: "Europe/Berlin" } });
    expect(r.code).toBe(0);
    // Stored 14:05 UTC; this process's zone decides the display (UTC in tests).
    expect(r.stdout).toMatch(/report {2}2026-06-01 \d{2}:05 [+-]\d{2}:\d{2} {2}by alice/);
    expect(r.stdout).toContain("deadline: a first decision within 12 h of the report");
  });
});
