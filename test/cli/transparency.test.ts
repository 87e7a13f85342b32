/**
 * `coc transparency`, in-process against a real temporary repository with
 * several cases taken through review, decision and resolution: the counts
 * match the records (two reports in one case, a case with nobody
 * identifiable, one counted but not described, one unresolved); no name or
 * contact from any report reaches any of the three formats; a public summary
 * naming the reported person is refused (nothing on stdout, no file) unless
 * the term is allowed; date filters; the team's own template; the HTML is
 * self-contained, escaped, and carries the SVG chart.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { FIXED_NOW, World, teamRepo, type Person, type RunOptions, type RunResult } from "../helpers/env.js";

const STACK_LINE = /^ {4}at /m;
const DAY = 24 * 3600_000;

/** Every name, contact and handle written into the reports below (and their parts). */
const IDENTIFYING = [
  "Jordan Quill", "Jordan", "Quill", "jordan.quill@mail.test", "jordan.quill",
  "Riley Fenwick", "Riley", "Fenwick", "+44 7700 900123",
  "Casey Brandt", "Casey", "Brandt",
  "Morgan Tallis", "Morgan", "Tallis", "@mtallis", "mtallis",
  "Alex Dorner", "Dorner", "alex@dorner.test",
];
/** Words from the reports' private text: must never be published either. */
const PRIVATE_TEXT = ["PRIVATE-MARKER", "Room 4B", "dinner queue"];

let world: World;
let alice: Person;
let bob: Person;
let repo: string;
/** The cases: A has two reports and is described; B has nobody identifiable and is not described; C is unresolved. */
const cases = { a: "", b: "", c: "" };

function run(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return world.run(args, { as: alice, cwd: repo, ...opts });
}

async function ok(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(args, opts);
  expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

async function report(body: string, extra: string[] = []): Promise<string> {
  return (await ok(["new-report", "--from", "-", "--contact-reported", "yes", "--public-statement", "yes", "--transparency", "yes", ...extra], { stdin: body, now: new Date(FIXED_NOW.getTime() - 20 * DAY) })).stdout.trim();
}

const A1 = `received_at: 2026-05-20T10:00:00Z
channel: in-person
reporter: { name: Jordan Quill, contact: jordan.quill@mail.test, wants_followup: true }
incident:
  summary: Remarks in the dinner queue (PRIVATE-MARKER)
  description: Casey Brandt kept commenting on the reporter's appearance in Room 4B.
  people: [{ name: Casey Brandt, role: reported }]
  witnesses: [{ name: Morgan Tallis, contact: "@mtallis" }]
`;
const A2 = `received_at: 2026-05-20T16:30:00Z
channel: chat
reporter: { name: Riley Fenwick, contact: +44 7700 900123 }
incident:
  summary: The same remarks, seen by someone else
  description: Saw Casey Brandt do it again after being asked to stop.
  people: [{ name: Casey Brandt }]
`;
const B = `received_at: 2026-05-28T12:00:00Z
channel: online-form
reporter: { anonymous: true }
incident:
  summary: Off-topic spam in the conference chat
  description: Someone posted advertising links in every channel (PRIVATE-MARKER).
`;
const C = `received_at: 2026-06-01T09:00:00Z
channel: email
reporter: { name: Alex Dorner, contact: alex@dorner.test }
incident:
  summary: A slide with an offensive image
  description: PRIVATE-MARKER
`;

beforeAll(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  repo = await teamRepo(world, [alice, bob]);

  cases.a = await report(A1);
  await report(A2, ["--case", cases.a]);
  cases.b = await report(B);
  cases.c = await report(C);

  const at = (iso: string) => ({ now: new Date(iso) });
  // A: both reviewers say high/high, a final decision within the hour, resolved and described.
  await ok(["review", cases.a, "--from", "-", "--yes"], { stdin: "present: [alice, bob]\nassessment: { risk: high, impact: high }\n", ...at("2026-05-20T10:30:00Z") });
  await ok(["review", cases.a, "--from", "-", "--yes"], { as: bob, stdin: "present: [alice, bob]\nassessment: { risk: high, impact: high }\n", ...at("2026-05-20T10:40:00Z") });
  await ok(["note", cases.a, "--from", "-"], { stdin: "kind: reporter-contact\ntext: Thanked Jordan Quill for the report.\nparticipants: [alice]\n", ...at("2026-05-20T11:00:00Z") });
  await ok(["decide", cases.a, "--from", "-"], {
    stdin: "stage: final\nviolation: \"yes\"\nfinding: Casey Brandt made the remarks.\nactions: [{ level: demand the behaviour stops, detail: Casey Brandt told at the desk, owner: bob }]\ndecided_by: [alice, bob]\n",
    ...at("2026-05-20T11:30:00Z"),
  });
  await ok(["followup", cases.a, "--from", "-"], { stdin: "action: 0\ndone_at: 2026-05-20T12:00:00Z\n", ...at("2026-05-20T12:00:00Z") });
  await ok(["resolve", cases.a, "--from", "-"], {
    stdin: `reporter_informed_at: 2026-05-21T09:00:00Z
closed_at: 2026-05-21T09:00:00Z
transparency:
  include: true
  title: Unwelcome comments about appearance
  summary: An attendee made repeated comments about another attendee's appearance and was told to stop.
  category: harassment
`,
    ...at("2026-05-21T09:00:00Z"),
  });

  // B: nobody identifiable; low/low; decided late (no action), resolved but not described.
  await ok(["review", cases.b, "--from", "-", "--yes"], { stdin: "present: [alice, bob]\nassessment: { risk: low, impact: low }\n", ...at("2026-05-29T12:00:00Z") });
  await ok(["decide", cases.b, "--from", "-"], { stdin: "stage: final\nviolation: \"no\"\nactions: [{ level: no action }]\ndecided_by: [alice, bob]\n", ...at("2026-05-29T13:00:00Z") });
  await ok(["resolve", cases.b, "--from", "-"], { stdin: "closed_at: 2026-05-29T14:00:00Z\ntransparency: { include: false, category: spam & <off-topic> }\n", ...at("2026-05-29T14:00:00Z") });
  // C stays new: received at 09:00 on FIXED_NOW's day.
}, 120_000);

afterAll(() => world.cleanup());

async function json(args: string[] = []): Promise<Record<string, any>> {
  const r = await ok(["transparency", "--format", "json", ...args]);
  return JSON.parse(r.stdout);
}

describe("the report's data", () => {
  it("counts match the records: two reports in one case, the unidentifiable case, one undescribed, one unresolved", async () => {
    const data = await json();
    expect(data.version).toBe(1);
    expect(data.event).toEqual({ name: "Test Conf 2026", starts_on: null, ends_on: null });
    expect(data.generated_from).toEqual({ since: null, until: null });
    expect(data.team).toEqual(["alice", "bob"]);
    expect(data.contact).toBe("care@example.org");
    expect(data.date_basis).toBe("the time each report was received");
    expect(data.counts).toEqual({
      reports: 4,
      cases: 3,
      described: 1,
      not_described: 2,
      unresolved: 1,
      by_category: [
        { name: "harassment", count: 1 },
        { name: "spam & <off-topic>", count: 1 },
        { name: "uncategorised", count: 1 },
      ],
      by_violation: [
        { name: "no", count: 1 },
        { name: "not determined", count: 1 },
        { name: "yes", count: 1 },
      ],
      by_outcome: [
        { name: "demand the behaviour stops", count: 1 },
        { name: "no action", count: 1 },
        { name: "no decision yet", count: 1 },
      ],
      by_cell: [
        { key: "low_impact_low_risk", impact: "low", risk: "low", name: "low impact, low risk", count: 1 },
        { key: "low_impact_high_risk", impact: "low", risk: "high", name: "low impact, high risk", count: 0 },
        { key: "high_impact_low_risk", impact: "high", risk: "low", name: "high impact, low risk", count: 0 },
        { key: "high_impact_high_risk", impact: "high", risk: "high", name: "high impact, high risk", count: 1 },
      ],
      unassessed: 1,
      by_channel: [
        { name: "chat", count: 1 },
        { name: "email", count: 1 },
        { name: "in-person", count: 1 },
        { name: "online-form", count: 1 },
      ],
    });
    expect(data.entries).toEqual([
      {
        title: "Unwelcome comments about appearance",
        summary: "An attendee made repeated comments about another attendee's appearance and was told to stop.",
        category: "harassment",
        violation: "yes",
        violation_text: "yes",
        actions: ["demand the behaviour stops"],
        action: "demand the behaviour stops",
        reporter_informed: true,
      },
    ]);
    // A: decided within 12 h, acknowledged (note) within 24 h, told within 7 days.
    // B: anonymous and unreachable, so only the first-action deadline applies, missed (decided after 25 h).
    // C: received 5 h before now: first action still pending (12 h), acknowledgement pending, outcome pending.
    expect(data.response_times).toEqual([
      { deadline: "first-action", what: "a first decision within 12 h of the report", met: 1, missed: 1, pending: 1, not_applicable: 0 },
      { deadline: "acknowledge", what: "the reporter acknowledged within 24 h", met: 1, missed: 0, pending: 1, not_applicable: 1 },
      { deadline: "outcome", what: "the reporter told the outcome within 7 days", met: 1, missed: 0, pending: 1, not_applicable: 1 },
    ]);
  });

  it("--json is --format json; the JSON keys are stable", async () => {
    const r = await ok(["transparency", "--json"]);
    const data = JSON.parse(r.stdout);
    expect(Object.keys(data)).toEqual(["version", "event", "generated_from", "policy_url", "contact", "visibility", "team", "entries", "counts", "response_times", "date_basis"]);
    expect(r.stdout).toBe((await ok(["transparency", "--format", "json"])).stdout);
  });

  it("no reporter, person, witness, contact or private text appears in any format", async () => {
    for (const format of ["md", "html", "json"]) {
      const r = await ok(["transparency", "--format", format]);
      expect(r.stdout.length).toBeGreaterThan(200);
      for (const term of [...IDENTIFYING, ...PRIVATE_TEXT]) {
        expect(r.stdout.toLowerCase(), `${format} contains "${term}"`).not.toContain(term.toLowerCase());
      }
      // Nor the dates of individual cases, nor case codes.
      for (const d of ["2026-05-20", "2026-05-21", "2026-05-28", "2026-05-29", "2026-06-01"]) expect(r.stdout, `${format}: ${d}`).not.toContain(d);
      for (const c of Object.values(cases)) expect(r.stdout).not.toContain(c);
      expect(r.stderr).toBe("warning: the report cannot say where the code of conduct was published or how it was made visible: set policy_url and visibility in .coc/config.yaml\n");
    }
  });

  it("--since/--until (inclusive UTC dates) filter cases by when they were received", async () => {
    const b = await json(["--since", "2026-05-28", "--until", "2026-05-31"]);
    expect(b.generated_from).toEqual({ since: "2026-05-28", until: "2026-05-31" });
    expect(b.counts).toMatchObject({ reports: 1, cases: 1, described: 0, not_described: 1, unresolved: 0, by_channel: [{ name: "online-form", count: 1 }] });
    expect(b.entries).toEqual([]);

    const a = await json(["--until", "2026-05-20"]);
    expect(a.counts).toMatchObject({ reports: 2, cases: 1, described: 1 });
    expect(a.entries.map((e: { title: string }) => e.title)).toEqual(["Unwelcome comments about appearance"]);

    const c = await json(["--since", "2026-06-01"]);
    expect(c.counts).toMatchObject({ reports: 1, cases: 1, unresolved: 1, by_category: [{ name: "uncategorised", count: 1 }] });

    const none = await json(["--since", "2027-01-01"]);
    expect(none.counts).toMatchObject({ reports: 0, cases: 0, by_category: [] });

    const md = await ok(["transparency", "--since", "2026-05-28", "--until", "2026-05-31"]);
    expect(md.stdout).toContain("\n\nThis report covers the reports received from 2026-05-28 to 2026-05-31.\n\n## ");
    expect(md.stdout).toContain("We received 1 report about 1 incident. 0 are described below; 1 is counted but not described.\n");
  });

  it("bad flags are usage errors naming the flag, with nothing on stdout", async () => {
    for (const [args, needle] of [
      [["--since", "2026-13-01"], "--since must be a date such as 2026-06-01"],
      [["--until", "yesterday"], "--until must be a date"],
      [["--since", "2026-06-02", "--until", "2026-06-01"], "--since (2026-06-02) is after --until (2026-06-01)"],
      [["--format", "pdf"], "--format must be one of md, html, json"],
      [["--json", "--format", "md"], "--json cannot be combined with --format md"],
    ] as const) {
      const r = await run(["transparency", ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(needle);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });
});

describe("Markdown and HTML", () => {
  it("Markdown reads like a transparency report", async () => {
    const { stdout } = await ok(["transparency"]);
    expect(stdout).toMatch(/^# Test Conf 2026: Code of Conduct transparency report\n/);
    expect(stdout).toMatch(/^# Test Conf 2026: Code of Conduct transparency report\n\n## The Code of Conduct and the team\n\nThe response team: alice, bob. The team could be reached at care@example.org.\n\n## Reports\n/);
    expect(stdout).toContain("We received 4 reports about 3 incidents. 1 is described below; 2 are counted but not described.\n");
    expect(stdout).not.toMatch(/\n\n\n/);
    expect(stdout).toContain("### Unwelcome comments about appearance\n\nAn attendee made repeated comments");
    expect(stdout).toContain("- Code of Conduct violation: yes\n- What we did: demand the behaviour stops\n- The reporter was informed of the outcome: yes");
    expect(stdout).toContain("| spam & <off-topic> | 1 |"); // Markdown is not HTML-escaped
    expect(stdout).toContain("| | low risk | high risk |\n|---|---|---|\n| low impact | 1 | 0 |\n| high impact | 0 | 1 |\n");
    expect(stdout).toContain("- a first decision within 12 h of the report: met 1, missed 1, pending 1");
    expect(stdout).toContain("Dates are counted from the time each report was received.");
    expect(stdout).not.toContain("{{");
  });

  it("HTML is one self-contained page: escaped, no external references, an inline SVG chart with a bar per category, print CSS", async () => {
    const { stdout: html } = await ok(["transparency", "--format", "html"]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/http/i);
    expect(html).not.toMatch(/src=|<link|<script|@import|url\(/i);
    expect(html).toContain("<svg");
    expect(html.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(html).toContain("@media print");
    // Team-written text is escaped in the page and in the chart alike.
    expect(html).not.toContain("<off-topic>");
    expect(html).toContain("spam &amp; &lt;off-topic&gt;");
    expect(html).toContain("An attendee made repeated comments about another attendee&#x27;s appearance");
    expect(html).toContain("<td>1</td>");
  });

  it("a policy URL becomes the one link (and only a web address does)", async () => {
    const config = join(repo, ".coc", "config.yaml");
    const before = readFileSync(config, "utf8");
    try {
      const settings = parse(before);
      writeFileSync(config, stringify({ ...settings, policy_url: "https://conf.example.net/coc", visibility: ["Linked from every page of the website", "Read out at the opening session"] }));
      const { stdout: html, stderr } = await ok(["transparency", "--format", "html"]);
      expect(stderr).toBe("");
      expect(html).toContain('<a href="https://conf.example.net/coc">https://conf.example.net/coc</a>');
      expect(html.replaceAll("https://conf.example.net/coc", "")).not.toMatch(/http/i);
      expect(html).toContain("<li>Read out at the opening session</li>");
      const { stdout: md } = await ok(["transparency"]);
      expect(md).toContain("## The Code of Conduct and the team\n\nOur Code of Conduct is published at https://conf.example.net/coc.\n\nHow we made it visible:\n\n- Linked from every page of the website\n- Read out at the opening session\n\nThe response team:");

      writeFileSync(config, stringify({ ...settings, policy_url: "javascript:alert(1)" }));
      const { stdout: bad } = await ok(["transparency", "--format", "html"]);
      expect(bad).not.toContain("href=");
    } finally {
      writeFileSync(config, before);
    }
  });

  it("the team's edited template is used instead of the built-in one; a field it names that does not exist is an error naming it", async () => {
    const path = join(repo, "templates", "transparency.md.hbs");
    const before = readFileSync(path, "utf8");
    try {
      writeFileSync(path, "OUR OWN REPORT for {{event.name}}: {{counts.cases}} incidents, {{counts.reports}} reports.\n{{#each entries}}* {{title}}\n{{/each}}");
      const r = await ok(["transparency"]);
      expect(r.stdout).toBe("OUR OWN REPORT for Test Conf 2026: 3 incidents, 4 reports.\n* Unwelcome comments about appearance\n");

      writeFileSync(path, "{{counts.reporters}}\n");
      const bad = await run(["transparency"]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toContain(`${path}:1: the template names "reporters"`);
    } finally {
      writeFileSync(path, before);
    }
  });

  it("--out writes the file (and nothing else: no temp file left, nothing on stdout)", async () => {
    const dir = join(world.root, "out");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir, { recursive: true });
    const r = await ok(["transparency", "--format", "html", "--out", join(dir, "report.html")]);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("Wrote the transparency report to");
    expect(readdirSync(dir)).toEqual(["report.html"]);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toBe((await ok(["transparency", "--format", "html"])).stdout);
    const rel = await ok(["transparency", "--repo", repo, "--out", "report.md"], { cwd: dir });
    expect(rel.stdout).toBe("");
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("# Test Conf 2026");
    const missing = await run(["transparency", "--out", join(dir, "no-such-dir", "r.md")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^coc: cannot write .*no-such-dir.*: ENOENT$/m);
  });
});

describe("public-text safety", () => {
  let w: World;
  let lead: Person;
  let dir: string;
  let code: string;

  beforeAll(async () => {
    w = new World();
    lead = w.person("lead");
    const helper = w.person("helper");
    dir = await teamRepo(w, [lead, helper]);
    const r = await w.run(["new-report", "--from", "-", "--contact-reported", "yes", "--public-statement", "yes", "--transparency", "yes"], {
      as: lead,
      cwd: dir,
      stdin: "channel: in-person\nreporter: { anonymous: true }\nincident:\n  summary: Shouting at a volunteer\n  description: Rose Marsh shouted at a volunteer.\n  people: [{ name: Rose Marsh, role: reported }]\n",
    });
    expect(r.code, r.stderr).toBe(0);
    code = r.stdout.trim();
    const d = await w.run(["decide", code, "--from", "-"], { as: lead, cwd: dir, stdin: "stage: final\nviolation: \"yes\"\nactions: [{ level: remove from the event without refund }]\ndecided_by: [lead, helper]\n" });
    expect(d.code, d.stderr).toBe(0);
  }, 60_000);
  afterAll(() => w.cleanup());

  // Each resolution a minute after the last: the latest one is the one in force.
  let resolutions = 0;
  async function resolveWith(summary: string): Promise<void> {
    resolutions += 1;
    const r = await w.run(["resolve", code, "--from", "-"], { as: lead, cwd: dir, stdin: `transparency: { include: true, title: Shouting at a volunteer, summary: "${summary}", category: abuse }\n`, now: new Date(FIXED_NOW.getTime() + 3600_000 + resolutions * 60_000) });
    expect(r.code, r.stderr).toBe(0);
  }

  function expectRefused(r: RunResult, terms: string[]): void {
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("coc: the transparency report contains names, contacts or handles from the reports; nothing was printed or written:");
    for (const t of terms) expect(r.stderr).toContain(t);
    expect(r.stderr).toContain("--allow <term>");
    expect(r.stderr).not.toMatch(STACK_LINE);
  }

  it("a summary naming the reported person is refused in every format: the terms on stderr with their case, nothing on stdout, no --out file", async () => {
    await resolveWith("Rose Marsh shouted at a volunteer and was removed.");
    const head = w.git(dir, ["rev-parse", "HEAD"]);
    for (const format of ["md", "html", "json"]) {
      const out = join(w.root, `report.${format}`);
      const r = await w.run(["transparency", "--format", format, "--out", out], { as: lead, cwd: dir });
      expectRefused(r, [`${code}: "Rose Marsh" (person involved)`, `${code}: "Rose" (part of a person involved)`, `${code}: "Marsh" (part of a person involved)`]);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(w.root).filter((f) => f.includes("report"))).toEqual([]);
    }
    // Allowing one word is not enough when the full name is there too.
    expectRefused(await w.run(["transparency", "--allow", "Rose"], { as: lead, cwd: dir }), [`"Rose Marsh"`, `"Marsh"`]);
    expect(w.git(dir, ["rev-parse", "HEAD"])).toBe(head);
  });

  it("--allow lets through a term that is an ordinary word here, and is recorded nowhere", async () => {
    await resolveWith("A volunteer was shouted at near the Rose Garden; the person was removed from the event.");
    const refused = await w.run(["transparency"], { as: lead, cwd: dir });
    expectRefused(refused, [`${code}: "Rose" (part of a person involved)`]);
    expect(refused.stderr).not.toContain('"Marsh"');

    const head = w.git(dir, ["rev-parse", "HEAD"]);
    for (const format of ["md", "html", "json"]) {
      const r = await w.run(["transparency", "--format", format, "--allow", "rose"], { as: lead, cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("Rose Garden");
      expect(r.stdout).not.toContain("Marsh");
    }
    expect(w.git(dir, ["rev-parse", "HEAD"])).toBe(head);
    expect(w.git(dir, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
  });
});
