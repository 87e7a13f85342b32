/**
 * Attacks on who reads a case by a member with push access who signs with
 * their own key (so every record below verifies): a member who joined after
 * a case was opened, and was never given it, writes a report into that case
 * dated before its real founding report, naming themselves among its readers.
 * The case must not reach them: not through a teammate's sync, not through
 * the next record a teammate writes.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ageDecrypts, hasAgeCli, World, type Person, teamWithRemote } from "../helpers/env.js";
import { plantRecord } from "../helpers/plant.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let origin: string;
let a: string;
let b: string;
let code: string;

beforeEach(async () => {
  ({ world, alice, bob, carol, origin, a, b, code } = await teamWithRemote());
});
afterEach(() => world.cleanup());

async function ok(argv: string[], who: Person, cwd: string, stdin?: string): Promise<string> {
  const r = await world.run(argv, { as: who, cwd, ...(stdin !== undefined ? { stdin } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A report body as coc stores it (every default written out, so the signature covers what is read back). */
const reportBody = (exclude: string[] = []) => ({
  channel: "in-person",
  reporter: { anonymous: false, keep_private: true },
  incident: { summary: "s", description: "d", people: [], witnesses: [], links: [] },
  safety: { support_offered: [] },
  exclude,
});

/** A report in case `c` signed by `by` with their own key, dated `at`, encrypted to `to` with the age CLI, pushed with plain git. */
function pushReport(by: Person, at: string, to: Person[]): void {
  const dir = join(world.root, `attacker-${by.name}`);
  world.git(world.root, ["clone", "--quiet", origin, dir]);
  const id = `${at.replace(/[-:]/g, "")}-report-early1`;
  const record = { coc: 1, type: "report", case: code, id, author: by.name, created_at: at, recipients: to.map((p) => p.name), readers: to.map((p) => p.name), body: reportBody() };
  plantRecord(world, dir, record, by, to, "coc: new report");
  world.git(dir, ["push", "--quiet", "origin", "main"]);
}

describe.runIf(hasAgeCli())("a report back-dated before the case was opened", () => {
  it("by a member who joined later gives them nothing: neither the case's records nor the next note reach them", async () => {
    const dave = world.person("dave");
    await ok(["team", "add", "dave", dave.memberKey], alice, a);
    await ok(["sync"], alice, a);
    await ok(["sync"], bob, b);
    pushReport(dave, "2020-01-01T00:00:00Z", [alice, bob, carol, dave]);
    await ok(["sync"], bob, b);
    // The report dave signed verifies (it is his own); it must not found the case's audience.
    const shown = await world.run(["show", code], { as: bob, cwd: b });
    expect(shown.stderr).not.toMatch(/UNVERIFIED/);
    await ok(["note", code, "--from", "-"], bob, b, "text: met the reporter again\n");
    await ok(["sync"], bob, b);
    const files = world.git(b, ["ls-files", `cases/${code}`]).split("\n").filter((f) => f && !f.includes("early1"));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(ageDecrypts(join(b, f), dave, world.env), f).toBe(false);
    for (const f of files) expect(ageDecrypts(join(b, f), alice, world.env), f).toBe(true);
  });
});
