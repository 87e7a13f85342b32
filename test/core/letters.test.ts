/**
 * The data and the safety terms of public text, as pure functions: the
 * announcement from the latest resolution, each letter's addressee and the
 * terms it is checked against (the reported person's letter always against
 * every reporter), actions in general terms, and the team's public settings
 * left out of the check.
 */
import { describe, expect, it } from "vitest";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord, type RecordType } from "../../src/core/records/schema.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { configSchema } from "../../src/core/repo/config.js";
import { announcementData } from "../../src/core/reports/announcement.js";
import { buildLetter } from "../../src/core/reports/letters.js";
import { blankPublicSettings, findSensitive, sensitiveTerms } from "../../src/core/reports/safety.js";

const CODE = "quiet-otter-42";
let n = 0;
function rec(type: RecordType, at: string, body: unknown): CocRecord {
  const created = new Date(at);
  return makeRecord({ type, case: CODE, id: newRecordId(type, new Date(created.getTime() + n++)), author: "alice", created_at: created, recipients: ["alice"], body: BODY_SCHEMAS[type].parse(body) });
}

const config = configSchema.parse({ coc: 1, event: { name: "Test Conf" }, contact: "care@example.org", ladder: "cc2.1" });

const report = (reporter: object, people: object[] = [{ name: "Pat Example", role: "reported" }], witnesses: object[] = []) =>
  rec("report", "2026-06-01T10:00:00Z", { reporter, incident: { summary: "s", description: "d", people, witnesses } });
const decision = (at: string, body: object) => rec("decision", at, { decided_by: ["alice", "bob"], ...body });

const terms = (list: { term: string }[]) => list.map((t) => t.term);

describe("announcementData", () => {
  it("takes the latest resolution's public fields as clauses, with the public settings (null when unset)", () => {
    const records = [
      report({ name: "Sam Reporter" }),
      rec("resolution", "2026-06-02T10:00:00Z", { public: { statement: "none" }, transparency: { include: false } }),
      rec("resolution", "2026-06-03T10:00:00Z", { public: { statement: "announcement", thing: " a thing happened. ", action: "we acted." }, transparency: { include: false } }),
    ];
    expect(announcementData(CODE, records, config)).toEqual({
      event: { name: "Test Conf", starts_on: null, ends_on: null },
      policy_url: null,
      contact: "care@example.org",
      public: { thing: "a thing happened", action: "we acted" },
    });
  });

  it("refuses no resolution, statement none, and a missing thing or action", () => {
    const base = [report({ name: "Sam Reporter" })];
    expect(() => announcementData(CODE, base, config)).toThrow(/no resolution yet/);
    const res = (pub: object) => [...base, rec("resolution", "2026-06-02T10:00:00Z", { public: pub, transparency: { include: false } })];
    expect(() => announcementData(CODE, res({ statement: "none", thing: "t", action: "a" }), config)).toThrow(/no public statement/);
    expect(() => announcementData(CODE, res({ statement: "announcement", thing: "t" }), config)).toThrow(/no public\.action/);
  });
});

describe("buildLetter", () => {
  const final = decision("2026-06-02T10:00:00Z", {
    stage: "final",
    violation: "yes",
    finding: "Comments were made.",
    actions: [{ level: "temporary ban", duration: "12 months", detail: "not at the Friday social" }, { level: "other", detail: "write an apology" }, { level: "Warning" }],
  });

  it("tells the latest final decision (over a later interim one), actions in general terms: never a ladder action's detail", () => {
    const interim = decision("2026-06-03T10:00:00Z", { stage: "interim", finding: "Interim.", actions: [{ level: "warning" }] });
    const letter = buildLetter(CODE, [report({ name: "Sam Reporter" }), final, interim], config, "reported");
    expect(letter.template).toBe("letter-reported.hbs");
    expect(letter.data.decision).toEqual({
      stage: "final",
      violation: "yes",
      finding: "Comments were made.",
      reasoning: null,
      actions: [
        { level: "temporary ban", duration: "12 months", text: "temporary ban (12 months)" },
        { level: "write an apology", duration: null, text: "write an apology" },
        { level: "Warning", duration: null, text: "Warning" },
      ],
    });
    expect(JSON.stringify(letter.data)).not.toContain("Friday");
  });

  it("to the reported person: named when they are the only one reported; every reporter, witness and other person is checked, whatever keep_private says", () => {
    const records = [
      report({ name: "Sam Reporter", contact: "sam@example.org", keep_private: false }, [{ name: "Pat Example", role: "reported" }, { name: "Kim Other", role: "affected" }], [{ name: "Lee Witness" }]),
      report({ name: "Riley Second", contact: "@riley" }, [{ name: "pat  example", role: "Reported" }]),
      final,
    ];
    const letter = buildLetter(CODE, records, config, "reported");
    expect(letter.data.name).toBe("Pat Example");
    const t = terms(letter.terms);
    for (const expected of ["Sam Reporter", "Sam", "sam@example.org", "Riley Second", "Riley", "@riley", "riley", "Kim Other", "Lee Witness"]) expect(t).toContain(expected);
    expect(t).not.toContain("Pat Example");
    expect(t).not.toContain("Pat");
  });

  it("to the reported person: with two people reported, nobody is named and nobody is left out of the check", () => {
    const records = [report({ name: "Sam Reporter" }, [{ name: "Pat Example", role: "reported" }, { name: "Jamie Example", role: "reported" }]), final];
    const letter = buildLetter(CODE, records, config, "reported");
    expect(letter.data.name).toBeNull();
    expect(terms(letter.terms)).toEqual(expect.arrayContaining(["Pat Example", "Jamie Example", "Sam Reporter"]));
  });

  it("to the reporter: named (and their own name and contact unchecked) only when every report is theirs", () => {
    const one = buildLetter(CODE, [report({ name: "Sam Reporter", contact: "sam@example.org" }), final], config, "reporter");
    expect(one.data.name).toBe("Sam Reporter");
    expect(terms(one.terms)).not.toContain("Sam");
    expect(terms(one.terms)).not.toContain("sam@example.org");
    expect(terms(one.terms)).toContain("Pat");

    const two = buildLetter(CODE, [report({ name: "Sam Reporter" }), report({ name: "Riley Second" }), final], config, "reporter");
    expect(two.data.name).toBeNull();
    expect(terms(two.terms)).toEqual(expect.arrayContaining(["Sam", "Riley"]));

    const anonymous = buildLetter(CODE, [report({ anonymous: true, name: "Sam Reporter" }), final], config, "reporter");
    expect(anonymous.data.name).toBeNull();
  });

  it("refuses no decision, and a letter to the reported person without a finding", () => {
    expect(() => buildLetter(CODE, [report({ name: "Sam Reporter" })], config, "reporter")).toThrow(/no decision yet/);
    const bare = [report({ name: "Sam Reporter" }), decision("2026-06-02T10:00:00Z", { stage: "final" })];
    expect(() => buildLetter(CODE, bare, config, "reported")).toThrow(/no finding/);
    // The reporter's letter has no finding at all (deliberate change: it shows outcome_for_reporter instead).
    expect(buildLetter(CODE, bare, config, "reporter").data.decision).not.toHaveProperty("finding");
    expect(buildLetter(CODE, bare, config, "reporter").data.decision.outcome).toBeNull();
  });
});

describe("blankPublicSettings", () => {
  it("leaves the team's own settings out of the check, and nothing else", () => {
    const t = sensitiveTerms(CODE, [report({ name: "Sam Reporter" })]);
    const text = "Write to CARE@example.org. Example: none.";
    expect(findSensitive(text, t).map((h) => h.count)).toEqual([2]);
    expect(findSensitive(blankPublicSettings(text, ["care@example.org", null]), t).map((h) => [h.term, h.count])).toEqual([["Example", 1]]);
  });
});
