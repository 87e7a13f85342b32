/**
 * The public-text check, table-driven, on the data of every built-in public
 * template (announcement, both letters, the transparency report): each way of
 * spelling a name, contact or handle from the reports of any readable case is
 * caught, and honest text that only looks like one passes. Both sides are
 * folded (NFKC, case, diacritics, invisible characters, look-alikes, joined
 * words); phone numbers are compared as digits; short name parts are listed
 * as not checked.
 */
import { describe, expect, it } from "vitest";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord, type RecordType } from "../../src/core/records/schema.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { configSchema } from "../../src/core/repo/config.js";
import { announcementData, announcementValues } from "../../src/core/reports/announcement.js";
import { checkPublicText, type PublicValue } from "../../src/core/reports/gate.js";
import { buildLetter, letterValues } from "../../src/core/reports/letters.js";
import { fold } from "../../src/core/reports/normalize.js";
import { sensitiveTerms, type SensitiveTerm } from "../../src/core/reports/safety.js";
import { buildTransparency } from "../../src/core/reports/transparency.js";
import { transparencyValues } from "../../src/core/reports/transparency-values.js";

const A = "quiet-otter-42";
const B = "brave-heron-7";
let n = 0;
function rec(code: string, type: RecordType, at: string, body: unknown): CocRecord {
  const created = new Date(at);
  return makeRecord({ type, case: code, id: newRecordId(type, new Date(created.getTime() + n++)), author: "alice", created_at: created, recipients: ["alice"], body: BODY_SCHEMAS[type].parse(body) });
}
const config = configSchema.parse({ coc: 1, event: { name: "Test Conf" }, contact: "care@example.org", policy_url: "https://example.org/coc", ladder: "cc2.1" });

const reportA = rec(A, "report", "2026-06-01T10:00:00Z", {
  reporter: { name: "Quinn Reporter", contact: "+44 7700 900123" },
  incident: {
    summary: "comments at the social",
    description: "Reach the other attendee at pat.doe@mail.example or @pdoe_official, phone 020 7946 0958; pictures on https://pics.example/album/77. It happened on 2026-06-01.",
    people: [
      { name: "Will Turner", role: "reported", description: "posts as @wturner" },
      { name: "Zoë Müller" },
      { name: "Pat Doe" },
      { name: "Mary-Jane Watson" },
      { name: "Sean O'Neil" },
      { name: "Grace Hope" },
      { name: "May Young" },
      { name: "Jo Li" },
    ],
    witnesses: [{ name: "Kim Witness", contact: "kim@witness.example" }],
    links: ["https://social.example/@willt"],
  },
  consent: { contact_reported: "yes", public_statement: "yes", transparency: "yes" },
});
const reportB = rec(B, "report", "2026-06-03T10:00:00Z", { reporter: { name: "Riley Second", contact: "riley@example.net" }, incident: { summary: "s", description: "d" } });

/** Case A, decided and resolved with `text` in every field the team writes for publication. */
function caseA(text: string): CocRecord[] {
  return [
    reportA,
    rec(A, "decision", "2026-06-02T10:00:00Z", { stage: "final", violation: "yes", finding: text, outcome_for_reporter: text, reasoning: "Repeated after a request to stop.", actions: [{ level: "warning" }], decided_by: ["alice", "bob"] }),
    rec(A, "resolution", "2026-06-03T10:00:00Z", {
      reporter_informed_at: "2026-06-03T10:00:00Z",
      public: { statement: "announcement", thing: text, action: "the person was asked to leave" },
      transparency: { include: true, title: "Unwanted comments", summary: text, category: "harassment" },
    }),
  ];
}

const allTerms = (records: CocRecord[]): SensitiveTerm[] => [...sensitiveTerms(A, records), ...sensitiveTerms(B, [reportB])];

/** The values each built-in template gets, with the terms it is checked against (the letters spare their addressee). */
function templates(text: string): { name: string; values: PublicValue[]; terms: SensitiveTerm[] }[] {
  const records = caseA(text);
  const out = [{ name: "announcement", values: announcementValues(A, announcementData(A, records, config)), terms: allTerms(records) }];
  for (const to of ["reporter", "reported"] as const) {
    const letter = buildLetter(A, records, config, to);
    out.push({ name: `letter to ${to}`, values: letterValues(A, letter.data), terms: [...letter.terms, ...sensitiveTerms(B, [reportB], letter.except)] });
  }
  const built = buildTransparency({ config, team: ["alice", "bob"], cases: [{ code: A, records }, { code: B, records: [reportB] }], now: new Date("2026-07-01T00:00:00Z") });
  out.push({ name: "transparency", values: transparencyValues(built), terms: built.terms });
  return out;
}

function check(values: PublicValue[], terms: SensitiveTerm[]): string | null {
  try {
    checkPublicText({ values, terms, what: "text", allow: [], fix: "", publicSettings: [config.contact, config.policy_url, config.event.name] });
    return null;
  } catch (e) {
    return [(e as Error).message, ...((e as { details?: string[] }).details ?? [])].join("\n");
  }
}

// Each spelling must be caught, in every template's data (but the letter addressed to that person).
const CAUGHT: [string, string, { addressee?: "reporter" | "reported" }?][] = [
  ["full name", "Will Turner made the comments", { addressee: "reported" }],
  ["decomposed Unicode", "Zoe\u0308 Mu\u0308ller made the comments"],
  ["without diacritics", "Zoe Muller made the comments"],
  ["zero-width space inside", "Pa\u200Bt made the comments"],
  ["Cyrillic a", "P\u0430t made the comments"],
  ["Greek omicron", "Z\u03BFe was there"],
  ["fullwidth letters", "\uFF30\uFF41\uFF54 made the comments"],
  ["joined", "PatDoe made the comments"],
  ["underscored", "Pat_Doe made the comments"],
  ["one part of a hyphenated name", "Jane made the comments"],
  ["apostrophe dropped", "ONeil made the comments"],
  ["apostrophe as space", "O Neil made the comments"],
  ["phone without spaces", "call +447700900123 for details", { addressee: "reporter" }],
  ["phone in national form", "call 07700 900123", { addressee: "reporter" }],
  ["address from the description", "write to pat.doe@mail.example"],
  ["address spelt out", "write to pat.doe at mail.example"],
  ["handle from the description", "follow @pdoe_official"],
  ["handle from a person's description", "known as wturner online", { addressee: "reported" }],
  ["phone from the description", "ring 020 7946 0958"],
  ["link from the description", "see pics.example/album/77"],
  ["link from the links", "see https://social.example/@willt", { addressee: "reported" }],
  ["witness", "Kim Witness saw it"],
  ["witness contact", "kim@witness.example saw it"],
  ["another case's reporter", "Riley Second also complained"],
  ["another case's reporter, first name", "RILEY also complained"],
];

// Honest text that only looks like one: must pass everywhere.
const PASSING: [string, string][] = [
  ["a country code alone", "44 attendees were affected at the social"],
  ["a date", "it happened on 2026-06-01 and was resolved on 2026-06-03"],
  ["a name inside a longer word", "Willow trees, a mayor, graceful hopefully, kimono, turners"],
  ["a short number", "seven people, room 7700, 900123 is not a phone here"],
  ["coc's own settings", "write to care@example.org or read https://example.org/coc"],
];

describe("the public-text check on the data of every built-in template", () => {
  for (const [label, text, opts] of CAUGHT) {
    it(`catches ${label}: ${JSON.stringify(text)}`, () => {
      for (const t of templates(text)) {
        const refused = check(t.values, t.terms);
        if (opts?.addressee && t.name === `letter to ${opts.addressee}`) continue;
        expect(refused, `${t.name}`).not.toBeNull();
      }
    });
  }
  for (const [label, text] of PASSING) {
    it(`passes ${label}: ${JSON.stringify(text)}`, () => {
      for (const t of templates(text)) expect(check(t.values, t.terms), t.name).toBeNull();
    });
  }

  it("names the record field to reword, never the template", () => {
    const msg = check(templates("Pat said so").at(-1)!.values, templates("x").at(-1)!.terms)!;
    expect(msg).toContain(`resolution.transparency.summary of case ${A}`);
    expect(msg).not.toMatch(/\.hbs/);
    const ann = check(templates("Pat said so")[0]!.values, templates("x")[0]!.terms)!;
    expect(ann).toContain(`resolution.public.thing of case ${A}`);
  });

  it("the reporter's letter never carries the finding; the reported person's letter never names the reporter", () => {
    const reporter = buildLetter(A, caseA("outcome words"), config, "reporter");
    expect(reporter.data.decision).not.toHaveProperty("finding");
    const reported = templates("Quinn told us")[2]!;
    expect(check(reported.values, reported.terms)).toMatch(/Quinn/);
  });

  it("lists a name part of one or two letters as not checked, and checks the rest of the name", () => {
    const t = templates("nothing here")[0]!;
    const skipped = checkPublicText({ values: t.values, terms: t.terms, what: "text", allow: [], fix: "" }).skipped.map((s) => s.term);
    expect(skipped).toEqual(expect.arrayContaining(["Jo", "Li", "O"]));
    expect(check(templates("JoLi was there")[0]!.values, t.terms)).not.toBeNull();
  });

  it("--allow accepts a term in any spelling for one run", () => {
    const t = templates("Pat made the comments")[0]!;
    expect(() => checkPublicText({ values: t.values, terms: t.terms, what: "text", allow: ["pat"], fix: "" })).not.toThrow();
  });

  it("folds both sides the same way", () => {
    expect(fold("Ｚｏｅ\u0308 M\u00DCLLER")).toBe("zoe muller");
    expect(fold("P\u0430\u200Bt")).toBe("pat");
  });
});
