/**
 * A recused member's recusal of another member counts (it only narrows who
 * reads, ../../src/core/case/standing.ts), but must give nobody the case: a
 * recused member who writes `{member: eve, conflict: false, recused: true}`
 * must not have shared the case with eve once a reader lifts eve's recusal.
 */
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordSchema } from "../../src/core/records/schema.js";
import { ageDecrypts, hasAgeCli, reportYaml, teamRepo, World, type Person } from "../helpers/env.js";
import { plantRecord } from "../helpers/plant.js";

let world: World;
let alice: Person;
let carol: Person;
let dave: Person;
let repo: string;
let code: string;

async function ok(argv: string[], who: Person, stdin?: string, now?: Date): Promise<string> {
  const r = await world.run(argv, { as: who, cwd: repo, ...(stdin !== undefined ? { stdin } : {}), ...(now ? { now } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A record of `type` in the case, signed by `by`, encrypted to `to` with the age CLI and committed with plain git. */
function plant(by: Person, type: string, body: unknown, at: string, to: Person[]): void {
  const id = `${at.replace(/[-:]/g, "")}-${type}-plant1`;
  const names = to.map((p) => p.name);
  const record = recordSchema().parse({ coc: 1, type, case: code, id, author: by.name, created_at: at, recipients: names, readers: names, body }) as { case: string; id: string };
  plantRecord(world, repo, record, by, to, `coc: ${type}`);
}

beforeEach(async () => {
  world = new World();
  [alice, carol, dave] = [world.person("alice"), world.person("carol"), world.person("dave")];
  repo = await teamRepo(world, [alice, carol, dave]);
  code = (await ok(["new-report", "--from", "-"], alice, reportYaml("the case"))).trim();
});
afterEach(() => world.cleanup());

describe.runIf(hasAgeCli())("a recused member's recusal of a member the case was never given to", () => {
  it("gives that member nothing, even once a reader lifts the recusal", async () => {
    await ok(["recuse", code, "carol", "--yes"], alice);
    const eve = world.person("eve");
    await ok(["team", "add", "eve", eve.memberKey], alice);
    plant(carol, "conflict", { member: "eve", conflict: false, recused: true }, "2026-06-01T15:00:00Z", [alice, dave]);
    // alice sees eve listed as recused and records that eve keeps access (a soft conflict).
    await ok(["review", code, "--from", "-"], alice, "conflicts:\n  - member: eve\n    conflict: true\n    kind: soft\n    recused: false\n", new Date("2026-06-01T16:00:00Z"));
    await ok(["note", code, "--from", "-"], alice, "kind: meeting\ntext: later\nattendees: [alice]\n", new Date("2026-06-01T17:00:00Z"));
    const files = world.git(repo, ["ls-files", `cases/${code}`]).split("\n").filter(Boolean);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(ageDecrypts(join(repo, f), eve, world.env), f).toBe(false);
    const verify = await world.run(["verify"], { as: alice, cwd: repo, now: new Date("2026-06-01T17:00:00Z") });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});
