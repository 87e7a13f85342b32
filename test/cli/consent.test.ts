/**
 * The reporter's consent carried into every step, letters for every stage
 * and the behavioural plan (issue 14), in-process against a real repository:
 * consent "no" blocks the letter to the reported person, the announcement and
 * the description in the transparency report; `--override` works and leaves
 * a signed note; a later consent change is honoured; a report without consent
 * counts as not agreed, and the refusal says how to record it; the
 * acknowledgement with `--sent` meets the deadline in `list`; the plan appears
 * in the letter to the reported person; a missed check-in shows in
 * `list --overdue` until a follow-up records it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXED_NOW, World, reportYaml, teamRepo, type Person, type RunResult } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

const HOUR = 3600_000;
const at = (hours: number) => new Date(FIXED_NOW.getTime() + hours * HOUR);

let world: World;
let alice: Person;
let bob: Person;
let repo: string;

const NO = "consent: { contact_reported: no, public_statement: no, transparency: no, share: { police: no, venue: yes } }\n";
const DECISION = `stage: final
violation: "yes"
finding: Unwanted comments were made at the social after a request to stop.
actions: [{ level: demand the behaviour stops }]
decided_by: [alice, bob]
`;
const RESOLUTION = `reporter_informed_at: 2026-06-02T10:00:00Z
public: { statement: announcement, thing: an attendee made unwanted comments at the social, action: the person was asked to stop }
transparency: { include: true, title: TITLE-MARKER, summary: SUMMARY-MARKER, category: CATEGORY-MARKER }
`;

function run(args: string[], opts: { stdin?: string; now?: Date } = {}): Promise<RunResult> {
  return world.run(args, { as: alice, cwd: repo, now: at(2), ...opts });
}
async function ok(args: string[], opts: { stdin?: string; now?: Date } = {}): Promise<RunResult> {
  const r = await run(args, opts);
  expect(r.code, r.stderr).toBe(0);
  return r;
}
async function newCase(extra: string, opts: { decide?: string; resolve?: boolean } = {}): Promise<string> {
  const code = (await ok(["new-report", "--from", "-"], { stdin: reportYaml("consent", extra), now: at(-1) })).stdout.trim();
  if (opts.decide !== undefined) await ok(["decide", code, "--from", "-"], { stdin: opts.decide, now: at(0) });
  if (opts.resolve) await ok(["resolve", code, "--from", "-"], { stdin: RESOLUTION, now: at(1) });
  return code;
}
async function records(code: string): Promise<{ type: string; author: string; body: Record<string, unknown> }[]> {
  return (JSON.parse((await ok(["show", code, "--json"])).stdout) as { records: { type: string; author: string; body: Record<string, unknown> }[] }).records;
}

beforeAll(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  repo = await teamRepo(world, [alice, bob]);
});
afterAll(() => world.cleanup());

describe("consent no", () => {
  it("blocks letter --to reported, announce, and the description in transparency; nothing is printed or written", async () => {
    const code = await newCase(NO, { decide: DECISION, resolve: true });
    const head = world.git(repo, ["rev-parse", "HEAD"]);
    const letter = await run(["letter", code, "--to", "reported"]);
    expect(letter.code).toBe(1);
    expect(letter.stdout).toBe("");
    expect(letter.stderr).toContain(`the reporter did not agree to the team contacting the reported person (case ${code})`);
    expect(letter.stderr).toContain(`coc consent ${code} --contact-reported yes`);
    expect(letter.stderr).toContain('--override "<reason>"');
    const announce = await run(["announce", code]);
    expect(announce.code).toBe(1);
    expect(announce.stdout).toBe("");
    expect(announce.stderr).toContain("the reporter did not agree to a public statement");

    const t = await ok(["transparency", "--format", "json"]);
    const report = JSON.parse(t.stdout) as { entries: unknown[]; counts: { cases: number; described: number; by_category: { name: string }[] } };
    expect(report.counts.cases).toBeGreaterThanOrEqual(1);
    expect(report.entries).toEqual([]);
    for (const marker of ["TITLE-MARKER", "SUMMARY-MARKER", "CATEGORY-MARKER"]) expect(t.stdout).not.toContain(marker);
    expect(t.stderr).toContain(`counted but not described`);
    expect(t.stderr).toContain(code);
    const md = await ok(["transparency"]);
    for (const marker of ["TITLE-MARKER", "SUMMARY-MARKER", "CATEGORY-MARKER"]) expect(md.stdout).not.toContain(marker);
    expect(world.git(repo, ["rev-parse", "HEAD"])).toBe(head);
  });

  it("--override writes the letter and leaves a signed note with the reason", async () => {
    const code = await newCase(NO, { decide: DECISION });
    const r = await ok(["letter", code, "--to", "reported", "--override", "risk to others: the behaviour continues"]);
    expect(r.stdout).toContain("Unwanted comments were made at the social");
    expect(r.stderr).toContain("override");
    const notes = (await records(code)).filter((x) => x.type === "note");
    expect(notes).toHaveLength(1);
    expect(notes[0]!.author).toBe("alice");
    expect(notes[0]!.body["kind"]).toBe("override");
    expect(notes[0]!.body["text"]).toContain("contact_reported, which was: no");
    expect(notes[0]!.body["text"]).toContain("risk to others: the behaviour continues");
    const verify = await ok(["verify", "--json"]);
    expect(verify.stdout).not.toContain(code);

    const ann = await newCase(NO, { decide: DECISION, resolve: true });
    await ok(["announce", ann, "--override", "the incident is already public"]);
    expect((await records(ann)).filter((x) => x.type === "note").map((x) => x.body["kind"])).toEqual(["override"]);
    const empty = await run(["announce", ann, "--override", " "]);
    expect(empty.code).toBe(2);
  });

  it("--override describes the case in transparency and leaves a note in it", async () => {
    const w = new World();
    try {
      const [a, b] = [w.person("alice"), w.person("bob")];
      const r2 = await teamRepo(w, [a, b]);
      const go = async (args: string[], stdin?: string) => {
        const r = await w.run(args, { as: a, cwd: r2, now: at(2), ...(stdin ? { stdin } : {}) });
        expect(r.code, r.stderr).toBe(0);
        return r;
      };
      const code = (await go(["new-report", "--from", "-"], reportYaml("x", NO))).stdout.trim();
      await go(["decide", code, "--from", "-"], DECISION);
      await go(["resolve", code, "--from", "-"], RESOLUTION);
      const t = await go(["transparency", "--override", "the reporter asked us by phone; recorded later"]);
      expect(t.stdout).toContain("TITLE-MARKER");
      const shown = JSON.parse((await go(["show", code, "--json"])).stdout) as { records: { type: string; body: { kind?: string; text?: string } }[] };
      expect(shown.records.filter((x) => x.type === "note").map((x) => x.body.kind)).toEqual(["override"]);
    } finally {
      w.cleanup();
    }
  });
});

describe("a later consent change", () => {
  it("is honoured: coc consent yes lets announce, the letter and the description through; show prints the consent line first", async () => {
    const code = await newCase(NO, { decide: DECISION, resolve: true });
    await ok(["consent", code, "--public-statement", "yes", "--contact-reported", "yes", "--transparency", "yes", "--said-by", "reporter", "--how", "e-mail"], { now: at(3) });
    await ok(["announce", code], { now: at(4) });
    await ok(["letter", code, "--to", "reported"], { now: at(4) });
    expect((await ok(["transparency"], { now: at(4) })).stdout).toContain("TITLE-MARKER");
    const show = await ok(["show", code], { now: at(4) });
    expect(show.stdout.split("\n")[0]).toBe("consent: contact reported person: yes · share: venue yes, security not recorded, police no, umbrella not recorded, mediator not recorded · public statement: yes · transparency: yes");
    const consent = (await records(code)).find((x) => x.type === "consent")!;
    expect(consent.body).toEqual({ changes: { contact_reported: "yes", public_statement: "yes", transparency: "yes" }, said_by: "reporter", how: "e-mail" });

    // and back to no: the newest answer wins
    await ok(["consent", code, "--from", "-"], { stdin: "{changes: {public_statement: no}, said_by: reporter, said_at: 2026-06-01T20:00:00Z, how: phone}", now: at(5) });
    expect((await run(["announce", code], { now: at(6) })).code).toBe(1);

    // A change that changes nothing, or says nothing of who said it, is refused naming the field.
    const empty = await run(["consent", code, "--from", "-"], { stdin: "{changes: {}, said_by: reporter}", now: at(7) });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("changes must name at least one part");
    const nobody = await run(["consent", code, "--from", "-"], { stdin: "{changes: {transparency: maybe}}", now: at(7) });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/changes\.transparency: expected yes or no|said_by/);
  });

  it("in a terminal, asks each part with the answers in force, and records who said it", async () => {
    const code = await newCase(NO);
    const prompter = new ScriptedPrompter({
      "consent.contact_reported": "yes",
      "consent.share": ["venue", "mediator"],
      "consent.public_statement": "no",
      "consent.transparency": "yes",
      "consent.followup.channel": "phone",
      "consent.followup.times": "",
    });
    const r = await world.run(["consent", code, "--how", "in person"], { as: alice, cwd: repo, tty: true, prompter, now: at(3) });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.said[0]).toMatch(/^In force now: consent: contact reported person: no/);
    const consent = (await records(code)).find((x) => x.type === "consent")!;
    expect(consent.body).toEqual({
      changes: { contact_reported: "yes", share: { venue: "yes", security: "ask", police: "ask", umbrella: "ask", mediator: "yes" }, public_statement: "no", transparency: "yes", followup: { channel: "phone" } },
      said_by: "reporter",
      how: "in person",
    });
  });

  it("letter in a terminal asks whether it was sent, and records it when it was", async () => {
    const code = await newCase("consent: { contact_reported: yes }\n", { decide: DECISION });
    const prompter = new ScriptedPrompter({ sent: true });
    const r = await world.run(["letter", code, "--to", "reported"], { as: alice, cwd: repo, tty: true, prompter, now: at(3) });
    expect(r.code, r.stderr).toBe(0);
    expect((await records(code)).filter((x) => x.type === "note").map((x) => x.body["kind"])).toEqual(["reported-contact"]);
  });

  it("without a flag and without a terminal names the missing flags (usage error)", async () => {
    const code = await newCase(NO);
    const r = await run(["consent", code]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--from <file|->");
    expect(r.stderr).toContain("--contact-reported");
  });
});

describe("a report without consent (taken before coc asked)", () => {
  it("is not agreement: the refusal says consent is not recorded and how to record it", async () => {
    const code = await newCase("", { decide: DECISION });
    const r = await run(["letter", code, "--to", "reported"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the reporter's consent to the team contacting the reported person is not recorded for case ${code} (its report was taken before coc asked for consent)`);
    expect(r.stderr).toContain(`coc consent ${code} --contact-reported yes --said-by reporter`);
    expect((await ok(["show", code])).stdout.split("\n")[0]).toContain("consent: not recorded");
  });

  it("new-report takes the consent as flags, laid over the file's block", async () => {
    const code = (await ok(["new-report", "--from", "-", "--contact-reported", "yes", "--share", "police=no"], { stdin: reportYaml("flags", "consent: { transparency: yes, share: { venue: yes } }\n") })).stdout.trim();
    const report = (await records(code)).find((x) => x.type === "report")!;
    expect(report.body["consent"]).toEqual({ transparency: "yes", contact_reported: "yes", share: { venue: "yes", police: "no" } });
    const bad = await run(["new-report", "--from", "-", "--share", "press=yes"], { stdin: reportYaml("bad") });
    expect(bad.code).toBe(2);
  });
});

describe("letters for every stage", () => {
  it("letter --kind ack --sent meets the acknowledgement deadline in list", async () => {
    const acked = await newCase("consent: { contact_reported: yes }\n", { decide: DECISION });
    const silent = await newCase("consent: { contact_reported: yes }\n", { decide: DECISION });
    const ack = await ok(["letter", acked, "--to", "reporter", "--kind", "ack", "--sent"], { now: at(1) });
    expect(ack.stdout).toContain("Dear Sam Reporter");
    expect(ack.stdout).toContain("We have received your report");
    expect(ack.stdout).toContain("by 2026-06-08 (within 7 days of your report)");
    expect(ack.stdout).not.toMatch(/we will (ban|remove)/i);
    expect(ack.stderr).toContain("reporter-contact");
    const list = (await ok(["list"], { now: at(30) })).stdout.split("\n");
    expect(list.find((l) => l.startsWith(acked))).not.toContain("acknowledge");
    expect(list.find((l) => l.startsWith(silent))).toContain("acknowledge");

    const update = await ok(["letter", acked, "--to", "reporter", "--kind", "update", "--text", "We have spoken with the people involved."], { now: at(3) });
    expect(update.stdout).toContain("The team has taken a decision");
    expect(update.stdout).toContain("We have spoken with the people involved.");
    const named = await run(["letter", acked, "--to", "reporter", "--kind", "update", "--text", "We spoke with Pat."], { now: at(3) });
    expect(named.code).toBe(1);
    expect(named.stdout).toBe("");
    expect((await run(["letter", acked, "--to", "reported", "--kind", "ack"])).code).toBe(2);
  });
});

describe("the behavioural plan", () => {
  const PLANNED = `${DECISION}plan:
  expectations: [Keep discussions about the code and not the person., Leave any room the other attendee is in.]
  conditions_for_return: [A conversation with two team members.]
  check_ins: [{ due: 2026-06-03T10:00:00Z, what: a call about how it is going }]
  repair: ["A written apology, passed on by the team."]
`;

  it("appears in the letter to the reported person, instead of the fixed wording", async () => {
    const code = await newCase("consent: { contact_reported: yes }\n", { decide: PLANNED });
    const r = await ok(["letter", code, "--to", "reported"]);
    expect(r.stdout).toContain("  - Keep discussions about the code and not the person.");
    expect(r.stdout).toContain("  - Leave any room the other attendee is in.");
    expect(r.stdout).toContain("A conversation with two team members.");
    expect(r.stdout).toContain("A written apology, passed on by the team.");
    expect(r.stdout).toContain("by 2026-06-03: a call about how it is going");
    expect(r.stdout).not.toContain("We expect this behaviour to stop");
  });

  it("a missed check-in shows in list --overdue until a follow-up records it", async () => {
    const code = await newCase("consent: { contact_reported: yes }\n", { decide: PLANNED });
    await ok(["note", code, "--from", "-"], { stdin: "{kind: reporter-contact, text: told them, participants: [alice]}", now: at(1) });
    const soon = await ok(["list", "--overdue"], { now: at(10) });
    expect(soon.stdout).toMatch(new RegExp(`${code}.*due: check-in 0: a call about how it is going`));
    const late = await ok(["list", "--overdue"], { now: at(50) });
    const row = late.stdout.split("\n").find((l) => l.startsWith(code));
    expect(row).toContain("check-in");
    await ok(["followup", code, "--check-in", "0", "--done", "--text", "Called them."], { now: at(51) });
    const after = await ok(["list", "--overdue"], { now: at(52) });
    expect(after.stdout.split("\n").find((l) => l.startsWith(code)) ?? "").not.toContain("check-in");
  });
});
