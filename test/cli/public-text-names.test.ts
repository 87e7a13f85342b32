/**
 * Public text with people whose names are ordinary words (Will Turner, Grace
 * Hope, May Young, Kim Witness, Quinn Reporter) and a phone number in the
 * report: the built-in announcement, both letters and the transparency
 * report (md, html, json) print, since only what the team wrote is checked,
 * never the templates' own wording; and they refuse when the team's own
 * summary spells one of them in any of the ways the check folds. Also: a
 * team member named in a report is left out of the case, and `--out` is
 * refused inside the repository.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ageDecrypts, FIXED_NOW, hasAgeCli, teamRepo, World, type Person, type RunResult } from "../helpers/env.js";

const HOUR = 3600_000;
const at = (hours: number) => new Date(FIXED_NOW.getTime() + hours * HOUR);

let world: World;
let alice: Person;
let bob: Person;
let repo: string;

const REPORT = `channel: in-person
reporter:
  name: Quinn Reporter
  contact: +44 7700 900123
incident:
  summary: Unwanted comments at the social
  description: |
    Will said things to Grace at the bar; call the reporter back on +44 7700 900123.
  people:
    - name: Will Turner
      role: reported
    - name: Grace Hope
      role: affected
    - name: May Young
      role: bystander
  witnesses:
    - name: Kim Witness
      contact: kim@witness.example
`;

const decision = (text: string) => `stage: final
violation: "yes"
finding: ${JSON.stringify(text)}
outcome_for_reporter: ${JSON.stringify(text)}
actions:
  - level: demand the behaviour stops
reasoning: Repeated after a request to stop.
decided_by: [alice, bob]
lead_agreement: { by: alice }
`;

const resolution = (text: string) => `reporter_informed_at: 2026-06-02T10:00:00Z
public: ${JSON.stringify({ statement: "announcement", thing: text, action: "the person was asked to leave the event" })}
transparency: ${JSON.stringify({ include: true, title: "Unwanted comments", summary: text, category: "harassment" })}
`;

const HONEST = "an attendee made repeated unwanted comments to another attendee at the social";

beforeAll(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  repo = await teamRepo(world, [alice, bob]);
});
afterAll(() => world.cleanup());

const run = (args: string[], opts: { stdin?: string; now?: Date } = {}): Promise<RunResult> => world.run(args, { as: alice, cwd: repo, ...opts });

async function ok(args: string[], opts: { stdin?: string; now?: Date } = {}): Promise<RunResult> {
  const r = await run(args, opts);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

async function newCase(text: string): Promise<string> {
  const code = (await ok(["new-report", "--from", "-", "--contact-reported", "yes", "--public-statement", "yes", "--transparency", "yes"], { stdin: REPORT, now: at(-1) })).stdout.trim();
  await ok(["decide", code, "--from", "-"], { stdin: decision(text), now: at(0) });
  await ok(["resolve", code, "--from", "-"], { stdin: resolution(text), now: at(1) });
  return code;
}

const NAMES = /Will Turner|Grace Hope|May Young|Kim Witness|Quinn Reporter|7700|kim@witness/;

describe("public text for people named with ordinary words", () => {
  it("the announcement, both letters and the transparency report in every format print", async () => {
    const code = await newCase(HONEST);
    const announcement = await ok(["announce", code]);
    expect(announcement.stdout).toContain("We will not share any details");
    expect(announcement.stdout).not.toMatch(NAMES);
    const reporter = await ok(["letter", code, "--to", "reporter"]);
    expect(reporter.stdout).toMatch(/^Dear Quinn Reporter,/);
    const reported = await ok(["letter", code, "--to", "reported"]);
    expect(reported.stdout).toMatch(/^Dear Will Turner,/);
    expect(reported.stdout).not.toMatch(/Quinn|Reporter|Kim|Grace|7700/);
    for (const format of ["md", "html", "json"]) {
      const t = await ok(["transparency", "--format", format]);
      expect(t.stdout).toContain(HONEST);
      expect(t.stdout, format).not.toMatch(NAMES);
    }
  });

  const SPELLINGS = [
    "Will Turner made comments",
    "WillTurner made comments",
    "will_turner made comments",
    "Wi\u200Bll made comments",
    "Gr\u0430ce was hurt",
    "\uFF27\uFF52\uFF41\uFF43\uFF45 was hurt",
    "May made comments",
    "Kim Witness saw it",
    "Quinn Reporter complained",
    "call +447700900123",
    "write to kim@witness.example",
  ];

  it("each refuses when the team's own summary spells one of them, naming the record field", async () => {
    for (const spelling of SPELLINGS) {
      const code = await newCase(spelling);
      for (const args of [["announce", code], ["letter", code, "--to", "reported"], ["letter", code, "--to", "reporter"], ["transparency"], ["transparency", "--format", "html"], ["transparency", "--format", "json"]]) {
        const r = await run(args);
        // A letter may name its addressee.
        const plain = spelling.normalize("NFKC").replace(/\u200B/g, "");
        const addressee = (args[3] === "reported" && /will/i.test(plain)) || (args[3] === "reporter" && /quinn|7700/i.test(plain));
        if (addressee) continue;
        expect(r.code, `${args.join(" ")}: ${spelling}\n${r.stderr}`).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(/(resolution|decision)\.[a-z_.]+/);
        expect(r.stderr).not.toMatch(/\.hbs/);
      }
      // Resolve it honestly again so that the transparency report of the next round is not blocked by this one.
      await ok(["resolve", code, "--from", "-"], { stdin: resolution(HONEST), now: at(2) });
    }
  }, 120_000);

  it("--out inside the repository is refused (the guard covers only cases/); elsewhere it is written 0600", async () => {
    const code = await newCase(HONEST);
    const r = await run(["letter", code, "--to", "reported", "--out", join(repo, "letter.txt")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("inside the repository");
    expect(readdirSync(repo)).not.toContain("letter.txt");
    const outside = join(world.root, "announcement.txt");
    await ok(["announce", code, "--out", outside]);
    expect(statSync(outside).mode & 0o777).toBe(0o600);
  });
});

describe.skipIf(!hasAgeCli())("new-report naming a team member", () => {
  let w: World;
  let lead: Person;
  let member: Person;
  let r: string;
  beforeAll(async () => {
    w = new World();
    lead = w.person("alice");
    member = w.person("will-turner");
    r = await teamRepo(w, [lead, w.person("bob"), member]);
  });
  afterAll(() => w.cleanup());

  it("leaves them out of the case and says so; --include-member keeps them in", async () => {
    const res = await w.run(["new-report", "--from", "-"], { as: lead, cwd: r, stdin: REPORT, now: at(-1) });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain("will-turner");
    expect(res.stderr).toContain("--include-member");
    const dir = join(r, "cases", res.stdout.trim());
    for (const f of readdirSync(dir)) {
      expect(ageDecrypts(join(dir, f), member, w.env)).toBe(false);
      expect(ageDecrypts(join(dir, f), lead, w.env)).toBe(true);
    }
    const kept = await w.run(["new-report", "--from", "-", "--include-member", "will-turner"], { as: lead, cwd: r, stdin: REPORT, now: at(-1) });
    expect(kept.code, kept.stderr).toBe(0);
    const keptDir = join(r, "cases", kept.stdout.trim());
    for (const f of readdirSync(keptDir)) expect(ageDecrypts(join(keptDir, f), member, w.env)).toBe(true);
  });
});
