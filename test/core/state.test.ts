import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord, type RecordType } from "../../src/core/records/schema.js";
import { foldCase } from "../../src/core/case/fold.js";
import { sortRecords } from "../../src/core/records/order.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { DEFAULT_DEADLINES } from "../../src/core/repo/config.js";

let n = 0;
function rec(type: RecordType, at: string, body: unknown, author = "alice"): CocRecord {
  const created = new Date(at);
  return makeRecord({ type, case: "quiet-otter-42", id: newRecordId(type, new Date(created.getTime() + n++)), author, created_at: created, recipients: ["alice", "bob", "carol"], body: BODY_SCHEMAS[type].parse(body) });
}

const report = (received: string, extra: object = {}) => rec("report", received, { received_at: received, reporter: { contact: "r@example.org" }, incident: { summary: "s", description: "d" }, ...extra });

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

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

  it("counts no vote by a member the case excludes or recuses (the reported member cannot vote in their own case; a recusal withdraws a vote)", () => {
    const r = [
      report("2026-06-01T10:00:00Z", { exclude: ["bob"] }),
      rec("assessment", "2026-06-01T11:00:00Z", { risk: "low", impact: "low" }, "alice"),
      rec("assessment", "2026-06-01T11:05:00Z", { risk: "high", impact: "high" }, "carol"),
      rec("assessment", "2026-06-01T11:06:00Z", { risk: "low", impact: "low" }, "bob"),
    ];
    const at = () => foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date("2026-06-01T12:00:00Z"));
    expect(at().votes.map((v) => v.author).sort()).toEqual(["alice", "carol"]);
    r.push(rec("conflict", "2026-06-01T11:30:00Z", { member: "carol", conflict: true, reason: "a friend" }, "alice"));
    expect(at().votes.map((v) => v.author)).toEqual(["alice"]);
    expect(at().risk).toBe("low");
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

describe("the ratify deadline of an urgent decision", () => {
  const urgent = (at: string, ratifyBy: string, extra: object = {}) =>
    rec("decision", at, { stage: "interim", decided_by: ["alice"], actions: [{ level: "remove from the event without refund" }], urgent: { acted_alone: ["alice"], ratify_by: ratifyBy }, ...extra });
  // An anonymous report without contact: only the first-action and ratify deadlines apply.
  const anonymous = () => rec("report", "2026-06-01T22:00:00Z", { received_at: "2026-06-01T22:00:00Z", reporter: { anonymous: true }, incident: { summary: "s", description: "d" } });
  const base = () => [anonymous(), urgent("2026-06-01T23:00:00Z", "2026-06-02T23:00:00Z")];
  const fold = (r: CocRecord[], now: string) => foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date(now));
  const ratify = (s: ReturnType<typeof fold>) => s.deadlines.filter((d) => d.name === "ratify");

  it("is due at ratify_by and names who acted alone", () => {
    const [d] = ratify(fold(base(), "2026-06-02T12:00:00Z"));
    expect(d).toEqual({
      name: "ratify",
      what: "the urgent decision by alice ratified by at least two members",
      due_at: "2026-06-02T23:00:00Z",
      met_at: null,
      overdue: false,
    });
    // The urgent decision itself is the first action.
    expect(fold(base(), "2026-06-02T12:00:00Z").overdue).toBe(false);
  });

  it("is overdue after ratify_by without a later decision of two", () => {
    expect(fold(base(), "2026-06-02T23:00:00Z").overdue).toBe(false);
    const late = fold(base(), "2026-06-02T23:00:01Z");
    expect(late.overdue).toBe(true);
    expect(late.overdue_reasons).toEqual(["ratify: the urgent decision by alice ratified by at least two members (due 2026-06-02T23:00:00Z)"]);
  });

  it("is met by a later non-urgent decision with two deciders", () => {
    const r = [...base(), rec("decision", "2026-06-02T20:00:00Z", { stage: "final", decided_by: ["alice", "bob"], actions: [{ level: "remove from the event without refund" }] })];
    const s = fold(r, "2026-06-05T00:00:00Z");
    expect(ratify(s)[0]).toMatchObject({ met_at: "2026-06-02T20:00:00Z", overdue: false });
    expect(s.overdue_reasons.some((x) => x.startsWith("ratify"))).toBe(false);
  });

  it("is not met by a later decision of one, by a later urgent decision of two, or by an earlier decision of two", () => {
    const alone = [...base(), rec("decision", "2026-06-02T20:00:00Z", { decided_by: ["bob"] })];
    expect(ratify(fold(alone, "2026-06-03T00:00:00Z"))[0]?.overdue).toBe(true);
    const urgentTwo = [...base(), urgent("2026-06-02T20:00:00Z", "2026-06-03T20:00:00Z", { decided_by: ["alice", "bob"] })];
    const s = fold(urgentTwo, "2026-06-03T00:00:00Z");
    expect(ratify(s).map((d) => d.overdue)).toEqual([true, false]);
    const earlier = [anonymous(), rec("decision", "2026-06-01T22:30:00Z", { decided_by: ["alice", "bob"] }), urgent("2026-06-01T23:00:00Z", "2026-06-02T23:00:00Z")];
    expect(ratify(fold(earlier, "2026-06-03T00:00:00Z"))[0]).toMatchObject({ met_at: null, overdue: true });
  });

  it("is never overdue once the case is closed", () => {
    const r = [
      ...base(),
      rec("resolution", "2026-06-02T10:00:00Z", { reporter_informed_at: "2026-06-02T10:00:00Z", transparency: { include: false } }),
      rec("followup", "2026-06-02T11:00:00Z", { action: 0, done_at: "2026-06-02T11:00:00Z" }),
    ];
    const s = fold(r, "2026-06-10T00:00:00Z");
    expect(s.state).toBe("closed");
    expect(ratify(s)[0]).toMatchObject({ met_at: null, overdue: false });
    expect(s.overdue).toBe(false);
    // Resolved but not closed (an action still open): still overdue.
    const open = fold(r.slice(0, 3), "2026-06-10T00:00:00Z");
    expect(open.state).toBe("resolved");
    expect(open.overdue_reasons.map((x) => x.split(":")[0])).toEqual(["ratify"]);
  });
});

describe("times across midnight and time zones", () => {
  it("stores every time as UTC, whatever offset it was given in", () => {
    const r = rec("report", "2026-06-02T01:30:00+02:00", { received_at: "2026-06-02T01:30:00+02:00", reporter: { contact: "r@example.org" }, incident: { summary: "s", description: "d" } });
    expect(r.created_at).toBe("2026-06-01T23:30:00Z");
    expect(r.type === "report" && r.body.received_at).toBe("2026-06-01T23:30:00Z");
    const d = BODY_SCHEMAS.decision.parse({ urgent: { acted_alone: ["alice"], ratify_by: "2026-06-02T08:00:00-05:00" } });
    expect(d.urgent?.ratify_by).toBe("2026-06-02T13:00:00Z");
  });

  it("folds the same records to the same summary whatever offset their times were written in", () => {
    // The same instants: a report at 23:30 UTC on 1 June, seen from Berlin, from New York and in UTC.
    const inZone = (received: string, decided: string) => [
      rec("report", received, { received_at: received, reporter: { contact: "r@example.org" }, incident: { summary: "s", description: "d" } }),
      rec("decision", decided, { decided_by: ["alice", "bob"] }),
    ];
    const zones = [
      inZone("2026-06-01T23:30:00Z", "2026-06-02T11:45:00Z"),
      inZone("2026-06-02T01:30:00+02:00", "2026-06-02T13:45:00+02:00"),
      inZone("2026-06-01T19:30:00-04:00", "2026-06-02T07:45:00-04:00"),
    ];
    const folded = zones.map((r) => foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date("2026-06-02T12:00:00Z")));
    for (const s of folded) {
      expect(s.received_at).toBe("2026-06-01T23:30:00Z");
      const first = s.deadlines.find((d) => d.name === "first-action")!;
      // 12 h after 23:30 UTC is 11:30 UTC the next day: the decision at 11:45 UTC came after it...
      expect(first).toMatchObject({ due_at: "2026-06-02T11:30:00Z", met_at: "2026-06-02T11:45:00Z", overdue: false });
      // ...but it was met, so only unmet deadlines count as overdue.
      expect(s.overdue).toBe(false);
    }
    expect(folded[1]).toEqual(folded[0]);
    expect(folded[2]).toEqual(folded[0]);
  });

  it("an instant given without an offset is read as local time, then stored as UTC", () => {
    const parsed = BODY_SCHEMAS.report.parse({ received_at: "2026-06-01T23:30", incident: { summary: "s", description: "d" } });
    expect(parsed.received_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
    expect(parsed.received_at).toBe(new Date(2026, 5, 1, 23, 30).toISOString().replace(/\.\d{3}Z$/, "Z"));
  });
});

describe("recusals stick", () => {
  it("a later 'no conflict' (from a clone that had not pulled the recusal) does not lift it; only recused: false does", () => {
    const r = [
      report("2026-06-01T10:00:00Z"),
      rec("conflict", "2026-06-01T11:00:00Z", { member: "carol", conflict: true }),
      rec("conflict", "2026-06-01T11:05:00Z", { member: "carol", conflict: false }),
    ];
    expect(foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date("2026-06-01T12:00:00Z")).recused).toEqual(["carol"]);
    r.push(rec("conflict", "2026-06-01T11:10:00Z", { member: "carol", conflict: false, recused: false }));
    expect(foldCase("quiet-otter-42", r, DEFAULT_DEADLINES, new Date("2026-06-01T12:00:00Z")).recused).toEqual([]);
  });
});

describe("record order", () => {
  it("records of the same second follow the process (report first, resolution last), the same on every machine", () => {
    const at = "2026-06-01T10:00:00Z";
    const r = [
      rec("resolution", at, { transparency: { include: false } }),
      rec("decision", at, { stage: "final" }),
      rec("note", at, { text: "n" }),
      rec("assessment", at, { risk: "low", impact: "low" }),
      rec("conflict", at, { member: "bob", conflict: false }),
      report(at),
    ];
    expect(sortRecords(r).map((x) => x.type)).toEqual(["report", "conflict", "assessment", "note", "decision", "resolution"]);
  });

  it("is the same whatever the machine's language: ids compare by their characters, not by a locale's collation", () => {
    // Estonian collation puts z between s and t: two notes of one second would be ordered differently there.
    // (The built module, in a process started with that language: npm test builds first.)
    const script = `import("${pathToFileURL(join(ROOT, "dist", "core", "records", "order.js")).href}").then(({ sortRecords }) => {
      const at = "2026-06-01T10:00:00Z";
      const r = ["20260601T100000Z-note-aaat", "20260601T100000Z-note-aaaz", "20260601T100000Z-note-aaas"].map((id) => ({ id, type: "note", created_at: at }));
      console.log(sortRecords(r).map((x) => x.id.slice(-1)).join(""));
    })`;
    const order = (lang: string) =>
      spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", LANG: lang, LC_ALL: lang }, encoding: "utf8" });
    const c = order("C.UTF-8");
    expect(c.stderr).toBe("");
    expect(c.stdout.trim()).toBe("stz");
    expect(order("et_EE.UTF-8").stdout.trim()).toBe("stz");
  });
});
