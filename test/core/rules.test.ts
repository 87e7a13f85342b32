import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { userMessage } from "../../src/cli/errors.js";
import { checkRules, decisionWarnings, ladderLevel, noteWarnings, type RuleContext } from "../../src/core/case/rules.js";
import { BODY_SCHEMAS, type DecisionBody, type NoteBody, type RecordType } from "../../src/core/records/schema.js";
import { LADDERS, LADDER_NAMES } from "../../src/core/repo/config.js";

const ROSTER = ["alice", "bob", "carol", "dave"];

function ctx(over: Partial<RuleContext> = {}): RuleContext {
  return { roster: ROSTER, outOfCase: [], readers: ROSTER, ladder: LADDERS.care, actions: [], ...over };
}

/** The body as the schema outputs it (defaults filled in), as the workspace passes it. */
function body(type: RecordType, input: unknown): unknown {
  return BODY_SCHEMAS[type].parse(input);
}
const note = (input: object) => body("note", { text: "t", ...input }) as NoteBody;
const decision = (input: object) => body("decision", input) as DecisionBody;

/** Runs checkRules and returns the UserError's message (or null when it passes). */
function failure(type: RecordType, input: unknown, c: RuleContext = ctx(), prefix?: string): string | null {
  try {
    checkRules(type, body(type, input), c, "case.yaml", prefix);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    // As the CLI shows it: the core's message and the CLI's hint.
    return userMessage(e as UserError);
  }
}

describe("checkRules: members must be on the roster", () => {
  it("accepts roster members everywhere a member is named", () => {
    expect(failure("note", { text: "t", kind: "meeting", participants: ["alice", "bob"], attendees: ["alice", "bob", "carol"] })).toBeNull();
    expect(
      failure("decision", {
        decided_by: ["alice", "bob"],
        lead_agreement: { by: "carol" },
        actions: [{ level: "cancel the talk", owner: "dave" }],
        urgent: { acted_alone: ["alice"], ratify_by: "2026-06-02T10:00:00Z" },
      }),
    ).toBeNull();
    expect(failure("conflict", { member: "dave", conflict: true })).toBeNull();
  });

  it.each([
    ["note participants", "note", { text: "t", participants: ["alice", "mallory"] }, "participants[1]"],
    ["note attendees", "note", { text: "t", attendees: ["mallory"] }, "attendees[0]"],
    ["decided_by", "decision", { decided_by: ["alice", "bob", "mallory"] }, "decided_by[2]"],
    ["lead_agreement.by", "decision", { lead_agreement: { by: "mallory" } }, "lead_agreement.by"],
    ["actions[i].owner", "decision", { actions: [{ level: "no action" }, { level: "cancel the talk", owner: "mallory" }] }, "actions[1].owner"],
    ["urgent.acted_alone", "decision", { urgent: { acted_alone: ["mallory"], ratify_by: "2026-06-02T10:00:00Z" } }, "urgent.acted_alone[0]"],
    ["conflict member", "conflict", { member: "mallory", conflict: true }, "member"],
  ] as const)("refuses an unknown member in %s, naming the source and the field", (_what, type, input, field) => {
    const message = failure(type, input);
    expect(message).toBe(`case.yaml: ${field}: "mallory" is not a team member (see \`coc team list\`)`);
  });

  it("prefixes the field inside a review file", () => {
    expect(failure("decision", { decided_by: ["mallory"] }, ctx(), "decision")).toContain("case.yaml: decision.decided_by[0]:");
    expect(failure("note", { text: "t", attendees: ["mallory"] }, ctx(), "note")).toContain("case.yaml: note.attendees[0]:");
  });

  it("member names are matched exactly (the roster is the source of names)", () => {
    expect(failure("decision", { decided_by: ["Alice"] })).toContain('decided_by[0]: "Alice" is not a team member');
  });
});

describe("checkRules: decision levels come from the team's ladder", () => {
  it("matches ladder levels without regard to case or surrounding space", () => {
    expect(failure("decision", { actions: [{ level: "Cancel The Talk" }, { level: "  NO ACTION " }] })).toBeNull();
    expect(ladderLevel(LADDERS.care, "DO NOT PUBLISH THE TALK'S VIDEO")?.level).toBe("do not publish the talk's video");
    expect(ladderLevel(LADDERS["cc2.1"], "Temporary Ban")).toEqual({ level: "temporary ban", temporary: true });
    expect(ladderLevel(LADDERS.care, "warning")).toBeUndefined();
  });

  it("refuses a level of another ladder, naming the field and listing the team's levels", () => {
    const message = failure("decision", { actions: [{ level: "no action" }, { level: "permanent ban" }] });
    expect(message).toContain('case.yaml: actions[1].level: "permanent ban" is not a level of the team\'s ladder (no action, demand the behaviour stops');
    expect(message).toContain('use level "other" with a detail');
  });

  it('"other" (any case) is free text and needs a detail', () => {
    expect(failure("decision", { actions: [{ level: "other", detail: "a written apology to the reporter" }] })).toBeNull();
    expect(failure("decision", { actions: [{ level: "Other", detail: "x" }] })).toBeNull();
    expect(failure("decision", { actions: [{ level: "other" }] })).toBe('case.yaml: actions[0].detail: a free-text action (level "other") needs a detail saying what');
    expect(failure("decision", { actions: [{ level: "OTHER", detail: "   " }] })).toContain("actions[0].detail: a free-text action");
  });

  const temporary = LADDER_NAMES.flatMap((name) => LADDERS[name].filter((l) => "temporary" in l && l.temporary).map((l) => [name, l.level] as const));

  it("knows which ladders have temporary levels", () => {
    expect(temporary).toEqual([
      ["cc2.1", "temporary ban"],
      ["cc3", "temporarily limited activities"],
      ["cc3", "temporary suspension"],
    ]);
  });

  it.each(temporary)("%s: %s needs a duration", (name, level) => {
    const c = ctx({ ladder: LADDERS[name] });
    expect(failure("decision", { actions: [{ level }] }, c)).toBe(`case.yaml: actions[0].duration: "${level}" is temporary: say for how long (e.g. "12 months")`);
    expect(failure("decision", { actions: [{ level: level.toUpperCase(), duration: " " }] }, c)).toContain("actions[0].duration");
    expect(failure("decision", { actions: [{ level: level.toUpperCase(), duration: "12 months" }] }, c)).toBeNull();
    // The register must be able to tell when it ends: a duration it can count, or ends_at.
    expect(failure("decision", { actions: [{ level, duration: "until the next conference" }] }, c)).toContain('actions[0].duration: "until the next conference" is not a duration such as "12 months"');
    expect(failure("decision", { actions: [{ level, duration: "until the next conference", ends_at: "2027-06-01T00:00:00Z" }] }, c)).toBeNull();
    expect(failure("decision", { actions: [{ level, ends_at: "2027-06-01T00:00:00Z", permanent: true }] }, c)).toContain("actions[0].");
  });

  it("a consequence names its platforms from config.yaml, a person of the reports, and an end after its start", () => {
    const c = ctx({ ladder: LADDERS["cc2.1"], platforms: ["github", "discord"], people: [{ name: "Pat Doe", role: "reported" }, { name: "Jo Roe", role: "reported" }] });
    const ban = (extra: object) => failure("decision", { actions: [{ level: "permanent ban", ...extra }] }, c);
    expect(ban({ subject: 0, scope: "online", platforms: ["GitHub"] })).toBeNull();
    expect(ban({ subject: "pat doe", scope: "online", platforms: ["myspace"] })).toContain('actions[0].platforms[0]: "myspace" is not one of the team\'s platforms (github, discord)');
    expect(ban({ scope: "event" })).toContain("actions[0].subject: say whom it applies to");
    expect(ban({ subject: 2, scope: "event" })).toContain("actions[0].subject: there is no person 2");
    expect(ban({ subject: "Kim", scope: "event" })).toContain('no person of the case\'s reports is named "Kim"');
    expect(ban({ subject: 0, scope: "event", platforms: ["github"] })).toContain('scope "event" applies to no online platform');
    expect(failure("decision", { actions: [{ level: "temporary ban", subject: 0, starts_at: "2026-06-02T00:00:00Z", ends_at: "2026-06-01T00:00:00Z" }] }, c)).toContain("is not after starts_at");
  });

  it.each(LADDER_NAMES)("%s: every permanent level needs no duration", (name) => {
    const c = ctx({ ladder: LADDERS[name] });
    const levels = LADDERS[name].filter((l) => !("temporary" in l && l.temporary)).map((l) => ({ level: l.level }));
    expect(failure("decision", { actions: levels }, c)).toBeNull();
  });

  it("the care ladder has no temporary level", () => {
    expect(LADDERS.care.some((l) => "temporary" in l)).toBe(false);
  });
});

describe("checkRules: a follow-up names an action of the decision in force", () => {
  const actions = [{ level: "warning" }, { level: "Temporary ban" }];

  it("accepts an index in range and the text of an action, case-insensitively", () => {
    expect(failure("followup", { action: 0 }, ctx({ actions }))).toBeNull();
    expect(failure("followup", { action: 1 }, ctx({ actions }))).toBeNull();
    expect(failure("followup", { action: " temporary BAN " }, ctx({ actions }))).toBeNull();
  });

  it("refuses an index out of range, saying how many actions there are", () => {
    expect(failure("followup", { action: 2 }, ctx({ actions }))).toBe("case.yaml: action: there is no action 2 (the decision in force has 2 actions, numbered from 0)");
    expect(failure("followup", { action: 0 }, ctx({ actions: [] }))).toContain("has 0 actions");
    expect(failure("followup", { action: 1 }, ctx({ actions: [{ level: "warning" }] }))).toContain("has 1 action, numbered");
  });

  it("refuses text that names no action", () => {
    expect(failure("followup", { action: "permanent ban" }, ctx({ actions }))).toBe('case.yaml: action: no action of the decision in force is "permanent ban"');
    expect(failure("followup", { action: "warning" }, ctx({ actions }), "followup")).toBeNull();
    expect(failure("followup", { action: "x" }, ctx({ actions }), "followup")).toContain("case.yaml: followup.action:");
  });
});

describe("checkRules: other record types have no team rules", () => {
  it("assessments and resolutions pass", () => {
    expect(failure("assessment", { risk: "high", impact: "low" })).toBeNull();
    expect(failure("resolution", { transparency: { include: false } })).toBeNull();
  });
});

describe("noteWarnings", () => {
  it("warns when a conversation with the reported person has fewer than two participants", () => {
    expect(noteWarnings(note({ kind: "reported-contact", participants: ["alice"] }))).toEqual([
      "a conversation with the reported person should be held by two team members; participants: alice",
    ]);
    expect(noteWarnings(note({ kind: "reported-contact" }))).toEqual(["a conversation with the reported person should be held by two team members; participants: none"]);
    expect(noteWarnings(note({ kind: "conversation", participants: ["bob"] }))).toEqual(["a conversation should be held by two team members; participants: bob"]);
  });

  it("is quiet with two participants, and for other kinds of note", () => {
    expect(noteWarnings(note({ kind: "reported-contact", participants: ["alice", "bob"] }))).toEqual([]);
    expect(noteWarnings(note({ kind: "conversation", participants: ["alice", "bob", "carol"] }))).toEqual([]);
    for (const kind of ["meeting", "reporter-contact", "witness-contact", "other"]) expect(noteWarnings(note({ kind }))).toEqual([]);
  });
});

describe("decisionWarnings", () => {
  it("is quiet for two or more members who are not recused", () => {
    expect(decisionWarnings(decision({ decided_by: ["alice", "bob"] }), ctx())).toEqual([]);
    expect(decisionWarnings(decision({ decided_by: ["alice", "bob", "carol"] }), ctx({ outOfCase: ["dave"] }))).toEqual([]);
  });

  it("warns for fewer than two deciders", () => {
    expect(decisionWarnings(decision({ decided_by: ["alice"] }), ctx())).toEqual(["a decision should be taken by at least two members who are not recused; decided by: alice"]);
    expect(decisionWarnings(decision({}), ctx())).toEqual(["a decision should be taken by at least two members who are not recused; decided by: nobody"]);
  });

  it("recused or excluded deciders do not count toward the two", () => {
    expect(decisionWarnings(decision({ decided_by: ["alice", "carol"] }), ctx({ outOfCase: ["carol"] }))).toEqual([
      "a decision should be taken by at least two members who are not recused; decided by: alice",
    ]);
  });

  it("refuses a recused or excluded member in decided_by or as the agreeing lead", () => {
    expect(() => checkRules("decision", decision({ decided_by: ["alice", "carol"] }), ctx({ outOfCase: ["carol"] }), "d.yaml")).toThrow(
      "d.yaml: decided_by[1]: carol is recused or excluded from the case and cannot decide it",
    );
    expect(() => checkRules("decision", decision({ decided_by: ["alice", "bob"], lead_agreement: { by: "carol", at: "2026-06-01T10:00:00Z" } }), ctx({ outOfCase: ["carol"] }), "d.yaml")).toThrow(
      "d.yaml: lead_agreement.by: carol is recused or excluded from the case and cannot decide it",
    );
  });

  it("an urgent decision by one member is exempt from the two-member warning", () => {
    const urgent = { urgent: { acted_alone: ["alice"], ratify_by: "2026-06-02T10:00:00Z" } };
    expect(decisionWarnings(decision({ decided_by: ["alice"], ...urgent }), ctx())).toEqual([]);
    expect(decisionWarnings(decision({ ...urgent }), ctx())).toEqual([]);
    expect(decisionWarnings(decision({ decided_by: ["carol"], ...urgent }), ctx({ outOfCase: ["carol"] }))).toEqual([]);
  });
});
