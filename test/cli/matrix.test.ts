import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadIdentity } from "../../src/core/crypto/identity.js";
import { addRecords, Repo, validateBody } from "../../src/core/index.js";
import { FIXED_NOW, World, fromTemplate, reportYaml, teamRepo, type Person } from "../helpers/env.js";

 
const ANSI = /\u001b\[\d+(;\d+)*m/;
 
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let repo: string;

/** Opens the repository as `who`, with the same environment as World.run. */
function open(who: Person, w = world, dir = repo): Promise<Repo> {
  return Repo.open({ cwd: dir, env: w.env, unlock: () => loadIdentity({ path: who.identityFile, checkPermissions: true }) });
}

/** Records `who`'s own assessment of case `code` through the core (one commit). */
async function assess(who: Person, code: string, risk: "low" | "high", impact: "low" | "high", minutes: number, w = world, dir = repo): Promise<void> {
  const handle = await open(who, w, dir);
  const at = new Date(FIXED_NOW.getTime() + minutes * 60_000);
  const body = validateBody("assessment", { risk, impact }, "test");
  const r = await addRecords(handle, code, [{ type: "assessment", body, source: "test" }], { now: at, message: `coc: assessment in ${code}` });
  expect(r.committed).toBe(true);
}

async function newReport(who: Person, extra = "", w = world, dir = repo): Promise<string> {
  const r = await w.run(["new-report", "--from", "-"], { as: who, cwd: dir, stdin: reportYaml("matrix", extra) });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

interface Cell {
  key: string;
  votes: string[];
  count: number;
  marked: boolean;
  response: string;
}
interface Matrix {
  case: string | null;
  rows: { cells: Cell[] }[];
  suggestion: string | null;
  votes: { author: string; risk: string; impact: string }[];
  unassessed: number;
}
const cells = (m: Matrix): Record<string, Cell> => Object.fromEntries(m.rows.flatMap((r) => r.cells).map((c) => [c.key, c]));

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
});
afterEach(() => world.cleanup());

describe("coc matrix <case>", () => {
  let code: string;
  /** The three-member repository with one assessed case, built once and copied for each test. */
  async function withAssessedCase(t: World): Promise<{ repo: string; code: string }> {
    const [alice, bob, carol] = [t.person("alice"), t.person("bob"), t.person("carol")];
    const repo = await teamRepo(t, [alice, bob, carol]);
    const code = await newReport(alice, "", t, repo);
    // Two reviewers say low risk / high impact, one says high risk / low impact.
    await assess(alice, code, "low", "high", 10, t, repo);
    await assess(bob, code, "low", "high", 11, t, repo);
    await assess(carol, code, "high", "low", 12, t, repo);
    return { repo, code };
  }
  beforeEach(async () => {
    ({ repo, code } = await fromTemplate(world, "matrix.test: a case assessed by three members", withAssessedCase));
  });

  it("--json has each vote in its cell, the majority cell marked, and the suggested response", async () => {
    const r = await world.run(["matrix", code, "--json"], { as: bob, cwd: repo });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as Matrix;
    expect(m.case).toBe(code);
    const c = cells(m);
    expect(Object.keys(c).sort()).toEqual(["high_impact_high_risk", "high_impact_low_risk", "low_impact_high_risk", "low_impact_low_risk"]);
    expect(c["high_impact_low_risk"]).toMatchObject({ votes: ["alice", "bob"], marked: true, response: "public apology, remove the person from the event" });
    expect(c["low_impact_high_risk"]).toMatchObject({ votes: ["carol"], marked: false });
    expect(c["low_impact_low_risk"]).toMatchObject({ votes: [], marked: false });
    expect(c["high_impact_high_risk"]).toMatchObject({ votes: [], marked: false });
    expect(m.suggestion).toBe("public apology, remove the person from the event");
    expect(m.votes).toEqual([
      { author: "alice", risk: "low", impact: "high" },
      { author: "bob", risk: "low", impact: "high" },
      { author: "carol", risk: "high", impact: "low" },
    ]);
  });

  it("text: fits 80 columns, stars the marked cell, names the suggestion, no colour with NO_COLOR", async () => {
    const r = await world.run(["matrix", code], { as: alice, cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(r.stdout).toContain(`Risk and impact: case ${code}`);
    expect(r.stdout).toContain("* public apology, remove");
    expect(r.stdout).toContain("votes: alice, bob");
    expect(r.stdout).toContain("votes: carol");
    expect(r.stdout).toContain("Suggested response (the majority cell):\n  public apology, remove the person from the event\n");
    expect(r.stdout).toContain("  carol: high risk, low impact");
    // Only one cell is starred.
    expect(r.stdout.match(/\* /g)).toHaveLength(1);
  });

  it("text: colour on a terminal when allowed, still within 80 visible columns; none with --no-color", async () => {
    const r = await world.run(["matrix", code], { as: alice, cwd: repo, tty: true, env: { NO_COLOR: "" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(ANSI);
    for (const line of stripAnsi(r.stdout).split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(stripAnsi(r.stdout)).toContain("* public apology, remove");
    const plain = await world.run(["matrix", code, "--no-color"], { as: alice, cwd: repo, tty: true, env: { NO_COLOR: "" } });
    expect(plain.stdout).not.toMatch(ANSI);
    expect(plain.stdout).toBe(stripAnsi(r.stdout));
  });

  it("--format md renders a Markdown table with the suggested cell in bold", async () => {
    const r = await world.run(["matrix", code, "--format", "md"], { as: alice, cwd: repo, tty: true, env: { NO_COLOR: "" } });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
    const lines = r.stdout.split("\n");
    expect(lines).toContain(`## Risk and impact: case ${code}`);
    const header = lines.findIndex((l) => l === "| | low risk | high risk |");
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toBe("|---|---|---|");
    expect(lines[header + 2]).toMatch(/^\| \*\*low impact\*\* \| verbal warning<br>_e\.g\. .*_ \| take notes, follow up later<br>_e\.g\. .*_<br>votes: carol \|$/);
    expect(lines[header + 3]).toMatch(/^\| \*\*high impact\*\* \| \*\*public apology, remove the person from the event\*\* \(suggested\)<br>_e\.g\. .*_<br>votes: alice, bob \| coordinated/);
    // Every table row has the same number of columns.
    for (const l of lines.slice(header, header + 4)) expect(l.split("|").length, l).toBe(5);
    expect(r.stdout).toContain("Suggested response: **public apology, remove the person from the event**");
  });

  it("refuses an unknown format (exit 2) and an unknown case (exit 1)", async () => {
    const bad = await world.run(["matrix", code, "--format", "html"], { as: alice, cwd: repo });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format must be one of text, md");
    const unknown = await world.run(["matrix", "loud-heron-7"], { as: alice, cwd: repo });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown case code loud-heron-7");
    expect(unknown.stdout).toBe("");
  });

  it("a case nobody has assessed yet: no marked cell, no suggestion", async () => {
    const fresh = await newReport(alice);
    const json = JSON.parse((await world.run(["matrix", fresh, "--json"], { as: alice, cwd: repo })).stdout) as Matrix;
    expect(json.suggestion).toBeNull();
    expect(Object.values(cells(json)).every((c) => !c.marked && c.votes.length === 0)).toBe(true);
    const text = await world.run(["matrix", fresh], { as: alice, cwd: repo });
    expect(text.stdout).toContain("No assessments yet");
    expect(text.stdout).not.toContain("Suggested response");
    expect(text.stdout).not.toContain("* ");
  });

  it("uses the team's edited templates/matrix.hbs instead of the built-in one", async () => {
    const path = join(repo, "templates", "matrix.hbs");
    writeFileSync(path, `TEAM TEMPLATE\n${readFileSync(path, "utf8")}`);
    const r = await world.run(["matrix", code], { as: alice, cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("TEAM TEMPLATE\n")).toBe(true);
    expect(r.stdout).toContain("* public apology, remove");
  });

  it("a template naming a missing field fails (exit 1), naming the template path and the field", async () => {
    const path = join(repo, "templates", "matrix.md.hbs");
    writeFileSync(path, "## {{title}}\n\nLead: {{event_lead}}\n");
    const r = await world.run(["matrix", code, "--format", "md"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(path);
    expect(r.stderr).toContain('"event_lead"');
    expect(r.stderr).not.toContain("internal error");
  });
});

describe("coc matrix (all cases)", () => {
  beforeEach(async () => {
    repo = await teamRepo(world, [alice, bob, carol]);
  });

  it("counts cases per cell, reports the unassessed, and leaves out restricted cases", async () => {
    const assessed = await newReport(alice);
    await assess(alice, assessed, "low", "high", 10);
    await assess(bob, assessed, "high", "high", 11);
    const other = await newReport(alice);
    await assess(bob, other, "low", "high", 12);
    await newReport(alice); // nobody has assessed it yet
    // A case carol must not see, assessed in the low/low cell.
    const restricted = await newReport(alice, "exclude: [carol]\n");
    await assess(alice, restricted, "low", "low", 13);

    const asCarol = JSON.parse((await world.run(["matrix", "--json"], { as: carol, cwd: repo })).stdout) as Matrix;
    expect(asCarol.case).toBeNull();
    expect(asCarol.suggestion).toBeNull();
    const c = cells(asCarol);
    expect(c["high_impact_high_risk"]!.count).toBe(1);
    expect(c["high_impact_low_risk"]!.count).toBe(1);
    expect(c["low_impact_high_risk"]!.count).toBe(0);
    expect(c["low_impact_low_risk"]!.count).toBe(0);
    expect(Object.values(c).every((x) => !x.marked && x.votes.length === 0)).toBe(true);
    expect(asCarol.unassessed).toBe(1);

    // alice can read the restricted case, so it counts for her.
    const asAlice = JSON.parse((await world.run(["matrix", "--json"], { as: alice, cwd: repo })).stdout) as Matrix;
    expect(cells(asAlice)["low_impact_low_risk"]!.count).toBe(1);

    const text = await world.run(["matrix"], { as: carol, cwd: repo });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Risk and impact: all cases");
    expect(text.stdout.match(/cases: 1/g)).toHaveLength(2);
    expect(text.stdout.match(/cases: 0/g)).toHaveLength(2);
    expect(text.stdout).toContain("Not yet assessed: 1");
    for (const line of text.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);

    const md = await world.run(["matrix", "--format", "md"], { as: carol, cwd: repo });
    expect(md.stdout).toContain("<br>cases: 1 |");
    expect(md.stdout).toContain("Not yet assessed: 1");
  });

  it("an empty repository: every cell zero", async () => {
    const r = await world.run(["matrix", "--json"], { as: alice, cwd: repo });
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as Matrix;
    expect(Object.values(cells(m)).map((c) => c.count)).toEqual([0, 0, 0, 0]);
    expect(m.unassessed).toBe(0);
  });

  it("unreadable files are named on stderr and make the exit code 1; the rest is still counted", async () => {
    const code = await newReport(alice);
    await assess(alice, code, "high", "high", 10);
    const bad = join("cases", code, "20260601T150000Z-assessment-zzzz.age");
    writeFileSync(join(repo, bad), Buffer.from("\x00\x01garbage, not an age file\xff", "latin1"));
    const r = await world.run(["matrix", "--json"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${bad}:`);
    expect(cells(JSON.parse(r.stdout) as Matrix)["high_impact_high_risk"]!.count).toBe(1);
    const one = await world.run(["matrix", code], { as: alice, cwd: repo });
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(`error: ${bad}:`);
    expect(one.stdout).toContain("coordinated whole-team response");
  });

  it("has a help text with examples", async () => {
    const r = await world.run(["matrix", "--help"], { as: alice, cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("coc matrix quiet-otter-42");
    expect(r.stdout).toContain("--format <format>");
  });
});
