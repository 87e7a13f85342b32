/**
 * Issue 3's "done when", as one story: a three-member team takes a case from
 * report to closed, each member on their own clone of a shared remote, with
 * the conflicted member cut out before the review starts, every step its own
 * encrypted record, the matrix showing the votes, and list saying what is overdue.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
const clone: Record<string, string> = {};

beforeAll(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
  const seed = await teamRepo(world, [alice, bob, carol]);
  const origin = join(world.root, "origin.git");
  world.git(world.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
  world.git(seed, ["remote", "add", "origin", origin]);
  world.git(seed, ["push", "--quiet", "-u", "origin", "main"]);
  for (const p of [alice, bob, carol]) {
    clone[p.name] = join(world.root, `laptop-${p.name}`);
    world.git(world.root, ["clone", "--quiet", origin, clone[p.name]!]);
  }
});
afterAll(() => world.cleanup());

const at = (h: number) => new Date(Date.UTC(2026, 5, 1, 14, 0) + h * 3600_000);

async function coc(who: Person, argv: string[], opts: { stdin?: string; h: number }) {
  const r = await world.run(argv, { as: who, cwd: clone[who.name], stdin: opts.stdin, now: at(opts.h) });
  expect(r.code, `${who.name}: coc ${argv.join(" ")}\n${r.stderr}`).toBe(0);
  return r;
}
const sync = (who: Person, h: number) => coc(who, ["sync"], { h });

describe("a three-member team, from report to closed", () => {
  it("works through the whole process on three clones", async () => {
    // 14:00 bob takes the report.
    const code = (await coc(bob, ["new-report", "--from", "-"], { stdin: reportYaml("story"), h: 0 })).stdout.trim();
    await sync(bob, 0);
    await sync(alice, 0.5);
    // Overdue check before anything happened: 12 h later, no decision yet.
    const late = JSON.parse((await coc(alice, ["list", "--json", "--overdue"], { h: 13 })).stdout) as { case: string }[];
    expect(late.map((c) => c.case)).toEqual([code]);

    // 15:00 the meeting: carol knows the reported person; alice records it before anything else.
    await coc(alice, ["review", code, "--from", "-"], {
      stdin: "present: [alice, bob, carol]\nconflicts:\n  - { member: carol, conflict: true }\nassessment: { risk: high, impact: low, rationale: repeated }\n",
      h: 1,
    });
    await sync(alice, 1.1);
    await sync(bob, 1.2);
    await coc(bob, ["review", code, "--from", "-"], { stdin: "present: [alice, bob]\nassessment: { risk: high, impact: high }\n", h: 1.3 });
    await sync(bob, 1.4);
    await sync(alice, 1.5);
    const matrix = JSON.parse((await coc(alice, ["matrix", code, "--json"], { h: 1.5 })).stdout);
    expect(matrix.votes.map((v: { author: string }) => v.author).sort()).toEqual(["alice", "bob"]);
    expect(matrix.suggestion).toBe("coordinated whole-team response");

    // carol was cut out: she cannot read any of it.
    await sync(carol, 1.6);
    const carolList = JSON.parse((await coc(carol, ["list", "--json"], { h: 1.6 })).stdout);
    expect(carolList).toEqual([expect.objectContaining({ case: code, restricted: true })]);

    // 16:00 decision by two, 17:00 the talk with the reported person, then the follow-up and the resolution.
    await coc(alice, ["decide", code, "--from", "-"], {
      stdin: "stage: final\nviolation: yes\nfinding: Repeated comments after being asked to stop.\nactions: [{ level: demand the behaviour stops, owner: alice }]\ndecided_by: [alice, bob]\nlead_agreement: { by: alice }\n",
      h: 2,
    });
    await coc(alice, ["note", code, "--from", "-"], { stdin: "kind: reported-contact\ntext: We talked with them.\nparticipants: [alice, bob]\n", h: 3 });
    await coc(alice, ["followup", code, "--from", "-"], { stdin: "action: 0\ndone_at: 2026-06-01T17:00:00Z\n", h: 3 });
    await sync(alice, 3.1);
    await sync(bob, 3.2);
    await coc(bob, ["resolve", code, "--from", "-"], {
      stdin: "reporter_informed_at: 2026-06-02T09:00:00Z\nreported_informed_at: 2026-06-01T17:00:00Z\ntransparency: { include: true, title: Repeated comments, category: harassment }\n",
      h: 19,
    });
    await sync(bob, 19.1);
    await sync(alice, 19.2);

    for (const who of [alice, bob]) {
      const list = JSON.parse((await coc(who, ["list", "--json"], { h: 200 })).stdout);
      expect(list).toEqual([{ case: code, state: "closed", received_at: "2026-06-01T14:00:00Z", overdue: false, restricted: false, category: "harassment", risk: "high", impact: "high" }]);
      const shown = JSON.parse((await coc(who, ["show", code, "--json"], { h: 200 })).stdout);
      expect(shown.records.map((r: { type: string }) => r.type)).toEqual(["report", "conflict", "assessment", "assessment", "decision", "note", "followup", "resolution"]);
      for (const r of shown.records) expect(r.recipients).toEqual(["alice", "bob"]);
      expect((await world.run(["verify"], { as: who, cwd: clone[who.name] })).code).toBe(0);
    }
    for (const p of [alice, bob, carol]) expect(world.git(clone[p.name]!, ["status", "--porcelain"]).trim()).toBe("");
  });
});
