/**
 * The register of consequences (issue 14), in-process against a real
 * repository: a year of cases with a temporary ban that is ending, a
 * permanent ban, an online suspension on two platforms, a warning and a ban
 * that ended. `coc bans` lists exactly the three in force on a given date,
 * and never a reason, a description, a reporter or anyone else from the case
 * (table, CSV and JSON); `coc bans check` finds the two banned attendees of a
 * 500-line list (one written in another case and with accents) and stores
 * nothing; `list --overdue` shows what ends within 14 days.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, teamRepo, type Person, type RunResult } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let repo: string;
const codes: Record<string, string> = {};

const ON = new Date("2026-06-20T12:00:00Z");
const SECRETS = ["Riley Reporter", "riley@reporter.example", "REASON-MARKER", "DESCRIPTION-MARKER", "FINDING-MARKER", "Wendy Witness", "Otto Bystander"];

function report(person: string, when: string): string {
  return `received_at: ${when}
channel: email
reporter: { name: Riley Reporter, contact: riley@reporter.example }
incident:
  summary: Something happened (DESCRIPTION-MARKER)
  description: DESCRIPTION-MARKER in detail
  people:
    - ${person}
    - { name: Otto Bystander, role: affected }
  witnesses: [{ name: Wendy Witness }]
consent: { contact_reported: yes, transparency: yes }
`;
}

function decision(action: string): string {
  return `stage: final
violation: "yes"
finding: FINDING-MARKER
reasoning: REASON-MARKER
actions:
  - ${action}
decided_by: [alice, bob]
`;
}

async function ok(args: string[], opts: { stdin?: string; now?: Date } = {}): Promise<RunResult> {
  const r = await world.run(args, { as: alice, cwd: repo, now: ON, ...opts });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

async function caseWith(name: string, person: string, when: string, action: string): Promise<void> {
  const code = (await ok(["new-report", "--from", "-"], { stdin: report(person, when), now: new Date(when) })).stdout.trim();
  await ok(["decide", code, "--from", "-"], { stdin: decision(action), now: new Date(Date.parse(when) + 3600_000) });
  codes[name] = code;
}

beforeAll(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  repo = await teamRepo(world, [alice, bob]);
  const config = join(repo, ".coc", "config.yaml");
  writeFileSync(config, readFileSync(config, "utf8").replace(/^ladder: .*$/m, "ladder: cc2.1") + "platforms: [github, discord, matrix, mailing-list]\n");
  await caseWith("ending", "{ name: Terry Temp, role: reported, contact: terry@temp.example }", "2025-07-01T10:00:00Z", "{ level: temporary ban, duration: 12 months, scope: event, starts_at: 2025-07-01T12:00:00Z }");
  await caseWith("permanent", '{ name: "José Álvarez", role: reported, handles: ["@jalvarez"] }', "2025-09-10T10:00:00Z", "{ level: permanent ban, scope: both }");
  await caseWith("online", "{ name: Dana Online, role: reported, contact: dana@online.example, handles: [github:dana-o] }", "2026-03-01T10:00:00Z", "{ level: temporary ban, duration: 6 months, scope: online, platforms: [github, discord] }");
  await caseWith("warning", "{ name: Walt Warned, role: reported, contact: walt@warned.example }", "2026-04-01T10:00:00Z", "{ level: warning }");
  await caseWith("ended", "{ name: Eddie Ended, role: reported, contact: eddie@ended.example }", "2025-01-05T10:00:00Z", "{ level: temporary ban, duration: 3 months, scope: event }");
}, 120_000);
afterAll(() => world.cleanup());

describe("coc bans", () => {
  it("lists exactly the three consequences in force on a date, with person, identifiers, scope, platforms, from, until, level and case", async () => {
    const r = await ok(["bans", "--json", "--at", "2026-06-15"]);
    const list = JSON.parse(r.stdout) as { person: { name: string; contact: string | null; handles: string[] }; scope: string; platforms: string[]; from: string; until: string | null; permanent: boolean; level: string; case: string }[];
    expect(list.map((c) => c.case).sort()).toEqual([codes["ending"], codes["permanent"], codes["online"]].sort());
    const byCase = Object.fromEntries(list.map((c) => [c.case, c]));
    expect(byCase[codes["ending"]!]).toMatchObject({ person: { name: "Terry Temp", contact: "terry@temp.example", handles: [] }, scope: "event", from: "2025-07-01T12:00:00Z", until: "2026-07-01T12:00:00Z", permanent: false, level: "temporary ban" });
    expect(byCase[codes["permanent"]!]).toMatchObject({ person: { name: "José Álvarez", handles: ["@jalvarez"] }, scope: "both", until: null, permanent: true, level: "permanent ban" });
    expect(byCase[codes["online"]!]).toMatchObject({ scope: "online", platforms: ["github", "discord"], until: "2026-09-01T11:00:00Z" });
    expect(Object.keys(list[0]!).sort()).toEqual(["case", "from", "level", "permanent", "person", "platforms", "scope", "until"]);
  });

  it("never shows a reason, a description, a reporter or anyone else from the case, in any format", async () => {
    for (const args of [["bans", "--at", "2026-06-15"], ["bans", "--format", "csv", "--all"], ["bans", "--json", "--all"]]) {
      const r = await ok(args);
      for (const s of SECRETS) expect(r.stdout, `${args.join(" ")}: ${s}`).not.toContain(s);
      expect(r.stdout).toContain("Terry Temp");
    }
  });

  it("is active by default; --all adds the ended one; the warning is never a consequence", async () => {
    const now = JSON.parse((await ok(["bans", "--json"])).stdout) as { case: string }[];
    expect(now.map((c) => c.case).sort()).toEqual([codes["ending"], codes["permanent"], codes["online"]].sort());
    const all = JSON.parse((await ok(["bans", "--json", "--all"])).stdout) as { case: string }[];
    expect(all.map((c) => c.case).sort()).toEqual([codes["ending"], codes["permanent"], codes["online"], codes["ended"]].sort());
    expect(all.map((c) => c.case)).not.toContain(codes["warning"]);
    const csv = (await ok(["bans", "--format", "csv"])).stdout.trim().split("\n");
    expect(csv[0]).toBe("name,contact,handles,scope,platforms,from,until,level,case");
    expect(csv).toHaveLength(4);
    expect(csv.join("\n")).toContain("José Álvarez,,'@jalvarez,both,,2025-09-10T11:00:00Z,permanent,permanent ban");
    const table = (await ok(["bans"])).stdout;
    expect(table).toMatch(/^PERSON +SCOPE +PLATFORMS +FROM +UNTIL +LEVEL +CASE/);
    expect(table).toContain("Dana Online <dana@online.example, github:dana-o>");
  });

  it("refuses a platform that is not in config.yaml, and a temporary ban without an end, naming the field; nothing is written", async () => {
    const head = world.git(repo, ["rev-parse", "HEAD"]);
    const code = codes["warning"]!;
    const bad = await world.run(["decide", code, "--from", "-"], { as: alice, cwd: repo, now: ON, stdin: decision("{ level: temporary ban, duration: 1 month, scope: online, platforms: [myspace] }") });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('actions[0].platforms[0]: "myspace" is not one of the team\'s platforms (github, discord, matrix, mailing-list)');
    const noEnd = await world.run(["decide", code, "--from", "-"], { as: alice, cwd: repo, now: ON, stdin: decision("{ level: temporary ban, scope: event }") });
    expect(noEnd.code).toBe(1);
    expect(noEnd.stderr).toContain("actions[0].duration");
    expect(world.git(repo, ["rev-parse", "HEAD"])).toBe(head);
  });

  it("list --overdue shows the consequence ending within 14 days", async () => {
    const r = await ok(["list", "--overdue"]);
    expect(r.stdout).toContain("Within 14 days:");
    expect(r.stdout).toMatch(new RegExp(`${codes["ending"]}\\s+2026-07-01 12:00 \\+00:00\\s+ends: temporary ban for Terry Temp`));
    expect(r.stdout).not.toMatch(new RegExp(`${codes["online"]}.*ends:`));
  });
});

describe("coc bans check", () => {
  it("finds the two banned attendees of a 500-line list, one in another case and with accents, and stores nothing", async () => {
    const lines = ["first_name,last_name,email,company"];
    for (let i = 0; i < 499; i++) lines.push(`Attendee${i},Person${i},attendee${i}@conf.example,Company ${i % 17}`);
    lines[123] = "JOSE,ALVAREZ,jose@elsewhere.example,Some Company";
    lines[321] = "Dana,Other,DANA@Online.Example,Another Company";
    lines[400] = "Eddie,Ended,eddie@ended.example,Ended Ltd";
    lines[401] = "Walt,Warned,walt@warned.example,Warned Ltd";
    lines[402] = '"Riley","Reporter","riley@reporter.example","quoted, with a comma"';
    expect(lines).toHaveLength(500);
    const list = join(world.root, "attendees.csv");
    writeFileSync(list, `${lines.join("\n")}\n`);
    const head = world.git(repo, ["rev-parse", "HEAD"]);
    const before = readdirSync(world.root).sort();
    const status = world.git(repo, ["status", "--porcelain"]);

    const r = await ok(["bans", "check", list, "--json"]);
    const matches = JSON.parse(r.stdout) as { line: number; matched: string[]; by: string[]; case: string }[];
    expect(matches.map((m) => [m.line, m.case, m.by])).toEqual([
      [124, codes["permanent"], ["name"]],
      [322, codes["online"], ["contact"]],
    ]);
    expect(r.stdout).not.toContain("Attendee");
    expect(r.stderr).toContain("2 matches in 500 rows");

    const table = await ok(["bans", "check", "-"], { stdin: lines.join("\n") });
    expect(table.stdout.trim().split("\n")).toHaveLength(3);
    expect(table.stdout).toContain("JOSE, ALVAREZ");
    expect(table.stdout).not.toContain("Attendee1");

    expect(world.git(repo, ["rev-parse", "HEAD"])).toBe(head);
    expect(world.git(repo, ["status", "--porcelain"])).toBe(status);
    expect(readdirSync(world.root).sort()).toEqual(before);
  });

  it("--at decides which consequences are in force for the check, wherever it stands on the line, as it does for coc bans", async () => {
    const list = join(world.root, "at-check.csv");
    writeFileSync(list, "name,email\nDana Other,dana@online.example\n");
    const stdin = readFileSync(list, "utf8");
    // Dana's online ban runs from 2026-03-01 11:00 to 2026-09-01 11:00; "now" (ON) is inside it.
    const empty = JSON.parse((await ok(["bans", "--json", "--at", "2026-02-01"])).stdout) as { case: string }[];
    expect(empty.map((c) => c.case)).not.toContain(codes["online"]);
    for (const args of [["bans", "check", "--at", "2026-02-01", list], ["bans", "check", list, "--at", "2026-02-01"], ["bans", "check", "-", "--at", "2026-02-01"], ["bans", "check", "--json", "--at", "2026-02-01", list], ["bans", "--at", "2026-02-01", "check", list]]) {
      const r = await ok(args, { stdin });
      expect(r.stdout, args.join(" ")).not.toContain(codes["online"]);
      expect(r.stdout, args.join(" ")).not.toContain("Dana");
      expect(r.stderr, args.join(" ")).toContain("0 matches in 2 rows");
    }
    const before = JSON.parse((await ok(["bans", "check", "--json", "--at", "2026-02-01", list])).stdout) as unknown[];
    expect(before).toEqual([]);
    for (const args of [["bans", "check", "--at", "2026-08-31", list], ["bans", "check", "-", "--at", "2026-08-31"]]) {
      const r = await ok(args, { stdin, now: new Date("2026-12-01T00:00:00Z") });
      expect(r.stdout, args.join(" ")).toContain(codes["online"]);
      expect(r.stderr, args.join(" ")).toContain("1 match in 2 rows");
    }
    // After the ban ended nothing matches, though "now" is inside it.
    expect((await ok(["bans", "check", "--at", "2026-09-02", list])).stderr).toContain("0 matches in 2 rows");
    const bad = await world.run(["bans", "check", "--at", "someday", list], { as: alice, cwd: repo, now: ON });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--at must be a date such as 2026-09-01 or a date and time (got "someday")');
  });

  it("refuses a broken CSV with one line naming it", async () => {
    const r = await world.run(["bans", "check", "-"], { as: alice, cwd: repo, now: ON, stdin: 'a,"b\nc,d' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^coc: stdin: not a CSV file/);
  });
});
