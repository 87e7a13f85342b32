/**
 * Case content never drives the terminal: a report whose every text field
 * holds ESC sequences (a window title, a line erase), a BEL, a C1 CSI and a
 * bidi override is shown with those characters escaped, visibly, by `show`,
 * `review` and `list`, and in error messages; `--json` keeps the exact data.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeTerminal, escapeTerminalDeep, escapeTerminalLine } from "../../src/cli/output/escape.js";
import { World, teamRepo, type Person } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

/** In a YAML double-quoted string: OSC "set the window title", BEL, erase the line, C1 CSI "cursor up", right-to-left override. */
const HOSTILE_YAML = String.raw`\e]0;owned\a\e[2K\x9b1A\u202e`;
/** The same characters as the terminal must show them. */
const SHOWN = String.raw`\x1b]0;owned\x07\x1b[2K\x9b1A\u202e`;
/** Any character a terminal could act on (colour is off in these tests: NO_COLOR). */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const FIELDS = [
  "reporter-name",
  "reporter-contact",
  "summary",
  "occurred",
  "location",
  "person-name",
  "person-role",
  "person-description",
  "witness-name",
  "witness-contact",
  "link",
  "support",
] as const;
const v = (field: string) => `"${field}:${HOSTILE_YAML}"`;

const REPORT = `channel: in-person
reporter:
  name: ${v("reporter-name")}
  contact: ${v("reporter-contact")}
incident:
  summary: ${v("summary")}
  description: "first line:${HOSTILE_YAML}\\nsecond line:${HOSTILE_YAML}\\n"
  occurred_at: ${v("occurred")}
  location: ${v("location")}
  people:
    - name: ${v("person-name")}
      role: ${v("person-role")}
      description: ${v("person-description")}
  witnesses:
    - name: ${v("witness-name")}
      contact: ${v("witness-contact")}
  links: [${v("link")}]
safety:
  support_offered: [${v("support")}]
`;

let world: World;
let alice: Person;
let repo: string;
let code: string;
beforeAll(async () => {
  world = new World();
  alice = world.person("alice");
  repo = await teamRepo(world, [alice]);
  const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: REPORT });
  expect(r.code, r.stderr).toBe(0);
  code = r.stdout.trim();
});
afterAll(() => world.cleanup());

function expectEscaped(text: string, fields: readonly string[]): void {
  expect(text).not.toMatch(RAW);
  for (const f of fields) expect(text).toContain(`${f}:${SHOWN}`);
}

describe("escaping for the terminal", () => {
  it("shows C0 and C1 controls, DEL and format characters as escapes; keeps text, tabs, newlines and joiners", () => {
    expect(escapeTerminal("a\u001b[31mb\u0007c\u009bd\u007fe\u202ef\u200bg\r\u0000")).toBe(String.raw`a\x1b[31mb\x07c\x9bd\x7fe\u202ef\u200bg\x0d\x00`);
    expect(escapeTerminal("tab\there\nnext line, ünïcödé, 日本語, نوشتن\u200cها, 👩‍👩‍👧, C:\\path")).toBe("tab\there\nnext line, ünïcödé, 日本語, نوشتن\u200cها, 👩‍👩‍👧, C:\\path");
    expect(escapeTerminal("\u{e0041}\u2028")).toBe(String.raw`\u{e0041}\u2028`);
    expect(escapeTerminalLine("one\ntwo\tthree")).toBe(String.raw`one\x0atwo` + "\tthree");
    // Already escaped text is unchanged: escaping twice does no harm.
    expect(escapeTerminal(escapeTerminal("\u001b"))).toBe(String.raw`\x1b`);
  });

  it("escapes every string in data, and leaves other values and objects alone", () => {
    const marker = { toString: () => "kept" };
    expect(escapeTerminalDeep({ a: ["x\u0007", 1, null, { b: "\u009b" }], c: true, d: marker })).toEqual({ a: [String.raw`x\x07`, 1, null, { b: String.raw`\x9b` }], c: true, d: marker });
  });
});

describe("case content on the terminal", () => {
  it("show: every report field is shown escaped; --json keeps the exact characters", async () => {
    const r = await world.run(["show", code], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expectEscaped(r.stdout, [...FIELDS, "first line", "second line"]);
    expect(r.stderr).not.toMatch(RAW);

    const json = await world.run(["show", code, "--json"], { as: alice, cwd: repo });
    const body = JSON.parse(json.stdout).records[0].body;
    expect(body.incident.summary).toBe("summary:\u001b]0;owned\u0007\u001b[2K\u009b1A\u202e");
    expect(body.reporter.name).toBe("reporter-name:\u001b]0;owned\u0007\u001b[2K\u009b1A\u202e");
  });

  it("review: the report, and another case naming the same person, are shown escaped", async () => {
    const other = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: REPORT });
    expect(other.code, other.stderr).toBe(0);
    const prompter = new ScriptedPrompter({
      present: ["alice"],
      confirm_warnings: true,
      "conflict.alice": false,
      "assessment.risk": "high",
      "assessment.impact": "low",
      "assessment.in_scope": true,
      "assessment.violation": "yes",
      "assessment.rationale": "",
      "note.text": "",
      "decision.add": false,
      confirm: true,
    });
    const r = await world.run(["review", code], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expectEscaped(r.stderr, [...FIELDS, "first line", "second line"]);
    expect(r.stderr).toContain(other.stdout.trim());
    expect(r.stdout).not.toMatch(RAW);
  });

  it("list: a category from a resolution is shown escaped", async () => {
    const resolved = await world.run(["resolve", code, "--from", "-"], {
      as: alice,
      cwd: repo,
      stdin: `transparency: { include: false, category: ${v("category")} }\n`,
    });
    expect(resolved.code, resolved.stderr).toBe(0);
    const r = await world.run(["list"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expectEscaped(r.stdout, ["category"]);
    expect(r.stderr).not.toMatch(RAW);
  });

  it("an error message quoting a file's content is escaped, and stays one line", async () => {
    const file = join(world.root, "review.yaml");
    // A decision level that is not on the ladder is quoted back in the error.
    writeFileSync(file, `decision: { actions: [{ level: "mallory:${HOSTILE_YAML}\\ncoc: a fake line" }], decided_by: [alice] }\n`);
    const r = await world.run(["review", code, "--from", file], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expectEscaped(r.stderr, ["mallory"]);
    expect(r.stderr).toContain(String.raw`\x0acoc: a fake line`);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("verify: file names that arrived through git (a pushed file, one deleted from the work tree) are shown escaped", async () => {
    // A file name can hold any byte but NUL: one pushed into cases/ names the terminal's title.
    const evil = "cases/owned\u001b]0;owned\u0007";
    writeFileSync(join(repo, evil), "not a case");
    const bad = `cases/${code}/x\u001b[2K.age`;
    writeFileSync(join(repo, bad), "x");
    world.git(repo, ["add", "--", evil, bad]);
    world.git(repo, ["-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-q", "--no-verify", "-m", "pushed"]);
    rmSync(join(repo, bad));
    try {
      const r = await world.run(["verify"], { as: alice, cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stderr).not.toMatch(RAW);
      expect(r.stdout).toContain(String.raw`cases/owned\x1b]0;owned\x07`);
      expect(r.stdout).toContain(String.raw`missing from the work tree`);
    } finally {
      world.git(repo, ["rm", "-q", "--cached", "--", evil, bad]);
      rmSync(join(repo, evil));
      world.git(repo, ["-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-q", "--no-verify", "-m", "undo"]);
    }
  });
});
