import { describe, expect, it } from "vitest";
import { caseAudience, readersOf, type Overseer } from "../../src/core/case/audience.js";
import { appealDeadlines, appealOutcomeWarnings } from "../../src/core/case/appeals.js";
import { escalationAdvice } from "../../src/core/case/escalation.js";
import { countedAssessments, softConflicts } from "../../src/core/case/soft-conflicts.js";
import { foldCase } from "../../src/core/case/fold.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord, type RecordType } from "../../src/core/records/schema.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { DEFAULT_DEADLINES } from "../../src/core/repo/config.js";

const ROSTER = ["alice", "bob", "carol"];
const KIM = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const OTHER = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg";
const kim: Overseer = { name: "kim", recipient: KIM, added_at: "2026-05-01T00:00:00Z" };

let n = 0;
function rec(type: RecordType, at: string, author: string, body: unknown, recipients: string[] = ROSTER): CocRecord {
  const created = new Date(at);
  return makeRecord({ type, case: "quiet-otter-42", id: newRecordId(type, new Date(created.getTime() + n++)), author, created_at: created, recipients, body: BODY_SCHEMAS[type].parse(body) });
}
const report = (exclude: string[] = []) => rec("report", "2026-06-01T10:00:00Z", "bob", { incident: { summary: "s", description: "d" }, exclude });
const escalation = (author: string, at = "2026-06-01T11:00:00Z", recipient = KIM) => rec("escalation", at, author, { to: [{ name: "kim", recipient }] });

describe("the audience with oversight people", () => {
  it("nobody on the oversight list reads a case by default", () => {
    expect(caseAudience(ROSTER, [report()], {}, new Map(), [kim]).readers).toEqual(ROSTER);
  });

  it("a verified escalation by a reader adds them, after the members", () => {
    const a = caseAudience(ROSTER, [report(["alice"]), escalation("bob")], {}, new Map(), [kim]);
    expect(a.readers).toEqual(["bob", "carol", "kim"]);
    expect(a.escalated).toEqual(["kim"]);
  });

  it("an escalation by a member the report excludes, or dated before any report, adds nobody", () => {
    expect(caseAudience(ROSTER, [report(["alice"]), escalation("alice")], {}, new Map(), [kim]).readers).toEqual(["bob", "carol"]);
    expect(caseAudience(ROSTER, [report(["alice"]), escalation("bob", "2026-05-31T00:00:00Z")], {}, new Map(), [kim]).readers).toEqual(["bob", "carol"]);
  });

  it("an escalation names a key: someone else under that name, or appointed after it, gets nothing", () => {
    expect(caseAudience(ROSTER, [report(), escalation("bob", undefined, OTHER)], {}, new Map(), [kim]).readers).toEqual(ROSTER);
    const later = { ...kim, added_at: "2026-06-02T00:00:00Z" };
    expect(caseAudience(ROSTER, [report(), escalation("bob")], {}, new Map(), [later]).readers).toEqual(ROSTER);
    // Removed from the list: the escalation gives nothing any more.
    expect(caseAudience(ROSTER, [report(), escalation("bob")], {}, new Map(), []).readers).toEqual(ROSTER);
  });

  it("a summary gives them that record only", () => {
    const summary = rec("summary", "2026-06-01T12:00:00Z", "bob", { to: [{ name: "kim", recipient: KIM }], text: "t" });
    const a = caseAudience(ROSTER, [report(), summary], {}, new Map(), [kim]);
    expect(a.readers).toEqual(ROSTER);
    expect(readersOf(a, summary.id)).toEqual([...ROSTER, "kim"]);
  });
});

describe("soft conflicts", () => {
  it("keep access, and the latest declaration about a member decides", () => {
    const soft = rec("conflict", "2026-06-01T11:00:00Z", "alice", { member: "bob", conflict: true, kind: "soft" });
    expect(caseAudience(ROSTER, [report(), soft]).readers).toEqual(ROSTER);
    expect(softConflicts([report(), soft])).toEqual(["bob"]);
    const cleared = rec("conflict", "2026-06-01T12:00:00Z", "alice", { member: "bob", conflict: false });
    expect(softConflicts([report(), soft, cleared])).toEqual([]);
  });

  it("a vote of a member with a soft conflict counts only with an override", () => {
    const soft = rec("conflict", "2026-06-01T11:00:00Z", "alice", { member: "bob", conflict: true, kind: "soft" });
    const vote = rec("assessment", "2026-06-01T12:00:00Z", "bob", { risk: "high", impact: "high" });
    const overridden = rec("assessment", "2026-06-01T12:00:00Z", "bob", { risk: "high", impact: "high", override: "witnessed it" });
    expect(countedAssessments([report(), soft, vote])).toEqual([]);
    expect(countedAssessments([report(), soft, overridden])).toHaveLength(1);
    expect(foldCase("quiet-otter-42", [report(), soft, vote], DEFAULT_DEADLINES, new Date()).votes).toEqual([]);
  });
});

describe("escalation advice", () => {
  const members = [{ name: "alice", roles: ["lead"] }, { name: "bob", roles: ["responder"] }, { name: "carol", roles: ["responder"] }];
  const oversight = [{ name: "mo", role: "contingent-moderator" }, { name: "kim", role: "board-liaison" }];
  it("when the lead is out, fewer than two unconflicted members read it, or most of the team is out", () => {
    const leadOut = escalationAdvice("quiet-otter-42", { members, audience: { readers: ["bob", "carol"], excluded: ["alice"], recused: [], escalated: [] }, soft: [], oversight });
    expect(leadOut?.reasons).toEqual(["case quiet-otter-42 excludes the lead (alice)"]);
    expect(leadOut?.suggestion).toMatch(/coc escalate quiet-otter-42 --to kim mo {2}\(kim: board-liaison, mo: contingent-moderator/);
    const few = escalationAdvice("quiet-otter-42", { members, audience: { readers: ["alice", "bob", "carol"], excluded: [], recused: [], escalated: [] }, soft: ["bob", "carol"], oversight });
    expect(few?.reasons).toEqual(["only 1 member without a conflict can read case quiet-otter-42 (alice)"]);
    const most = escalationAdvice("quiet-otter-42", { members, audience: { readers: ["alice"], excluded: ["bob"], recused: ["carol"], escalated: [] }, soft: [], oversight: [] });
    expect(most?.reasons).toHaveLength(2);
    expect(most?.suggestion).toMatch(/nobody is on the oversight list yet/);
    expect(escalationAdvice("quiet-otter-42", { members, audience: { readers: ROSTER, excluded: [], recused: [], escalated: [] }, soft: [], oversight })).toBeNull();
    expect(escalationAdvice("quiet-otter-42", { members, audience: { readers: ["bob", "carol", "kim"], excluded: ["alice"], recused: [], escalated: ["kim"] }, soft: [], oversight })).toBeNull();
  });
});

describe("appeals", () => {
  const decision = rec("decision", "2026-06-02T10:00:00Z", "alice", { stage: "final", decided_by: ["alice", "bob"] });
  it("the window runs from the final decision; each appeal is due appeal_decision_days after it arrived", () => {
    const appeal = rec("appeal", "2026-06-05T10:00:00Z", "alice", { by: "reported", grounds: ["other"] });
    const d = appealDeadlines([report(), decision, appeal], { appeal_days: 10, appeal_decision_days: 3 });
    expect(d.map((x) => [x.name, x.due_at, x.met_at])).toEqual([
      ["appeal-window", "2026-06-12T10:00:00Z", "2026-06-05T10:00:00Z"],
      ["appeal", "2026-06-08T10:00:00Z", null],
    ]);
    const s = foldCase("quiet-otter-42", [report(), decision, appeal], { ...DEFAULT_DEADLINES, appeal_decision_days: 3 }, new Date("2026-06-09T00:00:00Z"));
    expect(s.overdue_reasons.some((r) => r.startsWith("appeal:"))).toBe(true);
  });

  it("warns when only the original deciders decide the appeal", () => {
    const outcome = (by: string[]) => BODY_SCHEMAS.appeal_outcome.parse({ result: "upheld", decided_by: by });
    expect(appealOutcomeWarnings(outcome(["bob"]), [report(), decision], ["kim"])).toHaveLength(1);
    expect(appealOutcomeWarnings(outcome(["bob", "kim"]), [report(), decision], ["kim"])).toEqual([]);
    expect(appealOutcomeWarnings(outcome(["carol"]), [report(), decision], ["kim"])).toEqual([]);
  });
});
