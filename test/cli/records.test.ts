/**
 * The record commands of the review workflow: `coc note`, `coc decide`,
 * `coc followup` and `coc resolve`, in-process against real temporary
 * repositories. Each from `--from` and interactively (scripted prompter), a
 * case taken from report to closed, bad values refused with the field named
 * and nothing committed, the warnings that need --yes, and urgent decisions
 * with their 24 h ratification deadline.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PUBLIC_TEXT_REMINDER } from "../../src/cli/prompts/records.js";
import { FIXED_NOW, World, fromTemplate, reportYaml, teamRepo, type Person, type RunOptions, type RunResult } from "../helpers/env.js";
import type { Choice } from "../../src/cli/prompts/prompter.js";
import { ScriptedPrompter, seq } from "../helpers/prompter.js";

const STACK_LINE = /^ {4}at /m;
const HOUR = 3600_000;
const at = (hours: number) => new Date(FIXED_NOW.getTime() + hours * HOUR);
const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let repo: string;
let code: string;

/** A case whose report came in an hour before FIXED_NOW (so later records sort after it). */
async function newCase(as: Person, dir: string, extra = "", w = world): Promise<string> {
  const r = await w.run(["new-report", "--from", "-"], { as, cwd: dir, stdin: reportYaml("records", extra), now: at(-1) });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** The three-member repository with one case, built once and copied for each test. */
async function withCase(t: World): Promise<{ repo: string; code: string }> {
  const alice = t.person("alice");
  const repo = await teamRepo(t, [alice, t.person("bob"), t.person("carol")]);
  return { repo, code: await newCase(alice, repo, "", t) };
}

async function setUp(): Promise<void> {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
  ({ repo, code } = await fromTemplate(world, "records.test: a three-member team with one case", withCase));
}

/** A fresh three-member repository with one case for each test of the calling describe. */
function freshRepoEachTest(): void {
  beforeEach(setUp);
  afterEach(() => world.cleanup());
}

function head(dir = repo): string {
  return world.git(dir, ["rev-parse", "HEAD"]).trim();
}

function lastMessage(dir = repo): string {
  return world.git(dir, ["log", "-1", "--format=%B"]).trim();
}

function input(name: string, text: string): string {
  const p = join(world.root, name);
  writeFileSync(p, text);
  return p;
}

/** Runs a command with `--from -` and the body on stdin. */
function from(args: string[], body: string, opts: RunOptions = {}): Promise<RunResult> {
  return world.run([...args, "--from", "-"], { as: alice, cwd: repo, stdin: body, ...opts });
}

async function shown(as: Person = alice, c = code, dir = repo): Promise<{ state: string; records: { type: string; id: string; author: string; recipients: string[]; body: Record<string, unknown> }[] }> {
  const r = await world.run(["show", c, "--json"], { as, cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

async function listed(now = FIXED_NOW, dir = repo): Promise<Record<string, unknown>> {
  const r = await world.run(["list", "--json"], { as: alice, cwd: dir, now });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { case: string }[]).find((c) => c.case === code)!;
}

/** One line on stderr starting `coc:` naming each needle, the exit code, no stack, and nothing committed. */
function expectRefused(r: RunResult, exit: number, needles: readonly string[], before: string): void {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(/internal error/);
  const first = r.stderr.split("\n").find((l) => l.startsWith("coc: "));
  expect(first, r.stderr).toBeDefined();
  for (const n of needles) expect(first).toContain(n);
  expect(head()).toBe(before);
  expect(world.git(repo, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
}

const FINAL_DECISION = `stage: final
violation: "yes"
finding: The comments were made after the reporter asked them to stop.
actions:
  - level: demand the behaviour stops
    owner: bob
    due: 2026-06-02T09:00:00Z
reasoning: Repeated after a clear request to stop.
decided_by: [alice, bob]
lead_agreement: { by: alice, at: 2026-06-01T15:00:00Z }
`;

describe("from report to closed", () => {
  freshRepoEachTest();
  it("note, decide, followup, resolve: state new → in-review → decided → resolved → closed, one neutral commit each", async () => {
    expect(await listed()).toMatchObject({ state: "new" });

    const note = await from(["note", code, "--json"], "kind: reporter-contact\ntext: Told the reporter the team is reviewing it.\nparticipants: [alice]\n", { now: at(1) });
    expect(note.code, note.stderr).toBe(0);
    const noteOut = JSON.parse(note.stdout);
    expect(Object.keys(noteOut).sort()).toEqual(["case", "id"]);
    expect(noteOut.case).toBe(code);
    expect(readdirSync(join(repo, "cases", code))).toContain(`${noteOut.id}.age`);
    expect(noteOut.id).toMatch(/^20260601T150500Z-note-[a-z0-9]+$/);
    expect(note.stderr).toContain(`Recorded the note ${noteOut.id} in case ${code}, encrypted to alice, bob, carol.`);
    expect(lastMessage()).toBe(`coc: note ${code}`);
    expect(await listed(at(1))).toMatchObject({ state: "in-review" });

    const decide = await from(["decide", code], FINAL_DECISION, { now: at(2) });
    expect(decide.code, decide.stderr).toBe(0);
    expect(decide.stdout).toBe("");
    expect(decide.stderr).toContain(`Case ${code} is now decided.`);
    expect(decide.stderr).not.toContain("warning");
    expect(lastMessage()).toBe(`coc: decision ${code}`);
    expect(await listed(at(2))).toMatchObject({ state: "decided" });

    const followup = await from(["followup", code], "action: 0\ndone_at: 2026-06-01T18:00:00Z\ntext: Spoke to them with carol.\n", { as: bob, now: at(4) });
    expect(followup.code, followup.stderr).toBe(0);
    expect(lastMessage()).toBe(`coc: followup ${code}`);
    expect(await listed(at(4))).toMatchObject({ state: "decided" });

    const resolve = await from(
      ["resolve", code],
      "reporter_informed_at: 2026-06-02T10:00:00Z\nclosed_at: 2026-06-02T10:00:00Z\ntransparency: { include: true, title: Unwelcome comments, category: harassment }\n",
      { now: at(20) },
    );
    expect(resolve.code, resolve.stderr).toBe(0);
    expect(resolve.stderr).toContain(`Case ${code} is now closed.`);
    expect(lastMessage()).toBe(`coc: resolution ${code}`);
    expect(await listed(at(20))).toMatchObject({ state: "closed", overdue: false, category: "harassment" });

    const s = await shown(carol);
    expect(s.state).toBe("closed");
    expect(s.records.map((r) => [r.type, r.author])).toEqual([
      ["report", "alice"],
      ["note", "alice"],
      ["decision", "alice"],
      ["followup", "bob"],
      ["resolution", "alice"],
    ]);
    expect(s.records.every((r) => r.recipients.join() === "alice,bob,carol")).toBe(true);
    expect(s.records[2]!.body).toMatchObject({ stage: "final", violation: "yes", decided_by: ["alice", "bob"], actions: [{ level: "demand the behaviour stops", owner: "bob", due: "2026-06-02T09:00:00Z" }] });

    // Every commit message is generic: type and code, nothing else.
    const messages = world.git(repo, ["log", "--format=%s", "-4"]).trim().split("\n");
    expect(messages).toEqual([`coc: resolution ${code}`, `coc: followup ${code}`, `coc: decision ${code}`, `coc: note ${code}`]);
    expect(world.git(repo, ["status", "--porcelain"])).toBe("");
  });

  it("a resolution with an action still open or the reporter not told leaves the case resolved, and says why", async () => {
    expect((await from(["decide", code], FINAL_DECISION)).code).toBe(0);
    const r = await from(["resolve", code], "closed_at: 2026-06-02T10:00:00Z\ntransparency: { include: false }\n");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Case ${code} is now resolved, not closed`);
    expect(r.stderr).toContain("the reporter has not been told the outcome");
    expect(r.stderr).toContain("not done yet: 0 (demand the behaviour stops)");
    expect(await listed()).toMatchObject({ state: "resolved" });
  });
});

describe("interactive", () => {
  freshRepoEachTest();
  it("note: kind, text, who took part (yourself offered first)", async () => {
    const prompter = new ScriptedPrompter({ kind: "reported-contact", text: "We told them what was reported.\nThey agreed to stop.", participants: ["alice", "carol"] });
    const r = await world.run(["note", code], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expect(prompter.asked).toEqual(["kind", "text", "participants"]);
    expect(prompter.said.join("\n")).toMatch(/two team members/);
    const note = (await shown()).records[1]!;
    expect(note).toMatchObject({ type: "note", author: "alice" });
    expect(note.body).toEqual({ kind: "reported-contact", text: "We told them what was reported.\nThey agreed to stop.", participants: ["alice", "carol"], attendees: [] });
  });

  it("note of a meeting asks who attended", async () => {
    const prompter = new ScriptedPrompter({ kind: "meeting", text: "Reviewed the report.", attendees: ["alice", "bob", "carol"] });
    const r = await world.run(["note", code], { as: bob, cwd: repo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expect((await shown()).records[1]!.body).toEqual({ kind: "meeting", text: "Reviewed the report.", participants: [], attendees: ["alice", "bob", "carol"] });
  });

  it("decide: stage, finding, actions from the ladder and free text, reasoning, deciders, the lead's agreement", async () => {
    const prompter = new ScriptedPrompter({
      stage: "final",
      violation: "yes",
      finding: "The comments were made.",
      outcome_for_reporter: "The team asked the person to stop.",
      "actions.add": seq(true, true, false),
      "actions.level": seq("demand no further contact with certain people", "other"),
      "actions.detail": seq("", "Ask them to skip the evening social"),
      "actions.owner": seq("bob", "-"),
      "actions.due": seq("2026-06-02 09:00", ""),
      "plan.add": true,
      "plan.expectations": seq("Keep discussions about the code.", ""),
      "plan.conditions_for_return": "",
      "plan.repair": seq("A written apology.", ""),
      "plan.check_ins.add": seq(true, false),
      "plan.check_ins.due": "2026-07-01 10:00",
      "plan.check_ins.what": "a call about how it is going",
      reasoning: "Repeated after a clear request to stop.",
      decided_by: ["alice", "bob", "carol"],
      lead_agreement: "alice",
    });
    const r = await world.run(["decide", code], { as: alice, cwd: repo, tty: true, prompter, now: at(3) });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expect(r.stderr).toContain(`Case ${code} is now decided.`);
    const d = (await shown()).records[1]!;
    expect(d.body).toEqual({
      stage: "final",
      violation: "yes",
      finding: "The comments were made.",
      outcome_for_reporter: "The team asked the person to stop.",
      actions: [
        { level: "demand no further contact with certain people", owner: "bob", due: "2026-06-02T09:00:00Z" },
        { level: "other", detail: "Ask them to skip the evening social" },
      ],
      plan: { expectations: ["Keep discussions about the code."], conditions_for_return: [], check_ins: [{ due: "2026-07-01T10:00:00Z", what: "a call about how it is going" }], repair: ["A written apology."] },
      reasoning: "Repeated after a clear request to stop.",
      decided_by: ["alice", "bob", "carol"],
      lead_agreement: { by: "alice", at: utc(at(3)) },
    });
  });

  it("decide with one decider in a terminal asks to go on; saying no writes nothing", async () => {
    const script = {
      stage: "interim",
      violation: "unclear",
      finding: "",
      outcome_for_reporter: "",
      "actions.add": false,
      "plan.add": false,
      reasoning: "",
      decided_by: ["alice"],
      lead_agreement: "-",
    };
    const before = head();
    const no = new ScriptedPrompter({ ...script, confirm_warnings: false });
    const r = await world.run(["decide", code], { as: alice, cwd: repo, tty: true, prompter: no });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("at least two members");
    expect(no.unused()).toEqual([]);
    expect(head()).toBe(before);

    const yes = new ScriptedPrompter({ ...script, confirm_warnings: true });
    const ok = await world.run(["decide", code], { as: alice, cwd: repo, tty: true, prompter: yes });
    expect(ok.code, ok.stderr).toBe(0);
    expect(yes.unused()).toEqual([]);
    expect((await shown()).records[1]!.body).toEqual({ stage: "interim", violation: "unclear", actions: [], decided_by: ["alice"] });
  });

  it("followup: pick an action in force, done now, what happened", async () => {
    expect((await from(["decide", code], FINAL_DECISION.replace("actions:\n", "actions:\n  - level: cancel the talk\n"))).code).toBe(0);
    const prompter = new ScriptedPrompter({ action: "1", done: true, text: "Told them, with carol present." });
    const r = await world.run(["followup", code], { as: bob, cwd: repo, tty: true, prompter, now: at(5) });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expect((await shown()).records.at(-1)!.body).toEqual({ action: 1, done_at: utc(at(5)), text: "Told them, with carol present." });
  });

  it("followup with no action in force says so, exit 1, nothing asked or written", async () => {
    const before = head();
    const prompter = new ScriptedPrompter({});
    const r = await world.run(["followup", code], { as: alice, cwd: repo, tty: true, prompter });
    expectRefused(r, 1, ["no actions to follow up", code], before);
    expect(prompter.asked).toEqual([]);
  });

  it("resolve: who was told, closing, an announcement and a transparency entry, with the public-text reminder", async () => {
    const prompter = new ScriptedPrompter({
      reporter_informed: true,
      reported_informed: true,
      closed: true,
      "public.statement": "announcement",
      "public.thing": "unwelcome comments at a social event",
      "public.action": "the attendee was removed from the event",
      "transparency.include": true,
      "transparency.title": "Unwelcome comments at a social",
      "transparency.summary": "An attendee made unwelcome comments and was removed.",
      "transparency.category": "harassment",
    });
    const r = await world.run(["resolve", code, "--json"], { as: alice, cwd: repo, tty: true, prompter, now: at(30) });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expect(prompter.said).toContain(PUBLIC_TEXT_REMINDER);
    expect(PUBLIC_TEXT_REMINDER).toMatch(/no names/);
    expect(JSON.parse(r.stdout)).toEqual({ case: code, id: expect.stringMatching(/^20260602T200500Z-resolution-/) });
    expect(r.stderr).toContain(`Case ${code} is now closed.`);
    const now = utc(at(30));
    expect((await shown()).records.at(-1)!.body).toEqual({
      reporter_informed_at: now,
      reported_informed_at: now,
      closed_at: now,
      public: { statement: "announcement", thing: "unwelcome comments at a social event", action: "the attendee was removed from the event" },
      transparency: { include: true, title: "Unwelcome comments at a social", summary: "An attendee made unwelcome comments and was removed.", category: "harassment" },
    });
  });

  it("resolve without a statement or transparency entry asks only what applies", async () => {
    const prompter = new ScriptedPrompter({ reporter_informed: false, reported_informed: false, closed: false, "public.statement": "none", "transparency.include": false, "transparency.category": "" });
    const r = await world.run(["resolve", code], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expect((await shown()).records.at(-1)!.body).toEqual({ public: { statement: "none" }, transparency: { include: false } });
    expect(r.stderr).toContain("is now resolved, not closed: the reporter has not been told the outcome");
  });
});

describe("not interactive", () => {
  freshRepoEachTest();
  it("without --from and without a terminal each command fails naming --from, before anything else", async () => {
    const before = head();
    for (const command of ["note", "decide", "followup", "resolve"]) {
      const prompter = new ScriptedPrompter({});
      const r = await world.run([command, code], { as: alice, cwd: repo, prompter });
      expectRefused(r, 2, [command, "--from", "not running interactively"], before);
      expect(prompter.asked).toEqual([]);
      const noInput = await world.run([command, code, "--no-input"], { as: alice, cwd: repo, tty: true, prompter });
      expectRefused(noInput, 2, ["--from", "--no-input"], before);
      expect(prompter.asked).toEqual([]);
    }
  });

  it("--from a file works like stdin", async () => {
    const file = input("note.yaml", "kind: meeting\ntext: Met.\nattendees: [alice, bob, carol]\n");
    const r = await world.run(["note", code, "--from", file], { as: carol, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect((await shown()).records[1]).toMatchObject({ author: "carol", body: { kind: "meeting", text: "Met.", attendees: ["alice", "bob", "carol"], participants: [] } });
  });

  it("an unknown case is refused", async () => {
    const r = await from(["note", "quiet-otter-1"], "text: x\n");
    expectRefused(r, 1, ["unknown case code quiet-otter-1"], head());
  });
});

describe("invalid values are refused with the field named, nothing committed", () => {
  // Nothing here is meant to commit, so one repository serves every test.
  beforeAll(setUp);
  afterAll(() => world.cleanup());
  const cases: [string, string[], string, string[]][] = [
    ["a level not on the ladder, without free text", ["decide"], 'decided_by: [alice, bob]\nactions: [{ level: banishment }]\n', ["actions[0].level", '"banishment" is not a level of the team\'s ladder']],
    ["level other without detail", ["decide"], "decided_by: [alice, bob]\nactions: [{ level: other }]\n", ["actions[0].detail", "needs a detail"]],
    ["an unknown member in decided_by", ["decide"], "decided_by: [alice, mallory]\n", ["decided_by[1]", '"mallory" is not a team member']],
    ["an unknown owner", ["decide"], "decided_by: [alice, bob]\nactions: [{ level: cancel the talk, owner: mallory }]\n", ["actions[0].owner", "mallory"]],
    ["an unknown stage", ["decide"], "stage: eventual\ndecided_by: [alice, bob]\n", ["stage"]],
    ["an unknown violation value", ["decide"], "violation: maybe\ndecided_by: [alice, bob]\n", ["violation"]],
    ["a bad due date", ["decide"], "decided_by: [alice, bob]\nactions: [{ level: cancel the talk, due: next week }]\n", ["actions[0].due", "next week"]],
    ["an unknown note kind", ["note"], "kind: gossip\ntext: x\n", ["kind"]],
    ["a note without text", ["note"], "kind: meeting\n", ["text"]],
    ["an unknown participant", ["note"], "kind: meeting\ntext: x\nattendees: [alice, mallory]\n", ["attendees[1]", "mallory"]],
    ["a follow-up with no action in force", ["followup"], "action: 0\n", ["action", "there is no action 0"]],
    ["a resolution without transparency", ["resolve"], "closed_at: 2026-06-02T10:00:00Z\n", ["transparency"]],
    ["an unknown statement", ["resolve"], "public: { statement: press-release }\ntransparency: { include: false }\n", ["public.statement"]],
    ["an unknown field", ["resolve"], "transparency: { include: false }\nreporter_name: Sam\n", ["unknown field", "reporter_name"]],
  ];
  for (const [what, args, body, needles] of cases) {
    it(`${args[0]}: ${what}`, async () => {
      const before = head();
      const r = await from([...args, code], body);
      expectRefused(r, 1, ["stdin", ...needles], before);
    });
  }

  it("followup: an action index out of range of the decision in force", async () => {
    const decided = await newCase(alice, repo);
    expect((await from(["decide", decided], FINAL_DECISION)).code).toBe(0);
    const before = head();
    const r = await from(["followup", decided], "action: 3\ndone_at: 2026-06-02T09:00:00Z\n");
    expectRefused(r, 1, ["action", "there is no action 3", "has 1 action"], before);
    const named = await from(["followup", decided], "action: permanent ban\n");
    expectRefused(named, 1, ["action", 'no action of the decision in force is "permanent ban"'], before);
    const byLevel = await from(["followup", decided], "action: Demand the behaviour stops\ndone_at: 2026-06-02T09:00:00Z\n");
    expect(byLevel.code, byLevel.stderr).toBe(0);
  });

  it("a file source is named in the error", async () => {
    const file = input("bad.yaml", "kind: gossip\ntext: x\n");
    const before = head();
    expectRefused(await world.run(["note", code, "--from", file], { as: alice, cwd: repo }), 1, [`${file}: kind`], before);
  });

  it("an invalid value is refused before any warning asks for --yes", async () => {
    const before = head();
    const r = await from(["decide", code], "decided_by: [mallory]\n");
    expectRefused(r, 1, ['"mallory" is not a team member'], before);
    expect(r.stderr).not.toContain("--yes");
  });
});

describe("a team on the cc2.1 ladder", () => {
  freshRepoEachTest();
  let ccRepo: string;
  let ccCode: string;
  /** alice and bob's repository on the cc2.1 ladder, with one case, built once and copied for each test. */
  async function withCcCase(t: World): Promise<{ ccRepo: string; ccCode: string }> {
    const [alice, bob] = [t.person("alice"), t.person("bob")];
    const ccRepo = join(t.root, "cc");
    const init = await t.run(["init", ccRepo, "--event", "Project", "--member", "alice", "--ladder", "cc2.1"], { as: alice });
    expect(init.code, init.stderr).toBe(0);
    expect((await t.run(["team", "add", "bob", bob.memberKey], { as: alice, cwd: ccRepo })).code).toBe(0);
    return { ccRepo, ccCode: await newCase(alice, ccRepo, "", t) };
  }
  beforeEach(async () => {
    ({ ccRepo, ccCode } = await fromTemplate(world, "records.test: a cc2.1 team with one case", withCcCase));
  });

  it("a temporary level without a duration is refused; with one it is recorded", async () => {
    const before = head(ccRepo);
    const r = await world.run(["decide", ccCode, "--from", "-"], { as: alice, cwd: ccRepo, stdin: "decided_by: [alice, bob]\nactions: [{ level: temporary ban }]\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("stdin: actions[0].duration:");
    expect(r.stderr).toContain("temporary");
    expect(head(ccRepo)).toBe(before);
    // A level of another ladder is not on this one.
    const other = await world.run(["decide", ccCode, "--from", "-"], { as: alice, cwd: ccRepo, stdin: "decided_by: [alice, bob]\nactions: [{ level: cancel the talk }]\n" });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("correction, warning, temporary ban, permanent ban");
    expect(head(ccRepo)).toBe(before);

    const ok = await world.run(["decide", ccCode, "--from", "-"], { as: alice, cwd: ccRepo, stdin: "decided_by: [alice, bob]\nactions: [{ level: temporary ban, duration: 3 months }]\n" });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("interactively, the ladder's levels are offered and a temporary one asks for how long", async () => {
    const prompter = new ScriptedPrompter({
      stage: "final",
      violation: "yes",
      finding: "",
      outcome_for_reporter: "",
      "actions.add": seq(true, false),
      "actions.level": "temporary ban",
      "actions.detail": "from the chat and the forum",
      "actions.duration": "3 months",
      "actions.scope": "online",
      "actions.starts_at": "",
      "actions.owner": "alice",
      "actions.due": "",
      "plan.add": false,
      reasoning: "",
      decided_by: ["alice", "bob"],
      lead_agreement: "alice",
    });
    const r = await world.run(["decide", ccCode], { as: bob, cwd: ccRepo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    const body = (await shown(bob, ccCode, ccRepo)).records[1]!.body;
    expect(body["actions"]).toEqual([{ level: "temporary ban", detail: "from the chat and the forum", duration: "3 months", scope: "online", owner: "alice" }]);
    expect(body["decided_by"]).toEqual(["alice", "bob"]);
  });
});

describe("warnings that need --yes", () => {
  freshRepoEachTest();
  it("a decision by one member: exit 2 naming --yes when not interactive; --yes records it", async () => {
    const before = head();
    const body = "stage: interim\ndecided_by: [alice]\n";
    const r = await from(["decide", code], body);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("warning: a decision should be taken by at least two members who are not recused; decided by: alice");
    expect(r.stderr).toMatch(/^coc: --yes required/m);
    expect(head()).toBe(before);
    const ok = await from(["decide", code, "--yes"], body);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toContain("warning:");
    expect(lastMessage()).toBe(`coc: decision ${code}`);
  });

  it("members excluded from the case are not offered as deciders, and count for nothing when named", async () => {
    const secret = await newCase(alice, repo, "exclude: [carol]\n");
    const before = head();
    const r = await world.run(["decide", secret, "--from", "-"], { as: alice, cwd: repo, stdin: "decided_by: [alice, carol]\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("decided_by[1]: carol is recused or excluded from the case and cannot decide it");
    expect(head()).toBe(before);

    const offered: Record<string, string[]> = {};
    class Recording extends ScriptedPrompter {
      override async checkbox<T extends string>(q: { id: string; message: string; choices: readonly Choice<T>[] }): Promise<T[]> {
        offered[q.id] = q.choices.map((c) => c.value);
        return super.checkbox(q);
      }
      override async select<T extends string>(q: { id: string; message: string; choices: readonly Choice<T>[] }): Promise<T> {
        offered[q.id] = q.choices.map((c) => c.value);
        return super.select(q);
      }
    }
    const prompter = new Recording({ stage: "interim", violation: "unclear", finding: "", outcome_for_reporter: "", "actions.add": false, "plan.add": false, reasoning: "", decided_by: ["alice", "bob"], lead_agreement: "alice" });
    const ok = await world.run(["decide", secret], { as: alice, cwd: repo, tty: true, prompter });
    expect(ok.code, ok.stderr).toBe(0);
    expect(offered["decided_by"]).toEqual(["alice", "bob"]);
    expect(offered["lead_agreement"]).toEqual(["alice", "-"]);
  });

  it("a conversation with the reported person held by one member needs --yes", async () => {
    const before = head();
    const body = "kind: reported-contact\ntext: Spoke to them at the venue.\nparticipants: [alice]\n";
    const r = await from(["note", code], body);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("with the reported person should be held by two team members; participants: alice");
    expect(r.stderr).toContain("--yes");
    expect(head()).toBe(before);
    const ok = await from(["note", code, "--yes"], body);
    expect(ok.code, ok.stderr).toBe(0);
    const two = await from(["note", code], body.replace("[alice]", "[alice, bob]"));
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).not.toContain("warning");
  });
});

describe("urgent decisions", () => {
  freshRepoEachTest();
  const ACK = "kind: reporter-contact\ntext: Acknowledged.\nparticipants: [alice]\n";
  const ALONE = "stage: interim\nactions: [{ level: remove from the event without refund }]\ndecided_by: [alice]\n";

  it("--urgent by one member: recorded with who acted alone and a ratify deadline 24 h later", async () => {
    expect((await from(["note", code], ACK)).code).toBe(0);
    const r = await from(["decide", code, "--urgent", "--json"], ALONE, { now: at(1) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/--yes/);
    expect(r.stderr).toMatch(/ratified by a decision of at least two members within 24 h/);
    const { id } = JSON.parse(r.stdout);
    const record = (await shown()).records.find((x) => x.id === id)!;
    expect(record.body["urgent"]).toEqual({ acted_alone: ["alice"], ratify_by: utc(at(25)) });

    // 25 h after the urgent decision, unratified: overdue, and show names the ratify deadline.
    expect(await listed(at(24))).toMatchObject({ overdue: false });
    expect(await listed(at(26))).toMatchObject({ state: "decided", overdue: true });
    const text = await world.run(["show", code], { as: alice, cwd: repo, now: at(26) });
    expect(text.stdout).toMatch(/deadline: the urgent decision by alice ratified by at least two members: OVERDUE/);
    const overdue = await world.run(["list", "--overdue"], { as: alice, cwd: repo, now: at(26) });
    expect(overdue.stdout).toContain("ratify");
  });

  it("--urgent with nobody named: the caller acted alone", async () => {
    const r = await from(["decide", code, "--urgent"], "stage: interim\n", { as: bob });
    expect(r.code, r.stderr).toBe(0);
    expect((await shown()).records.at(-1)!.body["urgent"]).toEqual({ acted_alone: ["bob"], ratify_by: utc(at(24)) });
  });

  it("a decision of two members that follows ratifies it: not overdue", async () => {
    expect((await from(["note", code], ACK)).code).toBe(0);
    expect((await from(["decide", code, "--urgent"], ALONE, { now: at(1) })).code).toBe(0);
    const ratify = await from(["decide", code], FINAL_DECISION, { now: at(10) });
    expect(ratify.code, ratify.stderr).toBe(0);
    expect(await listed(at(26))).toMatchObject({ overdue: false });
    const text = await world.run(["show", code], { as: alice, cwd: repo, now: at(26) });
    expect(text.stdout).toMatch(/ratified by at least two members: met/);
  });

  it("--urgent interactively says what it means; with two deciders it is not needed", async () => {
    const prompter = new ScriptedPrompter({
      stage: "interim",
      violation: "unclear",
      finding: "",
      outcome_for_reporter: "",
      "actions.add": false,
      "plan.add": false,
      reasoning: "",
      decided_by: ["alice", "carol"],
      lead_agreement: "alice",
    });
    const r = await world.run(["decide", code, "--urgent"], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expect(prompter.said.join("\n")).toMatch(/ratify it within 24 hours/);
    expect(r.stderr).toContain("Not marked urgent");
    expect((await shown()).records.at(-1)!.body["urgent"]).toBeUndefined();
  });
});

describe("without a terminal", () => {
  freshRepoEachTest();
  it("coc followup names its flags as well as --from, since --action or --check-in records one without a file", async () => {
    const r = await world.run(["followup", code], { as: alice, cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("followup: --from <file|->, or --action <n|level> or --check-in <n> (with --done, --done-at or --text) required when not running interactively");
  });
});
