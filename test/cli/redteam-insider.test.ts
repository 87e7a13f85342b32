/**
 * Attacks by an insider on who may do what in a case: a member the case
 * excludes (the report names them) or recuses, who cannot read the case but
 * knows the readers' public keys, writes records into it with plain tools,
 * signed with their own key (so each verifies), and commits them. None of
 * them may count: not for the decision in force or the register, not for the
 * case's state or deadlines, not for who reads it.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordSchema } from "../../src/core/records/schema.js";
import { readFileSync } from "node:fs";
import { ageDecrypts, hasAgeCli, reportYaml, teamRepo, teamWithRemote, World, type Person } from "../helpers/env.js";
import { plantRecord } from "../helpers/plant.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let repo: string;
let code: string;
let n = 0;

async function ok(argv: string[], who: Person, stdin?: string, now?: Date): Promise<string> {
  const r = await world.run(argv, { as: who, cwd: repo, ...(stdin !== undefined ? { stdin } : {}), ...(now ? { now } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** A record of `type` in the case, signed by `by` with their own key, dated `at`, encrypted to `to` with the age CLI and committed with plain git. */
function plant(by: Person, type: string, body: unknown, at: string, to: Person[]): string {
  const id = `${at.replace(/[-:]/g, "")}-${type.replace("_", "-")}-evil${++n}`;
  const names = to.map((p) => p.name);
  const record = recordSchema().parse({ coc: 1, type, case: code, id, author: by.name, created_at: at, recipients: names, readers: names, body }) as { case: string; id: string };
  plantRecord(world, repo, record, by, to, `coc: ${type}`);
  return id;
}

beforeEach(async () => {
  world = new World();
  [alice, bob, carol, dave] = [world.person("alice"), world.person("bob"), world.person("carol"), world.person("dave")];
  repo = await teamRepo(world, [alice, bob, carol, dave]);
  writeFileSync(join(repo, ".coc", "config.yaml"), execFileSync("sed", ["s/^ladder: .*$/ladder: cc2.1/", join(repo, ".coc", "config.yaml")]).toString());
  await ok(["trust", "--yes"], alice);
  // The report names bob, a team member: he is excluded from the case.
  code = (await ok(["new-report", "--from", "-"], alice, reportYaml("about bob", "exclude: [bob]\n"))).trim();
});
afterEach(() => world.cleanup());

describe.runIf(hasAgeCli())("an excluded member's own signed records", () => {
  it("a final decision of his own does not replace the team's: the ban stays in the register", async () => {
    await ok(["decide", code, "--from", "-"], alice, "stage: final\nactions:\n  - { level: permanent ban, scope: both }\ndecided_by: [alice, carol]\n");
    plant(bob, "decision", { stage: "final", actions: [{ level: "correction" }], decided_by: ["alice", "carol"] }, "2026-06-01T15:00:00Z", [alice, carol, dave]);
    const bans = await ok(["bans", "--json"], alice, undefined, new Date("2026-06-02T10:00:00Z"));
    expect(bans).toMatch(/permanent ban/);
    const shown = await world.run(["show", code], { as: alice, cwd: repo, now: new Date("2026-06-02T10:00:00Z") });
    expect(shown.stdout + shown.stderr).toMatch(/permanent ban/);
  });

  it("a resolution of his own neither closes the case nor hides that it is overdue", async () => {
    plant(bob, "resolution", { closed_at: "2026-06-01T15:00:00Z", reporter_informed_at: "2026-06-01T15:00:00Z", transparency: { include: true, title: "nothing happened" } }, "2026-06-01T15:00:00Z", [alice, carol, dave]);
    const list = JSON.parse(await ok(["list", "--json"], alice, undefined, new Date("2026-07-01T10:00:00Z"))) as { case: string; state: string; overdue: boolean }[];
    const mine = list.find((c) => c.case === code)!;
    expect(mine.state).toBe("new");
    expect(mine.overdue).toBe(true);
  });

  it("a recusal of the members who read the case takes nothing from them", async () => {
    plant(bob, "conflict", { member: "alice", conflict: true }, "2026-06-01T15:00:00Z", [alice, carol, dave]);
    plant(bob, "conflict", { member: "carol", conflict: true }, "2026-06-01T15:00:01Z", [alice, carol, dave]);
    await ok(["note", code, "--from", "-"], dave, "text: spoke with the reporter\n");
    const files = world.git(repo, ["ls-files", `cases/${code}`]).split("\n").filter((f) => f && !f.includes("evil"));
    for (const f of files) expect(ageDecrypts(join(repo, f), alice, world.env), f).toBe(true);
    for (const f of files) expect(ageDecrypts(join(repo, f), carol, world.env), f).toBe(true);
  });

  it("a decision naming him in decided_by is refused, --yes or not, and never ratifies an urgent one", async () => {
    for (const yes of [[], ["--yes"]]) {
      const r = await world.run(["decide", code, "--from", "-", ...yes], { as: alice, cwd: repo, stdin: "stage: interim\nactions:\n  - { level: warning }\ndecided_by: [alice, bob]\n" });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/decided_by\[1\].*bob.*excluded/);
    }
    await ok(["decide", code, "--from", "-", "--urgent"], alice, "stage: interim\nactions:\n  - { level: warning }\ndecided_by: [alice]\n");
    // Written with plain tools by alice herself (she reads the case): decided by alice and bob.
    plant(alice, "decision", { stage: "interim", actions: [{ level: "warning" }], decided_by: ["alice", "bob"] }, "2026-06-01T15:00:00Z", [alice, carol, dave]);
    expect(await ok(["list"], alice, undefined, new Date("2026-06-03T10:00:00Z"))).toMatch(/yes: [a-z, -]*ratify/);
  });

  it("a recused member's \"no conflict\" for a member who joined later gives that member nothing", async () => {
    await ok(["recuse", code, "carol"], alice);
    const eve = world.person("eve");
    await ok(["team", "add", "eve", eve.memberKey], alice);
    plant(carol, "conflict", { member: "eve", conflict: false }, "2026-06-01T15:00:00Z", [alice, dave]);
    await ok(["note", code, "--from", "-"], alice, "text: spoke with the reporter\n");
    const files = world.git(repo, ["ls-files", `cases/${code}`]).split("\n").filter((f) => f && !f.includes("evil"));
    for (const f of files) expect(ageDecrypts(join(repo, f), eve, world.env), f).toBe(false);
  });

  it("shows his records as not counting, says why, and a lead's vouch does not take them in", async () => {
    plant(bob, "note", { text: "the reporter withdrew" }, "2026-06-01T15:00:00Z", [alice, carol, dave]);
    const shown = await world.run(["show", code], { as: alice, cwd: repo });
    expect(shown.stderr).toMatch(/UNVERIFIED \(written by bob, whom the case excludes\)/);
    const verify = await world.run(["verify"], { as: alice, cwd: repo });
    expect(verify.code).toBe(1);
    expect(verify.stdout + verify.stderr).toMatch(/written by bob, whom the case excludes/);
    const vouched = await world.run(["verify", "--vouch"], { as: alice, cwd: repo });
    expect(vouched.stdout + vouched.stderr).toContain("No unverified record to vouch for.");
    expect(world.git(repo, ["ls-files", `cases/${code}`])).not.toMatch(/-vouch-/);
  });
});

describe.runIf(hasAgeCli())("a record dated in the future by a member who reads the case", () => {
  it("does not keep a consent or a decision in force over what the team records later", async () => {
    plant(alice, "consent", { changes: { public_statement: "yes" }, said_by: "reporter" }, "2030-01-01T00:00:00Z", [alice, carol, dave]);
    plant(alice, "decision", { stage: "final", actions: [{ level: "correction" }], decided_by: ["alice", "carol"] }, "2030-01-01T00:00:00Z", [alice, carol, dave]);
    await ok(["consent", code, "--public-statement", "no", "--said-by", "reporter", "--how", "phone"], carol);
    await ok(["decide", code, "--from", "-"], carol, "stage: final\nactions:\n  - { level: permanent ban, scope: both }\ndecided_by: [carol, dave]\n");
    const json = JSON.parse(await ok(["show", code, "--json"], alice)) as { consent: { public_statement: string } };
    expect(json.consent.public_statement).toBe("no");
    const shown = await world.run(["show", code], { as: alice, cwd: repo });
    expect(shown.stderr).toMatch(/UNVERIFIED \(dated 2030-01-01T00:00:00Z, in the future: it counts from then\)/);
    const announce = await world.run(["announce", code], { as: alice, cwd: repo });
    expect(announce.code).toBe(1);
    expect(await ok(["bans", "--json"], alice)).toMatch(/permanent ban/);
  });
});

describe("a purge by a lead the case excludes, through a real remote", () => {
  let w: World;
  afterEach(() => w.cleanup());

  it("is refused by the other clones until the case has expired under their confirmed retention period", async () => {
    const t = await teamWithRemote();
    w = t.world;
    const run = async (who: Person, dir: string, argv: string[], stdin?: string, now?: Date) => {
      const r = await w.run(argv, { as: who, cwd: dir, ...(stdin !== undefined ? { stdin } : {}), ...(now ? { now } : {}) });
      expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
      return r;
    };
    // bob takes a report that names alice, the lead.
    const about = (await run(t.bob, t.b, ["new-report", "--from", "-"], reportYaml("about the lead", "exclude: [alice]\n"))).stdout.trim();
    await run(t.bob, t.b, ["sync"]);
    await run(t.alice, t.a, ["sync"]);
    await run(t.alice, t.a, ["purge", about, "--yes"]);
    await run(t.alice, t.a, ["sync"]);
    const refused = await w.run(["sync"], { as: t.bob, cwd: t.b });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`delete`);
    expect(refused.stderr).toContain(about);
    expect(w.git(t.b, ["ls-tree", "--name-only", "HEAD", "cases/"])).toContain(about);
    // Once it has expired under the retention period bob confirmed, the same purge is taken in.
    w.git(t.a, ["-c", "user.name=alice", "-c", "user.email=a@x", "revert", "--no-edit", "HEAD"]);
    const config = join(t.a, ".coc", "config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace(/delete_after_days: .*/, "delete_after_days: 30"));
    w.git(t.a, ["-c", "user.name=alice", "-c", "user.email=a@x", "commit", "-qam", "retention"]);
    await run(t.alice, t.a, ["sync"]);
    await run(t.bob, t.b, ["sync"]);
    await run(t.bob, t.b, ["trust", "--yes"]);
    const later = new Date("2026-09-01T10:00:00Z");
    await run(t.alice, t.a, ["purge", about, "--yes"], undefined, later);
    await run(t.alice, t.a, ["sync"], undefined, later);
    await run(t.bob, t.b, ["sync"], undefined, later);
    expect(w.git(t.b, ["ls-tree", "--name-only", "HEAD", "cases/"])).not.toContain(about);
  });
});
