import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, filesReadableBy, fromTemplate, reportYaml, teamRepo, type Person } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

let world: World;
let alice: Person;
let bob: Person;
let repo: string;
let code: string;

async function setup(t: World): Promise<{ repo: string; code: string }> {
  const [alice, bob, carol] = [t.person("alice"), t.person("bob"), t.person("carol")];
  const repo = await teamRepo(t, [alice, bob, carol]);
  const r = await t.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("soft") });
  if (r.code !== 0) throw new Error(r.stderr);
  return { repo, code: r.stdout.trim() };
}

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  ({ repo, code } = await fromTemplate(world, "soft-conflict.test: one case", setup));
});
afterEach(() => world.cleanup());

interface Shown {
  records: { type: string; author: string; body: Record<string, unknown> }[];
}

describe("soft conflicts", () => {
  it("a soft conflict keeps access, but votes and decides only with an override, which is recorded", async () => {
    const declared = await world.run(["review", code, "--from", "-"], { as: alice, cwd: repo, stdin: "conflicts:\n  - { member: bob, conflict: true, kind: soft, reason: knows the reported person }\n" });
    expect(declared.code, declared.stderr).toBe(0);
    expect(await filesReadableBy(repo, bob)).toBe(2);

    const vote = "assessment: { risk: high, impact: high }\n";
    const refused = await world.run(["review", code, "--from", "-"], { as: bob, cwd: repo, stdin: vote });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/you \(bob\) have a soft conflict in this case: you may take part in the discussion but not vote in the matrix; give --override/);
    const decision = "stage: interim\nactions: [{ level: demand the behaviour stops }]\ndecided_by: [alice, bob]\n";
    const refusedDecision = await world.run(["decide", code, "--from", "-"], { as: alice, cwd: repo, stdin: decision });
    expect(refusedDecision.code).toBe(1);
    expect(refusedDecision.stderr).toMatch(/decided_by\[1\]: bob has a soft conflict in this case: they may take part in the discussion but not decide/);

    const voted = await world.run(["review", code, "--from", "-", "--override", "the only member who saw it happen"], { as: bob, cwd: repo, stdin: vote });
    expect(voted.code, voted.stderr).toBe(0);
    const decided = await world.run(["decide", code, "--from", "-", "--override", "nobody else was available"], { as: alice, cwd: repo, stdin: decision });
    expect(decided.code, decided.stderr).toBe(0);

    const shown = JSON.parse((await world.run(["show", code, "--json"], { as: alice, cwd: repo })).stdout) as Shown;
    const conflict = shown.records.find((r) => r.type === "conflict")!;
    expect(conflict.body).toMatchObject({ member: "bob", kind: "soft" });
    expect(conflict.body["recused"]).toBeUndefined();
    expect(shown.records.find((r) => r.type === "assessment")?.body["override"]).toBe("the only member who saw it happen");
    expect(shown.records.find((r) => r.type === "decision")?.body["override"]).toBe("nobody else was available");
    const matrix = JSON.parse((await world.run(["matrix", code, "--json"], { as: alice, cwd: repo })).stdout) as unknown;
    expect(JSON.stringify(matrix)).toMatch(/bob/);
  });

  it("the review asks which kind of conflict; a hard one recuses as before", async () => {
    const prompter = new ScriptedPrompter({
      present: ["alice", "bob", "carol"],
      "conflict.alice": false,
      "conflict.bob": true,
      "conflict.bob.kind": "soft",
      "conflict.bob.reason": "",
      "conflict.carol": true,
      "conflict.carol.kind": "hard",
      "conflict.carol.reason": "",
      "assessment.risk": "low",
      "assessment.impact": "low",
      "assessment.in_scope": true,
      "assessment.violation": "unclear",
      "assessment.rationale": "",
      "note.text": "",
      "decision.add": false,
      confirm: true,
    });
    const r = await world.run(["review", code], { as: alice, cwd: repo, tty: true, prompter });
    expect(prompter.unused(), r.stderr).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
    expect(await filesReadableBy(repo, bob)).toBeGreaterThan(0);
    expect(await filesReadableBy(repo, world.person("carol"))).toBe(0);
  });

  it("in a terminal, a member with a soft conflict is asked why they vote; no reason, no vote", async () => {
    const declared = await world.run(["review", code, "--from", "-"], { as: alice, cwd: repo, stdin: "conflicts:\n  - { member: bob, conflict: true, kind: soft }\n" });
    expect(declared.code, declared.stderr).toBe(0);
    const answers = (override: string, saved: boolean) =>
      new ScriptedPrompter({
        present: ["bob", "alice", "carol"],
        "conflict.alice": false,
        "conflict.bob": false,
        "conflict.carol": false,
        "assessment.risk": "high",
        "assessment.impact": "low",
        "assessment.in_scope": true,
        "assessment.violation": "yes",
        "assessment.rationale": "",
        "assessment.override": override,
        "note.text": "",
        "decision.add": false,
        ...(saved ? { confirm: true } : {}),
      });
    const none = answers("", false);
    const r1 = await world.run(["review", code], { as: bob, cwd: repo, tty: true, prompter: none });
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toMatch(/Your assessment is not recorded: with a soft conflict, a vote needs a reason/);
    const why = answers("I saw it happen", true);
    const r2 = await world.run(["review", code], { as: bob, cwd: repo, tty: true, prompter: why });
    expect(r2.code, r2.stderr).toBe(0);
    const shown = JSON.parse((await world.run(["show", code, "--json"], { as: alice, cwd: repo })).stdout) as Shown;
    const votes = shown.records.filter((r) => r.type === "assessment");
    expect(votes.map((v) => v.body["override"])).toEqual(["I saw it happen"]);
  });
});
