import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, fromTemplate, reportYaml, teamRepo, type Person } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

let world: World;
let alice: Person;
let repo: string;
let code: string;

const day = (d: number) => new Date(Date.UTC(2026, 5, 1 + d, 12));

async function ok(argv: string[], who: Person, opts: { stdin?: string; now?: Date } = {}): Promise<{ stdout: string; stderr: string }> {
  const r = await world.run(argv, { as: who, cwd: repo, ...opts });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

/** A closed case: a final decision by alice and bob, the reporter told, nothing left to do. */
async function closedCase(t: World): Promise<{ repo: string; code: string }> {
  const [alice, bob, carol] = [t.person("alice"), t.person("bob"), t.person("carol")];
  const repo = await teamRepo(t, [alice, bob, carol]);
  const run = async (argv: string[], stdin: string, now: Date) => {
    const r = await t.run(argv, { as: alice, cwd: repo, stdin, now });
    if (r.code !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  const code = await run(["new-report", "--from", "-"], reportYaml("appealed"), day(0));
  await run(["decide", code, "--from", "-"], "stage: final\nviolation: yes\nfinding: Repeated unwanted comments.\nactions: [{ level: demand the behaviour stops }]\ndecided_by: [alice, bob]\n", day(0));
  await run(["followup", code, "--from", "-"], "action: 0\ndone_at: 2026-06-01T13:00:00Z\n", day(0));
  await run(["resolve", code, "--from", "-", "--yes"], "reporter_informed_at: 2026-06-01T13:00:00Z\nreported_informed_at: 2026-06-01T14:00:00Z\ntransparency: { include: false }\n", day(0));
  return { repo, code };
}

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  ({ repo, code } = await fromTemplate(world, "appeal.test: a closed case", closedCase));
});
afterEach(() => world.cleanup());

interface Listed {
  case: string;
  overdue: boolean;
}

describe("appeals", () => {
  it("an appeal waits for its outcome: list --overdue shows it once its deadline passed", async () => {
    const bad = await world.run(["appeal", code, "--by", "reported", "--ground", "the moon"], { as: alice, cwd: repo, now: day(2) });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/grounds\[0\]: "the moon" is not one of the team's appeal grounds \(new information, procedural error/);
    await ok(["appeal", code, "--by", "reported", "--ground", "New information", "--text", "I was not there that evening."], alice, { now: day(2) });
    const early = JSON.parse((await ok(["list", "--overdue", "--json"], alice, { now: day(10) })).stdout) as Listed[];
    expect(early).toEqual([]);
    const late = await ok(["list", "--overdue"], alice, { now: day(20) });
    expect(late.stdout).toContain(code);
    expect(late.stdout).toMatch(/yes: appeal/);
    const shown = JSON.parse((await ok(["show", code, "--json"], alice, { now: day(20) })).stdout) as { records: { type: string; body: Record<string, unknown> }[] };
    expect(shown.records.find((r) => r.type === "appeal")?.body).toMatchObject({ by: "reported", grounds: ["new information"] });

    // Decided by a member who took the original decision, without oversight people: a warning, recorded anyway.
    const decided = await ok(["appeal", "decide", code, "--result", "upheld", "--decided-by", "alice", "--reasoning", "Nothing new."], alice, { now: day(21) });
    expect(decided.stderr).toMatch(/warning: alice took the original decision and now decides the appeal, without any oversight person/);
    const after = JSON.parse((await ok(["list", "--overdue", "--json"], alice, { now: day(22) })).stdout) as Listed[];
    expect(after).toEqual([]);
  });

  it("an appeal decided by members who did not take the decision does not warn; a late appeal asks first", async () => {
    const late = await world.run(["appeal", code, "--by", "reporter", "--ground", "procedural error"], { as: alice, cwd: repo, now: day(30) });
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/after the appeal window closed/);
    await ok(["appeal", code, "--by", "reporter", "--ground", "procedural error", "--yes"], alice, { now: day(30) });
    const r = await ok(["appeal", "decide", code, "--result", "changed", "--decided-by", "carol", "--reasoning", "A lighter measure."], alice, { now: day(31) });
    expect(r.stderr).not.toMatch(/warning/);
    const none = await world.run(["appeal", "decide", code, "--result", "upheld", "--decided-by", "carol"], { as: alice, cwd: repo, now: day(32) });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no appeal waiting for an outcome/);
  });

  it("the letter to the reported person says how to appeal, from config.yaml", async () => {
    appendFileSync(join(repo, ".coc", "config.yaml"), "appeal_instructions: Write to the board at board@example.org within 14 days.\n");
    await ok(["consent", code, "--contact-reported", "yes", "--how", "phone"], alice, { now: day(1) });
    const letter = await ok(["letter", code, "--to", "reported"], alice, { now: day(1) });
    expect(letter.stdout).toMatch(/How to appeal\nWrite to the board at board@example.org within 14 days\./);
    // It goes through the public-text check like every value of the letter: no reporter's name.
    const path = join(repo, ".coc", "config.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace(/appeal_instructions: .*/, "appeal_instructions: Ask Sam Reporter how to appeal."));
    const refused = await world.run(["letter", code, "--to", "reported"], { as: alice, cwd: repo, now: day(1) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/appeal_instructions/);
  });

  it("without flags it asks in a terminal, and names the flags without one", async () => {
    const noTty = await world.run(["appeal", code], { as: alice, cwd: repo, now: day(2) });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/appeal: --by <who> and --ground <ground>, or --from <file\|-> required when not running interactively/);
    // Only what is missing is named: --by given, --ground not.
    const noGround = await world.run(["appeal", code, "--by", "reported", "--text", "I was not there."], { as: alice, cwd: repo, now: day(2) });
    expect(noGround.code).toBe(2);
    expect(noGround.stderr).toMatch(/appeal: --ground <ground>, or --from <file\|-> required when not running interactively/);
    const noDecider = await world.run(["appeal", "decide", code, "--result", "upheld"], { as: alice, cwd: repo, now: day(2) });
    expect(noDecider.code).toBe(2);
    expect(noDecider.stderr).toMatch(/appeal decide: --decided-by <name>, or --from <file\|-> required when not running interactively/);
    const prompter = new ScriptedPrompter({ "appeal.by": "reporter", "appeal.grounds": ["procedural error", "other"], "appeal.text": "The team did not hear me." });
    const r = await world.run(["appeal", code], { as: alice, cwd: repo, now: day(2), tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    const decider = new ScriptedPrompter({ "appeal_outcome.result": "overturned", "appeal_outcome.decided_by": ["carol"], "appeal_outcome.reasoning": "" });
    const d = await world.run(["appeal", "decide", code], { as: alice, cwd: repo, now: day(3), tty: true, prompter: decider });
    expect(d.code, d.stderr).toBe(0);
    const shown = JSON.parse((await ok(["show", code, "--json"], alice, { now: day(3) })).stdout) as { records: { type: string; body: Record<string, unknown> }[] };
    expect(shown.records.filter((x) => x.type === "appeal").at(-1)?.body).toMatchObject({ by: "reporter", grounds: ["procedural error", "other"] });
    expect(shown.records.find((x) => x.type === "appeal_outcome")?.body).toMatchObject({ result: "overturned", decided_by: ["carol"] });
  });
});
