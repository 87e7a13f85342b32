import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { parseYaml, toYaml, validate } from "../../src/core/records/document.js";
import { makeRecord, parseRecord, serializeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, recordSchema, RECORD_TYPES, timestamp, type CocRecord } from "../../src/core/records/schema.js";
import { newRecordId, randomCaseCode, isCaseCode, assertCaseCode } from "../../src/core/repo/codes.js";

const reportBody = BODY_SCHEMAS.report;

const at = new Date("2026-06-01T14:05:00Z");

function sampleBodies(): Record<(typeof RECORD_TYPES)[number], unknown> {
  return {
    report: {
      received_at: "2026-06-01T14:00:00Z",
      channel: "in-person",
      reporter: { name: "Sam", contact: "sam@example.org", wants_followup: true },
      incident: { summary: "Comments at the social", description: "Line one.\nLine two: with colon # and hash\n", people: [{ name: "Pat", role: "reported" }] },
      safety: { immediate_risk: false, support_offered: ["water"] },
      exclude: ["dave"],
    },
    conflict: { member: "bob", conflict: true, recused: true },
    assessment: { risk: "high", impact: "low", in_scope: true, violation: "yes", rationale: "repeated" },
    note: { kind: "meeting", text: "We met.", attendees: ["alice", "bob", "carol"] },
    decision: { stage: "interim", violation: "yes", actions: [{ level: "warning", owner: "alice", due: "2026-06-02T09:00:00Z" }], decided_by: ["alice", "bob"] },
    followup: { action: 0, done_at: "2026-06-02T10:00:00Z", text: "told them" },
    resolution: { reporter_informed_at: "2026-06-03T10:00:00Z", public: { statement: "none" }, transparency: { include: true, title: "A comment", category: "verbal" } },
    vouch: { records: [{ id: "20260601T140500Z-report-k3f9", sha256: "0".repeat(64) }], readers: ["alice"] },
    purge: { records: ["20260601T140500Z-report-k3f9"], reason: "retention" },
    evidence: { name: "screenshot 1.png", media_type: "image/png", size: 1234, sha256: "a".repeat(64), description: "the DMs", added_by: "alice", metadata_removed: ["text"] },
    escalation: { to: [{ name: "kim", recipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", role: "board-liaison" }], reason: "the report names the lead" },
    summary: { to: [{ name: "kim", recipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p" }], text: "handled by two members" },
    appeal: { by: "reported", received_at: "2026-06-05T10:00:00Z", grounds: ["new information"], text: "I was not there." },
    appeal_outcome: { result: "upheld", decided_by: ["carol", "kim"], reasoning: "nothing new", decided_at: "2026-06-10T10:00:00Z" },
    consent: { changes: { contact_reported: "no", share: { police: "no" }, followup: { channel: "e-mail" } }, said_by: "reporter", said_at: "2026-06-02T10:00:00Z", how: "phone" },
  };
}

describe("records", () => {
  it("round-trips every record type through the one serializer and the strict parser", () => {
    for (const type of RECORD_TYPES) {
      const id = newRecordId(type, at);
      const body = validate(recordSchema().options.find((o) => o.shape.type.value === type)!.shape.body, sampleBodies()[type], "test");
      const record = makeRecord({ type, case: "quiet-otter-42", id, author: "alice", created_at: at, recipients: ["alice", "bob"], body: body }) as CocRecord;
      const text = serializeRecord(record);
      expect(text.startsWith(`{\n  "coc": 1,\n  "type": "${type}",`)).toBe(true);
      expect(parseYaml(text, "yaml")).toEqual(JSON.parse(text)); // the JSON-compatible flow style is YAML 1.2
      const parsed = parseRecord(text, "f.age", { case: "quiet-otter-42", id });
      expect(parsed).toEqual(record);
      expect(serializeRecord(parsed)).toBe(text);
    }
  });

  it("reads block-style and flow-style YAML records as well as the JSON-compatible style it writes", () => {
    const id = newRecordId("assessment", at);
    const record = makeRecord({ type: "assessment", case: "quiet-otter-42", id, author: "alice", created_at: at, recipients: ["alice"], body: { risk: "high", impact: "low" } });
    expect(parseRecord(toYaml(record), "block.age")).toEqual(record);
    const flow = `{coc: 1, type: assessment, case: quiet-otter-42, id: ${id}, author: alice, created_at: 2026-06-01T14:05:00Z, recipients: [alice], readers: [alice], body: {risk: high, impact: low}}`;
    expect(parseRecord(flow, "flow.age")).toEqual(record);
    expect(() => parseRecord("{ \"coc\": 1,\n  \"coc\": 1 ", "broken.age")).toThrow(/^broken\.age:\d+: invalid YAML/);
  });

  it("refuses a repeated key in the JSON-compatible style as YAML does (JSON.parse alone would keep the last)", () => {
    const id = newRecordId("assessment", at);
    const record = makeRecord({ type: "assessment", case: "quiet-otter-42", id, author: "alice", created_at: at, recipients: ["alice"], body: { risk: "high", impact: "low" } });
    const text = serializeRecord(record);
    // Valid JSON, and the last "risk" would win; YAML 1.2 as coc reads it refuses the document.
    const twice = text.replace('"risk": "high",', '"risk": "high",\n    "risk": "low",');
    expect(JSON.parse(twice).body.risk).toBe("low");
    expect(() => parseRecord(twice, "twice.age")).toThrow(/^twice\.age:\d+: invalid YAML: Map keys must be unique/);
    const nested = text.replace('"author": "alice",', '"author": "alice",\n  "author": "bob",');
    expect(() => parseRecord(nested, "nested.age")).toThrow(/^nested\.age:\d+: invalid YAML: Map keys must be unique/);
    // Colons and quotes inside strings are not keys.
    const tricky = makeRecord({ type: "assessment", case: "quiet-otter-42", id, author: "alice", created_at: at, recipients: ["alice"], body: { risk: "high", impact: "low", rationale: 'a: "b": \\" c:' } });
    expect(parseRecord(serializeRecord(tricky), "tricky.age")).toEqual(tricky);
  });

  it("applies defaults and normalises times to UTC seconds", () => {
    const body = validate(reportBody, { received_at: "2026-06-01T16:05:30.250+02:00", incident: { summary: "s", description: "d" } }, "x");
    expect(body.received_at).toBe("2026-06-01T14:05:30Z");
    expect(body.reporter).toEqual({ anonymous: false, keep_private: true });
    expect(body.exclude).toEqual([]);
    expect(body.incident.people).toEqual([]);
  });

  it("names the file and the field in errors", () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as Error).message;
      }
      throw new Error("expected an error");
    };
    expect(err(() => validate(reportBody, { incident: { summary: "x" } }, "r.yaml"))).toBe("r.yaml: incident.description: description is required");
    expect(err(() => validate(reportBody, { incident: { summary: "x", description: "y" }, colour: 1 }, "r.yaml"))).toBe('r.yaml: unknown field "colour"');
    expect(err(() => validate(reportBody, { channel: "pigeon", incident: { summary: "x", description: "y" } }, "r.yaml"))).toMatch(/^r\.yaml: channel: /);
    expect(err(() => validate(reportBody, { received_at: "yesterday", incident: { summary: "x", description: "y" } }, "r.yaml"))).toMatch(/^r\.yaml: received_at: expected a date and time/);
    expect(err(() => validate(reportBody, { incident: { summary: "x", description: "y", people: [{ nam: "P" }] } }, "r.yaml"))).toBe('r.yaml: incident.people[0]: unknown field "nam"');
    expect(err(() => validate(reportBody, { incident: { summary: "x", description: "y" }, exclude: ["../x"] }, "r.yaml"))).toMatch(/^r\.yaml: exclude\[0\]: expected a team member name/);
  });

  it("refuses a record that claims another case or id than its file", () => {
    const id = newRecordId("note", at);
    const record = makeRecord({ type: "note", case: "quiet-otter-42", id, author: "alice", created_at: at, recipients: ["alice"], body: { kind: "other", text: "t", participants: [], attendees: [] } });
    const text = serializeRecord(record);
    expect(() => parseRecord(text, "f", { case: "calm-heron-11", id })).toThrow(/sits in cases\/calm-heron-11/);
    expect(() => parseRecord(text, "f", { case: "quiet-otter-42", id: newRecordId("note", new Date(0)) })).toThrow(/does not match its file name/);
    expect(() => parseRecord(text.replace("\"coc\": 1", "\"coc\": 2"), "f")).toThrow(/coc must be 1/);
    expect(() => parseRecord(text.replace("\"type\": \"note\"", "\"type\": \"gossip\""), "f")).toThrow(/type must be one of/);
  });

  it("parses YAML 1.2 strictly", () => {
    expect(parseYaml("a: yes\nb: 2026-06-01\nc: 0o10", "f")).toEqual({ a: "yes", b: "2026-06-01", c: 8 });
    expect(() => parseYaml("a: 1\na: 2\n", "f.yaml")).toThrow(/^f\.yaml:2: invalid YAML: Map keys must be unique/);
    expect(() => parseYaml("a: [1, 2\n", "f.yaml")).toThrow(/f\.yaml:\d+: invalid YAML/);
    expect(() => parseYaml("a: 1\n---\nb: 2\n", "f.yaml")).toThrow(/expected one YAML document/);
    expect(toYaml({ text: "x: y\n# not a comment\n" })).toContain("|");
  });

  it("makes random, well-formed case codes and record ids", () => {
    const codes = new Set(Array.from({ length: 200 }, () => randomCaseCode()));
    expect(codes.size).toBeGreaterThan(190);
    for (const c of codes) expect(isCaseCode(c)).toBe(true);
    for (const bad of ["../etc", "Quiet-otter-42", "quiet-otter", "quiet/otter-1", "a-b-1"]) expect(isCaseCode(bad)).toBe(false);
    expect(() => assertCaseCode("../../x")).toThrow(UserError);
    expect(newRecordId("report", at)).toMatch(/^20260601T140500Z-report-[a-z0-9]{6}$/);
  });

  it("reads local times without a zone in the machine's zone", () => {
    const parsed = timestamp.parse("2026-06-01 14:05");
    expect(parsed).toBe(new Date(2026, 5, 1, 14, 5).toISOString().replace(/\.\d{3}Z$/, "Z"));
  });
});

describe("a record nested far too deep", () => {
  const deepJson = `{"coc": 1, "body": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
  const deepFlowYaml = `coc: 1\nbody: ${"[".repeat(2_000)}${"]".repeat(2_000)}\n`;
  const deepBlockYaml = `coc: 1\n${Array.from({ length: 80 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n")} x\n`;
  it.each([
    ["JSON", deepJson],
    ["flow YAML", deepFlowYaml],
    ["block YAML", deepBlockYaml],
  ])("is refused in one line naming the file, as %s", (_kind, text) => {
    let error: unknown;
    try {
      parseRecord(text, "cases/x/y.age");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^cases\/x\/y\.age(:\d+)?: (nested more than 64 levels deep|invalid YAML: nested far too deeply)/);
  });
});
