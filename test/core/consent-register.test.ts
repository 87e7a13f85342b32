/**
 * The pure parts of issue 14: the consent in force (reports, then later
 * consent records; a further reporter can only make it stricter; nothing
 * recorded is no agreement), durations of consequences, and matching an
 * attendee list against the register (folded as the public-text check folds).
 */
import { describe, expect, it } from "vitest";
import { matchAttendees } from "../../src/core/actions/bans.js";
import { consentAllows, consentProblem, effectiveConsent } from "../../src/core/case/consent.js";
import type { Consequence } from "../../src/core/case/consequences.js";
import { durationEnd } from "../../src/core/case/duration.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord, type RecordType } from "../../src/core/records/schema.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { parseCsv } from "../../src/core/reports/csv.js";

const CODE = "quiet-otter-42";
function rec(type: RecordType, at: string, body: unknown): CocRecord {
  const created = new Date(at);
  return makeRecord({ type, case: CODE, id: newRecordId(type, created), author: "alice", created_at: created, recipients: ["alice"], body: BODY_SCHEMAS[type].parse(body) });
}
const report = (at: string, consent?: unknown) => rec("report", at, { incident: { summary: "s", description: "d" }, ...(consent ? { consent } : {}) });

describe("effectiveConsent", () => {
  it("a report without a consent block agrees to nothing, and says so", () => {
    const c = effectiveConsent([report("2026-06-01T10:00:00Z")]);
    expect(c.recorded).toBe(false);
    for (const gate of ["contact_reported", "public_statement", "transparency"] as const) {
      expect(consentAllows(c, gate)).toBe(false);
      expect(consentProblem(CODE, c, gate)).toMatch(/is not recorded .*taken before coc asked for consent.*coc consent quiet-otter-42/);
    }
  });

  it("a consent record by a member the case excludes or recuses does not count (the reported member cannot say the reporter agreed)", () => {
    const by = (author: string, at: string, changes: unknown) => ({ ...rec("consent", at, { changes, said_by: "reporter", how: "e-mail" }), author }) as CocRecord;
    const base = rec("report", "2026-06-01T10:00:00Z", { incident: { summary: "s", description: "d" }, exclude: ["bob"], consent: { contact_reported: "no", transparency: "no" } });
    const recusal = { ...rec("conflict", "2026-06-01T11:00:00Z", { member: "carol", conflict: true }), author: "alice" } as CocRecord;
    const c = effectiveConsent([base, recusal, by("bob", "2026-06-02T10:00:00Z", { contact_reported: "yes" }), by("carol", "2026-06-02T11:00:00Z", { transparency: "yes" })]);
    expect(c.contact_reported).toBe("no");
    expect(c.transparency).toBe("no");
    expect(c.last_change).toBeNull();
    // The same change by a member in the case counts.
    expect(effectiveConsent([base, recusal, by("dave", "2026-06-02T10:00:00Z", { contact_reported: "yes" })]).contact_reported).toBe("yes");
  });

  it("a later consent record wins per field; fields it leaves out stay", () => {
    const c = effectiveConsent([
      report("2026-06-01T10:00:00Z", { contact_reported: "no", public_statement: "ask", share: { police: "no", venue: "yes" }, followup: { channel: "phone" } }),
      rec("consent", "2026-06-02T10:00:00Z", { changes: { contact_reported: "yes", share: { police: "yes" } }, said_by: "reporter", how: "e-mail" }),
    ]);
    expect(c.contact_reported).toBe("yes");
    expect(c.public_statement).toBe("ask");
    expect(c.share).toEqual({ venue: "yes", security: null, police: "yes", umbrella: null, mediator: null });
    expect(c.followup).toEqual({ channel: "phone", times: null });
    expect(c.last_change).toEqual({ said_by: "reporter", said_at: "2026-06-02T10:00:00Z", how: "e-mail" });
  });

  it("a second reporter's report only makes it stricter; an explicit change can loosen it again", () => {
    const first = report("2026-06-01T10:00:00Z", { contact_reported: "no", transparency: "yes" });
    const second = report("2026-06-01T12:00:00Z", { contact_reported: "yes", transparency: "no" });
    const c = effectiveConsent([second, first]);
    expect(c.contact_reported).toBe("no");
    expect(c.transparency).toBe("no");
    const changed = effectiveConsent([first, second, rec("consent", "2026-06-03T10:00:00Z", { changes: { transparency: "yes" }, said_by: "both reporters" })]);
    expect(changed.transparency).toBe("yes");
  });
});

describe("durationEnd", () => {
  it.each([
    ["12 months", "2027-06-01T10:00:00Z"],
    ["6 weeks", "2026-07-13T10:00:00Z"],
    ["30 days", "2026-07-01T10:00:00Z"],
    ["1 year", "2027-06-01T10:00:00Z"],
    ["until the next event", null],
  ])("%s from 2026-06-01", (d, end) => {
    expect(durationEnd("2026-06-01T10:00:00Z", d)).toBe(end);
  });
});

describe("matchAttendees", () => {
  const ban = (name: string, contact: string | null, handles: string[] = []): Consequence => ({
    case: CODE,
    person: { name, contact, handles },
    level: "permanent ban",
    scope: "both",
    platforms: [],
    from: "2026-01-01T00:00:00Z",
    until: null,
    permanent: true,
  });
  it("matches names (case, accents, split over columns, inside a longer name, for a person to look at), addresses and handles; never a part of a word or an address", async () => {
    const rows = await parseCsv("first,last,email,handle\nJOSÉ,ÁLVAREZ,x@y.example,\nJosé,Alvarezson,a@b.example,\nSam,Other,PAT@Mail.Example,\nKim,Else,k@e.example,@PatDoe\nJosé Álvarez-Smith,,,\n", "list.csv");
    const matches = matchAttendees(rows, [ban("Jose Alvarez", null), ban("Pat Doe", "pat@mail.example", ["github:patdoe"])]);
    expect(matches[0]!.matched).toEqual(["JOSÉ", "ÁLVAREZ"]);
    expect(matches.map((m) => [m.line, m.by])).toEqual([
      [2, ["name"]],
      [4, ["contact"]],
      [5, ["handle"]],
      [6, ["name"]],
    ]);
  });
});
