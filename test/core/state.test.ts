import { describe, expect, it } from "vitest";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord, type RecordType } from "../../src/core/records/schema.js";
import { foldCase } from "../../src/core/records/state.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { DEFAULT_DEADLINES } from "../../src/core/repo/config.js";

let n = 0;
function rec(type: RecordType, at: string, body: unknown, author = "alice"): CocRecord {
  const created = new Date(at);
  return makeRecord({ type, case: "quiet-otter-42", id: newRecordId(type, new Date(created.getTime() + n++)), author, created_at: created, recipients: ["alice", "bob", "carol"], body: BODY_SCHEMAS[type].parse(body) as never }) as CocRecord;
}

const report = (received: string, extra: object = {}) => rec("report", received, { received_at: received, reporter: { contact: "r@example.org" }, incident: { summary: "s", description: "d" }, ...extra });

describe("foldCase", () => {
  it("walks new → in-review → decided → resolved → closed", () => {
    const r = [report("2026-06-01T23:30:00Z")];
    const at = (s: string) => foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date(s));
    expect(at("2026-06-01T23:31:00Z").state).toBe("new");
    r.push(rec("assessment", "2026-06-02T01:00:00Z", { risk: "high", impact: "low" }, "alice"));
    r.push(rec("assessment", "2026-06-02T01:05:00Z", { risk: "high", impact: "high" }, "bob"));
    r.push(rec("assessment", "2026-06-02T01:06:00Z", { risk: "low", impact: "high" }, "carol"));
    const review = at("2026-06-02T01:10:00Z");
    expect(review.state).toBe("in-review");
    expect(review.risk).toBe("high");
    expect(review.impact).toBe("high");
    r.push(rec("decision", "2026-06-02T02:00:00Z", { stage: "final", actions: [{ level: "warning" }, { level: "cancel the talk" }] }));
    expect(at("2026-06-02T03:00:00Z").state).toBe("decided");
    r.push(rec("resolution", "2026-06-03T10:00:00Z", { reporter_informed_at: "2026-06-03T10:00:00Z", transparency: { include: true, category: "verbal harassment" } }));
    const resolved = at("2026-06-03T11:00:00Z");
    expect(resolved.state).toBe("resolved");
    expect(resolved.category).toBe("verbal harassment");
    r.push(rec("followup", "2026-06-03T12:00:00Z", { action: 0, done_at: "2026-06-03T12:00:00Z" }));
    expect(at("2026-06-03T12:01:00Z").state).toBe("resolved");
    r.push(rec("followup", "2026-06-03T12:30:00Z", { action: "Cancel the talk", done_at: "2026-06-03T12:30:00Z" }));
    const closed = at("2026-06-20T00:00:00Z");
    expect(closed.state).toBe("closed");
    expect(closed.overdue).toBe(false);
  });

  it("counts the 12-hour first-action deadline across midnight, in UTC", () => {
    // Received 23:30 UTC on 1 June (01:30 on 2 June in Berlin): due 11:30 UTC on 2 June.
    const r = [report("2026-06-01T23:30:00Z")];
    const s = foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date("2026-06-02T11:29:59Z"));
    expect(s.deadlines.find((d) => d.name === "first-action")?.due_at).toBe("2026-06-02T11:30:00Z");
    expect(s.overdue).toBe(false);
    const late = foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date("2026-06-02T11:30:01Z"));
    expect(late.overdue).toBe(true);
    expect(late.overdue_reasons[0]).toMatch(/^first-action: a first decision within 12 h/);
  });

  it("uses the earliest report across time zones and the configured deadlines", () => {
    const r = [report("2026-06-02T08:00:00+02:00"), report("2026-06-02T05:00:00Z")];
    const s = foldCase("quiet-otter-42", r, { first_action_hours: 2, acknowledge_hours: 4, outcome_days: 1 }, new Date("2026-06-02T09:30:00Z"));
    expect(s.received_at).toBe("2026-06-02T05:00:00Z");
    expect(s.reports).toBe(2);
    expect(s.overdue_reasons.map((x) => x.split(":")[0])).toEqual(["first-action", "acknowledge"]);
  });

  it("a note of kind reporter-contact meets the acknowledgement deadline; anonymous reports have none", () => {
    const r = [report("2026-06-01T10:00:00Z"), rec("note", "2026-06-01T12:00:00Z", { kind: "reporter-contact", text: "called them" })];
    const s = foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date("2026-06-03T00:00:00Z"));
    expect(s.deadlines.find((d) => d.name === "acknowledge")?.met_at).toBe("2026-06-01T12:00:00Z");
    expect(s.overdue_reasons.map((x) => x.split(":")[0])).toEqual(["first-action"]);
    const anon = rec("report", "2026-06-01T10:00:00Z", { reporter: { anonymous: true }, incident: { summary: "s", description: "d" } });
    const a = foldCase("quiet-otter-42", [anon], DEFAULT_DEADLINES, new Date("2026-06-30T00:00:00Z"));
    expect(a.deadlines.map((d) => d.name)).toEqual(["first-action"]);
  });

  it("collects exclusions and recusals; the latest vote of each reviewer counts", () => {
    const r = [
      report("2026-06-01T10:00:00Z", { exclude: ["dave"] }),
      rec("conflict", "2026-06-01T11:00:00Z", { member: "carol", conflict: true }),
      rec("conflict", "2026-06-01T11:01:00Z", { member: "bob", conflict: false }),
      rec("assessment", "2026-06-01T12:00:00Z", { risk: "low", impact: "low" }, "alice"),
      rec("assessment", "2026-06-01T12:30:00Z", { risk: "high", impact: "low" }, "alice"),
    ];
    const s = foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date("2026-06-01T13:00:00Z"));
    expect(s.excluded).toEqual(["dave"]);
    expect(s.recused).toEqual(["carol"]);
    expect(s.votes).toEqual([{ author: "alice", risk: "high", impact: "low" }]);
    expect(s.risk).toBe("high");
  });
});
