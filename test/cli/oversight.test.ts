import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, ageDecrypts, fromTemplate, hasAgeCli, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let liaison: Person;
let repo: string;

async function ok(argv: string[], who: Person, stdin?: string, now?: Date): Promise<{ stdout: string; stderr: string }> {
  const r = await world.run(argv, { as: who, cwd: repo, ...(stdin !== undefined ? { stdin } : {}), ...(now ? { now } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

/** alice (lead), bob and carol, with a board liaison on the oversight list. */
async function withLiaison(t: World): Promise<{ repo: string }> {
  const [alice, bob, carol, liaison] = [t.person("alice"), t.person("bob"), t.person("carol"), t.person("liaison")];
  const repo = await teamRepo(t, [alice, bob, carol]);
  const r = await t.run(["oversight", "add", "liaison", liaison.memberKey, "--role", "board-liaison"], { as: alice, cwd: repo, now: new Date("2026-05-01T10:00:00Z") });
  if (r.code !== 0) throw new Error(r.stderr);
  return { repo };
}

const files = (code: string) => readdirSync(join(repo, "cases", code)).map((f) => join(repo, "cases", code, f));
const aboutAlice = reportYaml("about the lead", "").replace("name: Pat Example", "name: alice");

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  liaison = world.person("liaison");
  ({ repo } = await fromTemplate(world, "oversight.test: a team with a board liaison", withLiaison));
});
afterEach(() => world.cleanup());

describe("coc oversight", () => {
  it("lists the oversight people, pinned with the roster, and refuses a name of the roster", async () => {
    const list = JSON.parse((await ok(["oversight", "list", "--json"], alice)).stdout) as { name: string; role: string }[];
    expect(list.map((p) => [p.name, p.role])).toEqual([["liaison", "board-liaison"]]);
    const clash = await world.run(["oversight", "add", "bob", world.person("zed").memberKey], { as: alice, cwd: repo });
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/"bob" is a team member/);
    const member = await world.run(["team", "add", "liaison", world.person("zed").memberKey], { as: alice, cwd: repo });
    expect(member.code).toBe(1);
    expect(member.stderr).toMatch(/is on the oversight list/);
    const notLead = await world.run(["oversight", "add", "zed", world.person("zed").memberKey], { as: bob, cwd: repo });
    expect(notLead.code).toBe(1);
    expect(notLead.stderr).toMatch(/only a lead can change the oversight list/);
  });
});

describe("a report naming the lead, escalated to the board liaison", () => {
  it.skipIf(!hasAgeCli())("the lead cannot read it, coc suggests escalating, and after escalate the liaison reads every record of that case and nothing else", async () => {
    const other = (await ok(["new-report", "--from", "-"], bob, reportYaml("another case"))).stdout.trim();
    const made = await ok(["new-report", "--from", "-"], bob, aboutAlice);
    const code = made.stdout.trim();
    expect(made.stderr).toMatch(/excludes the lead \(alice\)/);
    expect(made.stderr).toMatch(new RegExp(`coc escalate ${code} --to liaison`));
    expect(made.stderr).toMatch(/liaison: board-liaison/);
    await ok(["note", code, "--from", "-"], bob, "kind: other\ntext: spoke to the reporter\n");
    // An evidence file is part of the case: escalated with it.
    const evidence = join(world.root, "chat-log.txt");
    writeFileSync(evidence, "the chat log\n");
    await ok(["attach", code, evidence], bob);
    expect(files(code).some((f) => f.endsWith(".file.age"))).toBe(true);
    for (const f of files(code)) expect(ageDecrypts(f, alice, world.env)).toBe(false);
    for (const f of [...files(code), ...files(other)]) expect(ageDecrypts(f, liaison, world.env)).toBe(false);
    const listed = await ok(["list"], bob);
    expect(listed.stderr).toMatch(new RegExp(`coc escalate ${code} --to liaison`));

    const esc = await ok(["escalate", code, "--to", "liaison", "--reason", "the report names our lead", "--yes"], bob);
    expect(esc.stderr).toMatch(/Escalated case .* to liaison/);
    for (const f of files(code)) expect(ageDecrypts(f, liaison, world.env)).toBe(true);
    for (const f of files(other)) expect(ageDecrypts(f, liaison, world.env)).toBe(false);
    for (const f of files(code)) expect(ageDecrypts(f, alice, world.env)).toBe(false);
    // The escalation is a signed record of the case; records written later reach the liaison too.
    await ok(["note", code, "--from", "-"], bob, "kind: other\ntext: after the escalation\n");
    for (const f of files(code)) expect(ageDecrypts(f, liaison, world.env)).toBe(true);
    expect((await ok(["list"], bob)).stderr).not.toMatch(new RegExp(`coc escalate ${code}`));
    // The liaison reads it with coc itself, with their own identity.
    const shown = JSON.parse((await ok(["show", code, "--json"], liaison)).stdout) as { records: { type: string }[] };
    expect(shown.records.map((r) => r.type).sort()).toEqual(["escalation", "evidence", "note", "note", "report"]);
    const theirList = JSON.parse((await ok(["list", "--json"], liaison)).stdout) as { case: string; restricted: boolean }[];
    expect(theirList.find((c) => c.case === other)?.restricted).toBe(true);
    // They do not write records: the message says so, instead of asking a member to add them to the team.
    const note = await world.run(["note", code, "--from", "-"], { as: liaison, cwd: repo, stdin: "kind: other\ntext: my view\n" });
    expect(note.code).toBe(1);
    expect(note.stderr).toMatch(/not on the roster .*; you are liaison on the oversight list, not a team member: oversight people read what is escalated to them and do not write records; ask a team member to record your input/);
    expect(note.stderr).not.toMatch(/coc team add/);
    expect((await ok(["verify"], bob)).stderr).not.toMatch(/error/);
  });

  it.skipIf(!hasAgeCli())("a contingent moderator appointed later reads nothing written before, and nothing of a case not escalated to them", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, aboutAlice)).stdout.trim();
    await ok(["escalate", code, "--to", "liaison", "--yes"], bob);
    const mod = world.person("mod");
    await ok(["oversight", "add", "mod", mod.memberKey, "--role", "contingent-moderator"], alice);
    // bob confirms the new oversight list once (as after a sync), then writes in the case.
    await ok(["trust", "--yes"], bob);
    await ok(["note", code, "--from", "-"], bob, "kind: other\ntext: later\n");
    const all = readdirSync(join(repo, "cases")).flatMap((c) => files(c));
    for (const f of all) expect(ageDecrypts(f, mod, world.env)).toBe(false);
    // Escalated to them now: from then on they read the case, all of it.
    await ok(["escalate", code, "--to", "mod", "--yes"], bob);
    for (const f of files(code)) expect(ageDecrypts(f, mod, world.env)).toBe(true);
  });

  it("an escalation written by a member the report excludes gives the liaison nothing", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, aboutAlice)).stdout.trim();
    const r = await world.run(["escalate", code, "--to", "liaison", "--yes"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a recipient of case/);
  });

  it.skipIf(!hasAgeCli())("--summary-only gives them one summary record and nothing else of the case", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, aboutAlice)).stdout.trim();
    const r = await ok(["escalate", code, "--to", "liaison", "--summary-only", "--text", "A report about a team member, handled by two members."], bob);
    expect(r.stderr).toMatch(/rest of the case stays unreadable to them/);
    const readable = files(code).filter((f) => ageDecrypts(f, liaison, world.env));
    expect(readable.map((f) => f.replace(/^.*\//, ""))).toEqual([expect.stringMatching(/-summary-/)]);
    // Another record later: still only the summary for them, and verify agrees.
    await ok(["note", code, "--from", "-"], bob, "kind: other\ntext: more\n");
    expect(files(code).filter((f) => ageDecrypts(f, liaison, world.env))).toHaveLength(1);
    expect((await ok(["list"], bob)).stderr).not.toMatch(new RegExp(`coc escalate ${code}`));
    const v = await world.run(["verify"], { as: bob, cwd: repo });
    expect(v.code, v.stderr).toBe(0);
    // The liaison's coc show says the report is not theirs to read, not that consent was never recorded.
    const shown = await ok(["show", code], liaison);
    expect(shown.stdout).toMatch(/^consent: not shown \(no report of this case is encrypted to you\)$/m);
    expect(shown.stdout).not.toMatch(/not recorded/);
  });

  it("a name not on the oversight list is refused in one line, before any question, by escalate and export", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, aboutAlice)).stdout.trim();
    for (const argv of [["escalate", code, "--to", "nobody"], ["export", "--audit", code, "--to", "nobody", "--out", join(world.root, "b.age")]]) {
      const r = await world.run(argv, { as: bob, cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/"nobody" is not on the oversight list/);
      expect(r.stderr).not.toMatch(/warning|coc team list/);
    }
  });

  it("warns before escalating when the reporter did not agree to sharing with an oversight body, and escalates with --yes", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, aboutAlice)).stdout.trim();
    await ok(["consent", code, "--share", "umbrella=no", "--how", "phone"], bob, undefined, new Date("2026-06-02T10:00:00Z"));
    const stopped = await world.run(["escalate", code, "--to", "liaison"], { as: bob, cwd: repo, now: new Date("2026-06-03T10:00:00Z") });
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toMatch(/the reporter did not agree to sharing case .* with an umbrella organisation or oversight body \(liaison, board-liaison\)/);
    const r = await ok(["escalate", code, "--to", "liaison", "--yes"], bob, undefined, new Date("2026-06-03T10:00:00Z"));
    expect(r.stderr).toMatch(/did not agree to sharing/);
    expect(r.stderr).toMatch(/Escalated case/);
  });

  it.skipIf(!hasAgeCli())("oversight remove re-encrypts the escalated case without them and says what it cannot undo", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, aboutAlice)).stdout.trim();
    await ok(["escalate", code, "--to", "liaison", "--yes"], bob);
    const r = await ok(["oversight", "remove", "liaison", "--yes"], alice);
    expect(r.stderr).toMatch(/Removed liaison from the oversight list/);
    expect(r.stderr).toMatch(/What coc cannot undo/);
    expect(r.stderr).toMatch(/may still be encrypted to liaison/);
    await ok(["trust", "--yes"], bob);
    // alice cannot read the case: bob, who can, re-encrypts it.
    const healed = await ok(["oversight", "remove", "liaison", "--yes"], bob);
    expect(healed.stderr).toMatch(/already off the oversight list; re-encrypted \d+ record\(s\) in 1 case/);
    for (const f of files(code)) expect(ageDecrypts(f, liaison, world.env)).toBe(false);
    expect(readFileSync(join(repo, ".coc", "oversight.yaml"), "utf8")).not.toMatch(/liaison/);
  });

  it.skipIf(!hasAgeCli())("export --audit: one age file for the liaison only, without the reporter's identity", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, aboutAlice)).stdout.trim();
    await ok(["note", code, "--from", "-"], bob, "kind: reporter-contact\ntext: Called Sam Reporter back at sam@example.org.\n");
    const out = join(world.root, "bundle.age");
    const notEscalated = await world.run(["export", "--audit", code, "--to", "liaison", "--out", out], { as: bob, cwd: repo });
    expect(notEscalated.code).toBe(2);
    expect(notEscalated.stderr).toMatch(/is not escalated to liaison/);
    await ok(["escalate", code, "--to", "liaison", "--yes"], bob);
    const refused = await world.run(["export", "--audit", code, "--to", "liaison", "--out", out, "--include-reporter"], { as: bob, cwd: repo });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/consent does not allow/);
    const inside = await world.run(["export", "--audit", code, "--to", "liaison", "--out", join(repo, "x.age")], { as: bob, cwd: repo });
    expect(inside.code).toBe(1);
    await ok(["export", "--audit", code, "--to", "liaison", "--out", out], bob);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const plain = spawnSync("age", ["-d", "-i", liaison.identityFile, out], { env: world.env, encoding: "utf8" });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/coc_audit/);
    expect(plain.stdout).toMatch(/Unwanted comments/);
    expect(plain.stdout).not.toMatch(/Sam|sam@example\.org/);
    expect(plain.stdout).toMatch(/reporter withheld/);
    expect(spawnSync("age", ["-d", "-i", bob.identityFile, out], { env: world.env }).status).not.toBe(0);
    // To stdout: ASCII-armored, for the same person only.
    const armored = await ok(["export", "--audit", code, "--to", "liaison"], bob);
    expect(armored.stdout).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    // A later consent change to share with an umbrella body lets the reporter's identity go with --include-reporter.
    await ok(["consent", code, "--share", "umbrella=yes", "--how", "phone"], bob, undefined, new Date("2026-06-02T10:00:00Z"));
    const withReporter = join(world.root, "with-reporter.age");
    await ok(["export", "--audit", code, "--to", "liaison", "--out", withReporter, "--include-reporter"], bob);
    const named = spawnSync("age", ["-d", "-i", liaison.identityFile, withReporter], { env: world.env, encoding: "utf8" });
    expect(named.stdout).toMatch(/sam@example\.org/);
    // And a change back to "no" withholds it again.
    await ok(["consent", code, "--share", "umbrella=no", "--how", "e-mail"], bob, undefined, new Date("2026-06-03T10:00:00Z"));
    const again = await world.run(["export", "--audit", code, "--to", "liaison", "--out", withReporter, "--include-reporter"], { as: bob, cwd: repo });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/consent does not allow/);
  });
});
