/**
 * Public text: `coc announce` and `coc letter`, in-process against a real
 * temporary repository. The announcement carries the resolution's public
 * fields and the team's public settings and refuses a case with no public
 * statement; a name from the reports (even a first name, in any case) stops
 * it with nothing on stdout and the term on stderr, unless allowed; the
 * letter to the reported person never names the reporter; both letters
 * render the decision; the team's own templates win; a template naming a
 * missing field fails naming it; `--out` writes the file and prints nothing.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXED_NOW, World, reportYaml, teamRepo, type Person, type RunResult } from "../helpers/env.js";

const HOUR = 3600_000;
const at = (hours: number) => new Date(FIXED_NOW.getTime() + hours * HOUR);
const STACK_LINE = /^ {4}at /m;

let world: World;
let alice: Person;
let bob: Person;
let repo: string;

const POLICY_URL = "https://conf.example.org/code-of-conduct";

const FINDING = "Unwanted comments about another attendee's appearance were made at the social, after a request to stop.";
const REASONING = "Repeated after a clear request to stop.";
const OUTCOME = "The team spoke with the person concerned and took the measures below.";
const decision = (finding = FINDING, outcome = OUTCOME) => `stage: final
violation: "yes"
finding: ${JSON.stringify(finding)}
outcome_for_reporter: ${JSON.stringify(outcome)}
actions:
  - level: demand the behaviour stops
    owner: bob
  - level: demand no further contact with certain people
reasoning: ${REASONING}
decided_by: [alice, bob]
lead_agreement: { by: alice }
`;

const THING = "an attendee made repeated unwanted comments about another attendee's appearance at the social";
const ACTION = "the person was asked to leave the event";
const resolution = (pub: string) => `reporter_informed_at: 2026-06-02T10:00:00Z
public: ${pub}
transparency: { include: true, title: Unwanted comments, category: harassment }
`;
const announcement = (thing = THING, action = ACTION) => resolution(JSON.stringify({ statement: "announcement", thing, action }));

beforeAll(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  repo = await teamRepo(world, [alice, bob]);
  // The team's public settings: a policy URL besides the contact (care@example.org) teamRepo set.
  // Both contain "example", which is also part of a name in every report: public settings are not names.
  const config = join(repo, ".coc", "config.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace(/^contact:/m, `policy_url: ${POLICY_URL}\ncontact:`));
});
afterAll(() => world.cleanup());

function run(args: string[], opts: { as?: Person; stdin?: string; now?: Date } = {}): Promise<RunResult> {
  return world.run(args, { as: alice, cwd: repo, ...opts });
}

async function ok(args: string[], opts: { as?: Person; stdin?: string; now?: Date } = {}): Promise<RunResult> {
  const r = await run(args, opts);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** A new case (report an hour before FIXED_NOW), optionally decided and resolved. */
async function newCase(opts: { report?: string; decide?: string; resolve?: string } = {}): Promise<string> {
  const code = (await ok(["new-report", "--from", "-", "--contact-reported", "yes", "--public-statement", "yes", "--transparency", "yes"], { stdin: opts.report ?? reportYaml("public text"), now: at(-1) })).stdout.trim();
  if (opts.decide !== undefined) await ok(["decide", code, "--from", "-"], { stdin: opts.decide, now: at(0) });
  if (opts.resolve !== undefined) await ok(["resolve", code, "--from", "-"], { stdin: opts.resolve, now: at(1) });
  return code;
}

/** Exit 1, one `coc:` line naming each needle, no stack trace, nothing on stdout. */
function expectRefused(r: RunResult, needles: readonly string[]): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stderr.startsWith("coc: ")).toBe(true);
  for (const n of needles) expect(r.stderr).toContain(n);
}

/**
 * The distinct terms stderr lists as found: `<case>: "<term>" (<what>) in <field>`. Distinct since
 * the check takes the terms of every readable case (and every case here names the same people).
 */
function listedTerms(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/^ {2}[a-z]+-[a-z]+-\d+: "([^"]+)" \((.+?)\) in /gm)].map((m) => `${m[1]} (${m[2]})`))];
}

describe("coc announce", () => {
  it("prints the public fields, the apology, the policy and the contact; nothing identifying", async () => {
    const code = await newCase({ decide: decision(), resolve: announcement() });
    const r = await ok(["announce", code]);
    expect(r.stdout).toContain(`${THING}.`);
    expect(r.stdout).toContain(`What we have done: ${ACTION}.`);
    expect(r.stdout).toContain("violated our Code of Conduct");
    expect(r.stdout).toMatch(/apologise/);
    expect(r.stdout).toContain(POLICY_URL);
    expect(r.stdout).toContain("care@example.org");
    expect(r.stdout).toContain("Test Conf 2026");
    for (const secret of ["Pat", "Sam", "Reporter", "sam@example.org", FINDING, REASONING, code]) expect(r.stdout).not.toContain(secret);
    expect(r.stderr).toBe("");
  });

  it("refuses a case whose resolution says public.statement: none, and one with no resolution", async () => {
    const none = await newCase({ decide: decision(), resolve: resolution("{ statement: none }") });
    expectRefused(await run(["announce", none]), [`case ${none} has no public statement`, "public.statement: none"]);
    const open = await newCase({ decide: decision() });
    expectRefused(await run(["announce", open]), [`case ${open} has no resolution yet`, `coc resolve ${open}`]);
  });

  it("uses the latest resolution: a new one corrects the public fields", async () => {
    const code = await newCase({ decide: decision(), resolve: resolution("{ statement: none }") });
    await ok(["resolve", code, "--from", "-"], { stdin: announcement(THING, "the person was removed from the event"), now: at(2) });
    expect((await ok(["announce", code])).stdout).toContain("the person was removed from the event.");
  });

  it("refuses a public.thing naming the reported person: the full name, and the first name alone in any case; --allow lets an ordinary word through", async () => {
    const named = await newCase({ decide: decision(), resolve: announcement("Pat Example made repeated unwanted comments") });
    const r = await run(["announce", named]);
    expectRefused(r, [`announcement of case ${named}`, "nothing was printed or written"]);
    expect(listedTerms(r.stderr)).toEqual(expect.arrayContaining(["Pat Example (person involved)", "Pat (part of a person involved)", "Example (part of a person involved)"]));
    expect(r.stderr).toContain(`${named}: "Pat Example" (person involved)`);
    expect(r.stderr).toContain("--allow");

    // "pat", lower case, as an ordinary word: still refused, and the team may accept it.
    const word = await newCase({ decide: decision(), resolve: announcement("an attendee gave others an unwanted pat on the back, repeatedly") });
    const before = [world.git(repo, ["rev-parse", "HEAD"]), world.git(repo, ["status", "--porcelain"])];
    const refused = await run(["announce", word]);
    expectRefused(refused, []);
    expect(listedTerms(refused.stderr)).toEqual(["Pat (part of a person involved)"]);
    const allowed = await ok(["announce", word, "--allow", "Pat"]);
    expect(allowed.stdout).toContain("an unwanted pat on the back");
    // --allow accepts that one word only.
    expectRefused(await run(["announce", named, "--allow", "Pat"]), ['"Pat Example"', '"Example"']);
    // It is recorded nowhere: the repository is unchanged.
    expect([world.git(repo, ["rev-parse", "HEAD"]), world.git(repo, ["status", "--porcelain"])]).toEqual(before);
  });

  it("--out writes the file (and nothing when refused), printing nothing on stdout", async () => {
    const code = await newCase({ decide: decision(), resolve: announcement() });
    const printed = (await ok(["announce", code])).stdout;
    const out = join(world.root, "announcement.txt");
    const r = await ok(["announce", code, "--out", out]);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toBe(printed);
    expect(readdirSync(world.root).filter((f) => f.includes(".tmp"))).toEqual([]);

    const named = await newCase({ decide: decision(), resolve: announcement("Pat made repeated unwanted comments") });
    const refusedOut = join(world.root, "refused.txt");
    expectRefused(await run(["announce", named, "--out", refusedOut]), ['"Pat"']);
    expect(existsSync(refusedOut)).toBe(false);
  });
});

describe("team templates", () => {
  const teamTemplate = () => join(repo, "templates", "announcement.hbs");
  let original: string;
  beforeAll(() => {
    original = readFileSync(teamTemplate(), "utf8");
  });
  afterAll(() => writeFileSync(teamTemplate(), original));

  it("coc init copied the built-in templates, letters included", () => {
    expect(readdirSync(join(repo, "templates"))).toEqual(expect.arrayContaining(["announcement.hbs", "letter-reporter.hbs", "letter-reported.hbs"]));
  });

  it("the team's edited templates/announcement.hbs is used instead of the built-in one", async () => {
    const code = await newCase({ decide: decision(), resolve: announcement() });
    writeFileSync(teamTemplate(), "OUR OWN WORDS for {{event.name}}: {{public.thing}}. Done: {{public.action}}. Write to {{contact}}.\n");
    const r = await ok(["announce", code]);
    expect(r.stdout).toBe(`OUR OWN WORDS for Test Conf 2026: ${THING}. Done: ${ACTION}. Write to care@example.org.\n`);
  });

  it("a team template naming a missing field fails, naming the template and the field", async () => {
    const code = await newCase({ decide: decision(), resolve: announcement() });
    writeFileSync(teamTemplate(), "Hello {{public.thing}}\n{{public.reporter_name}}\n");
    const r = await run(["announce", code]);
    expectRefused(r, [join(repo, "templates", "announcement.hbs"), '"reporter_name"']);
  });

  it("a team template calling {{log}} prints nothing, writes no --out file and fails naming the template", async () => {
    const code = await newCase({ decide: decision(), resolve: announcement() });
    writeFileSync(teamTemplate(), 'Statement: {{public.thing}}\n{{log "leaked" public.thing}}\n');
    const out = join(world.root, "logged.txt");
    const r = await run(["announce", code, "--out", out]);
    expectRefused(r, [`${join(repo, "templates", "announcement.hbs")}:2: the template uses the helper "log", which coc does not provide`]);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toContain(THING);
    expect(existsSync(out)).toBe(false);
  });

  it("the built-in templates are used when the team has no copy", async () => {
    const code = await newCase({ decide: decision(), resolve: announcement() });
    rmSync(teamTemplate());
    expect((await ok(["announce", code])).stdout).toContain("A statement from the Test Conf 2026 Code of Conduct team");
  });
});

describe("coc letter", () => {
  it("to the reported person: the four parts from the decision, never the reporter's name or contact", async () => {
    const code = await newCase({ decide: decision() });
    const r = await ok(["letter", code, "--to", "reported"]);
    const text = r.stdout;
    expect(text).toMatch(/^Dear Pat Example,\n/);
    expect(text).toContain(`The behaviour\n${FINDING}`);
    expect(text).toContain("Its impact");
    expect(text).toContain("What we expect from now on");
    expect(text).toContain("  - demand the behaviour stops\n  - demand no further contact with certain people\n");
    expect(text).toContain(POLICY_URL);
    expect(text).toContain("care@example.org");
    for (const secret of ["Sam", "Reporter", "sam@example.org", "sam@"]) expect(text).not.toContain(secret);
    expect(r.stderr).toBe("");
  });

  it("to the reported person: refused when the finding names the reporter, even by first name and with keep_private: false", async () => {
    const code = await newCase({
      report: reportYaml("public text").replace("  contact: sam@example.org\n", "  contact: sam@example.org\n  keep_private: false\n"),
      decide: decision("Pat Example made unwanted comments to sam at the social after being asked to stop."),
    });
    const r = await run(["letter", code, "--to", "reported"]);
    expectRefused(r, [`letter to the reported person of case ${code}`, "nothing was printed or written"]);
    expect(listedTerms(r.stderr)).toEqual(["Sam (part of a reporter name)"]);
    // Its own name is fine in the letter to the reported person.
    expect(r.stderr).not.toContain('"Pat');

    const contact = await newCase({ decide: decision("Comments were made; the reporter (sam@example.org) asked for them to stop.") });
    const byContact = await run(["letter", contact, "--to", "reported"]);
    expectRefused(byContact, []);
    expect(listedTerms(byContact.stderr)).toEqual(expect.arrayContaining(["sam@example.org (reporter contact)"]));
  });

  it("to the reported person: every reporter of the case is checked, including a second report's", async () => {
    const code = await newCase({ decide: decision("Pat Example made unwanted comments to Riley at the social.") });
    const second = reportYaml("second").replace("name: Sam Reporter", "name: Riley Second").replace("sam@example.org", "riley@example.net");
    await ok(["new-report", "--case", code, "--from", "-"], { stdin: second, now: at(0.5) });
    const r = await run(["letter", code, "--to", "reported"]);
    expectRefused(r, []);
    expect(listedTerms(r.stderr)).toEqual(["Riley (part of a reporter name)"]);
  });

  it("to the reporter: the outcome letter names the reporter and renders the decision, and refuses to name anyone else", async () => {
    const code = await newCase({ decide: decision() });
    const r = await ok(["letter", code, "--to", "reporter"]);
    expect(r.stdout).toMatch(/^Dear Sam Reporter,\n/);
    expect(r.stdout).toContain("We found that what happened violated our Code of Conduct.");
    // Never the finding (written for the reported person): what the decision says for the reporter.
    expect(r.stdout).not.toContain(FINDING);
    expect(r.stdout).toContain(`What we can tell you about the outcome: ${OUTCOME}`);
    expect(r.stdout).toContain(`Why: ${REASONING}`);
    expect(r.stdout).toContain("  - demand the behaviour stops\n");
    expect(r.stdout).toContain(`reference ${code}`);
    expect(r.stdout).not.toContain("Pat");

    const named = await newCase({ decide: decision(FINDING, "Pat Example was told to stop.") });
    const refused = await run(["letter", named, "--to", "reporter"]);
    expectRefused(refused, [`letter to the reporter of case ${named}`]);
    expect(listedTerms(refused.stderr)).toEqual(expect.arrayContaining(["Pat Example (person involved)", "Pat (part of a person involved)"]));
  });

  it("to the reporter of a case with two reporters: greets nobody by name and names neither", async () => {
    const code = await newCase({ decide: decision() });
    const second = reportYaml("second").replace("name: Sam Reporter", "name: Riley Second").replace("sam@example.org", "riley@example.net");
    await ok(["new-report", "--case", code, "--from", "-"], { stdin: second, now: at(0.5) });
    const r = await ok(["letter", code, "--to", "reporter"]);
    expect(r.stdout).toMatch(/^Hello,\n/);
    expect(r.stdout).not.toMatch(/Sam|Riley/);
  });

  it("refuses a case with no decision, and (to the reported person) a decision with no finding", async () => {
    const open = await newCase();
    expectRefused(await run(["letter", open, "--to", "reporter"]), [`case ${open} has no decision yet`]);
    const bare = await newCase({ decide: decision().replace(/^finding: .*\n/m, "") });
    expectRefused(await run(["letter", bare, "--to", "reported"]), [`the decision of case ${bare} has no finding`]);
    // The reporter's letter does without it.
    expect((await ok(["letter", bare, "--to", "reporter"])).stdout).not.toContain(FINDING);
  });

  it("--to is required and must be reporter or reported (usage errors)", async () => {
    const code = await newCase({ decide: decision() });
    const missing = await run(["letter", code]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--to");
    const wrong = await run(["letter", code, "--to", "witness"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/reporter, reported/);
  });

  it("--out writes the letter privately (mode 0600) and prints nothing on stdout", async () => {
    const code = await newCase({ decide: decision() });
    const printed = (await ok(["letter", code, "--to", "reported"])).stdout;
    const out = join(world.root, "letter.txt");
    const r = await ok(["letter", code, "--to", "reported", "--out", out]);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "utf8")).toBe(printed);
    if (process.platform !== "win32") expect(statSync(out).mode & 0o777).toBe(0o600);

    // Refused: nothing on stdout, no file, no temp file left.
    const named = await newCase({ decide: decision("Sam Reporter complained; the comments were made.") });
    const refusedOut = join(world.root, "refused-letter.txt");
    expectRefused(await run(["letter", named, "--to", "reported", "--out", refusedOut]), [`letter to the reported person of case ${named}`]);
    expect(existsSync(refusedOut)).toBe(false);
    expect(readdirSync(world.root).filter((f) => f.includes(".tmp"))).toEqual([]);
  });
});
