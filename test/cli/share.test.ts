import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, fromTemplate, hasAgeCli, reportYaml, teamRepo, type Person } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

let world: World;
let alice: Person;
let bob: Person;
let dave: Person;
let repo: string;
/** An open case with a note, a closed case, and a case bob is excluded from. */
let open: string;
let closed: string;
let noBob: string;

interface Shown {
  records: { type: string; author: string; recipients: string[]; body: Record<string, unknown> }[];
}

async function okIn(w: World, dir: string, argv: string[], who: Person, stdin?: string, now?: Date): Promise<string> {
  const r = await w.run(argv, { as: who, cwd: dir, ...(stdin !== undefined ? { stdin } : {}), ...(now ? { now } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const ok = (argv: string[], who: Person, stdin?: string, now?: Date) => okIn(world, repo, argv, who, stdin, now);

/** alice and bob's repository with the three cases, built once and copied for each test. */
async function withCases(t: World): Promise<{ repo: string; open: string; closed: string; noBob: string }> {
  const [alice, bob] = [t.person("alice"), t.person("bob")];
  const repo = await teamRepo(t, [alice, bob]);
  const ok = (argv: string[], stdin: string, now: Date) => okIn(t, repo, argv, alice, stdin, now);
  // The cases are written the day before; everything in the tests happens at FIXED_NOW, later.
  const at = (h: number) => new Date(Date.UTC(2026, 4, 31, h));
  const open = (await ok(["new-report", "--from", "-"], reportYaml("open case"), at(9))).trim();
  await ok(["note", open, "--from", "-"], "kind: other\ntext: talked to the venue\n", at(10));
  const closed = (await ok(["new-report", "--from", "-"], reportYaml("closed case"), at(9))).trim();
  await ok(["resolve", closed, "--from", "-", "--yes"], "reporter_informed_at: 2026-05-31T12:00:00Z\ntransparency:\n  include: false\n", at(12));
  const noBob = (await ok(["new-report", "--from", "-"], reportYaml("not for bob", "exclude: [bob]\n"), at(9))).trim();
  return { repo, open, closed, noBob };
}

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  dave = world.person("dave");
  ({ repo, open, closed, noBob } = await fromTemplate(world, "share.test: open, closed and no-bob cases", withCases));
});
afterEach(() => world.cleanup());

function caseFiles(code: string): string[] {
  return readdirSync(join(repo, "cases", code)).map((f) => join(repo, "cases", code, f));
}

describe("team add, then share", () => {
  it("team add lists the open cases to share, by code only", async () => {
    const r = await world.run(["team", "add", "dave", dave.memberKey], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2 open case\(s\) are not shared with dave\. Ask them about each by its code only/);
    expect(r.stderr).toContain(`  coc share ${open} dave\n`);
    expect(r.stderr).toContain(`  coc share ${noBob} dave\n`);
    expect(r.stderr).not.toContain(`coc share ${closed} dave\n`);
    expect(r.stderr).toMatch(/1 closed case\(s\) stay unshared unless asked per case \(coc share <case> dave --closed\)/);
    expect(r.stderr).not.toMatch(/Unwanted comments|Pat Example|open case \(|closed case \(/);
    // bob cannot read noBob: he is told someone else must share it.
    const eve = world.person("eve");
    const asBob = await world.run(["team", "add", "eve", eve.memberKey], { as: bob, cwd: repo });
    expect(asBob.code, asBob.stderr).toBe(0);
    expect(asBob.stderr).toMatch(/1 case\(s\) are not encrypted to you; a member who can read them must share them/);
  });

  it("a member added later reads a case only once it is shared, every record of it", async () => {
    await ok(["team", "add", "dave", dave.memberKey], alice);
    const before = JSON.parse(await ok(["list", "--json"], dave)) as { case: string; restricted: boolean }[];
    expect(before.every((c) => c.restricted)).toBe(true);
    const refused = await world.run(["show", open], { as: dave, cwd: repo });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/you are not a recipient of case/);

    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    const r = await world.run(["share", open, "dave", "--no-conflict"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/recorded their no-conflict declaration and re-encrypted 2 records to include them \(one commit\)/);
    expect(world.git(repo, ["rev-list", "--count", `${head}..HEAD`]).trim()).toBe("1");
    expect(world.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe(`coc: share ${open} with dave`);

    const shown = JSON.parse(await ok(["show", open, "--json"], dave)) as Shown;
    expect(shown.records.map((x) => x.type)).toEqual(["report", "note", "conflict"]);
    for (const rec of shown.records) expect(rec.recipients.sort()).toEqual(["alice", "bob", "dave"]);
    expect(shown.records[2]!.body).toEqual({ member: "dave", conflict: false });
    expect(shown.records[2]!.author).toBe("alice");
    const after = JSON.parse(await ok(["list", "--json"], dave)) as { case: string; restricted: boolean }[];
    expect(after.filter((c) => !c.restricted).map((c) => c.case)).toEqual([open]);

    const verify = await world.run(["verify"], { as: alice, cwd: repo });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout + verify.stderr).not.toContain(`case ${open} is not shared with dave`);
    expect((await world.run(["verify"], { as: dave, cwd: repo })).code).toBe(0);

    // Sharing again is a no-op.
    const again = await world.run(["share", open, "dave", "--no-conflict"], { as: alice, cwd: repo });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/dave can already read case .*; nothing to do/);
  });

  it.skipIf(!hasAgeCli())("the age CLI decrypts every record of the shared case with dave's identity", async () => {
    await ok(["team", "add", "dave", dave.memberKey], alice);
    const age = (f: string) => spawnSync("age", ["-d", "-i", dave.identityFile, f], { env: world.env });
    for (const f of caseFiles(open)) expect(age(f).status, f).not.toBe(0);
    await ok(["share", open, "dave", "--no-conflict"], alice);
    const files = caseFiles(open);
    expect(files).toHaveLength(3);
    for (const f of files) {
      const out = age(f);
      expect(out.status, `${f}: ${String(out.stderr)}`).toBe(0);
      expect(out.stdout.toString()).toMatch(new RegExp(`"?case"?: "?${open}"?`));
    }
  });

  it("asks in a terminal whether the member declared no conflict, and needs --no-conflict without one", async () => {
    await ok(["team", "add", "dave", dave.memberKey], alice);
    const noTty = await world.run(["share", open, "dave"], { as: alice, cwd: repo });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/share: --no-conflict required when not running interactively/);

    const no = new ScriptedPrompter({ no_conflict: false });
    const declined = await world.run(["share", open, "dave"], { as: alice, cwd: repo, tty: true, prompter: no });
    expect(declined.code).toBe(130);
    expect(declined.stderr).toContain(`If dave has a conflict, record it with: coc recuse ${open} dave`);
    const yes = new ScriptedPrompter({ no_conflict: true });
    const shared = await world.run(["share", open, "dave"], { as: alice, cwd: repo, tty: true, prompter: yes });
    expect(shared.code, shared.stderr).toBe(0);
    expect(yes.asked).toEqual(["no_conflict"]);
  });

  it("shares a closed case only with --closed", async () => {
    await ok(["team", "add", "dave", dave.memberKey], alice);
    const r = await world.run(["share", closed, "dave", "--no-conflict"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is closed; closed cases are shared only when asked \(add --closed\)/);
    await ok(["share", closed, "dave", "--no-conflict", "--closed"], alice);
    const shown = JSON.parse(await ok(["show", closed, "--json"], dave)) as Shown;
    expect(shown.records.map((x) => x.type)).toEqual(["report", "resolution", "conflict"]);
  });

  it("never shares with a recused or excluded member, nor by someone who cannot read the case", async () => {
    await ok(["team", "add", "dave", dave.memberKey], alice);
    // dave declares a conflict with the open case before it was ever shared with him: recorded all the same.
    const recuse = await world.run(["recuse", open, "dave"], { as: alice, cwd: repo });
    expect(recuse.code, recuse.stderr).toBe(0);
    expect(recuse.stderr).toMatch(/recorded the conflict \(one commit\)\. The case was never shared with them and now never will be\./);
    const recused = await world.run(["share", open, "dave", "--no-conflict"], { as: alice, cwd: repo });
    expect(recused.code).toBe(1);
    expect(recused.stderr).toMatch(/dave is recused from case .*; it cannot be shared with them/);
    const excluded = await world.run(["share", noBob, "bob", "--no-conflict"], { as: alice, cwd: repo });
    expect(excluded.code).toBe(1);
    expect(excluded.stderr).toMatch(/bob is excluded from case .*; it cannot be shared with them/);
    const notHis = await world.run(["share", noBob, "dave", "--no-conflict"], { as: bob, cwd: repo });
    expect(notHis.code).toBe(1);
    expect(notHis.stderr).toMatch(/you are not a recipient of case/);
    const unknown = await world.run(["share", open, "zed", "--no-conflict"], { as: alice, cwd: repo });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/"zed" is not a team member/);
    expect((await world.run(["verify"], { as: alice, cwd: repo })).code).toBe(0);
  });

  it("warns when the case's reports name someone called like the member, and needs --yes then", async () => {
    const pat = world.person("pat");
    await ok(["team", "add", "pat", pat.memberKey], alice);
    const r = await world.run(["share", open, "pat", "--no-conflict"], { as: alice, cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/warning: the reports of case .* name Pat \(part of a person involved\): make sure that is not pat/);
    await ok(["share", open, "pat", "--no-conflict", "--yes"], alice);
  });

  it("nothing is shared with a member the caller has not confirmed on the roster", async () => {
    // bob confirms the roster first (alice, bob); alice then adds dave behind his back.
    await ok(["team", "trust", "--yes"], bob);
    await ok(["team", "add", "dave", dave.memberKey], alice);
    const r = await world.run(["share", open, "dave", "--no-conflict"], { as: bob, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/roster changed since you last confirmed it/);
    const shown = JSON.parse(await ok(["show", open, "--json"], alice)) as Shown;
    for (const rec of shown.records) expect(rec.recipients).not.toContain("dave");
  });
});
