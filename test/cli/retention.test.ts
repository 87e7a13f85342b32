import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, fromTemplate, reportYaml, teamRepo, type Person } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

let world: World;
let alice: Person;
let bob: Person;
let repo: string;
/** Reported on 2026-06-01 (early), 2026-06-20 (late), and one bob wrote excluding alice (2026-06-01). */
let early: string;
let late: string;
let hidden: string;

const JUNE_1 = new Date("2026-06-01T10:00:00Z");
const JUNE_20 = new Date("2026-06-20T10:00:00Z");

async function report(w: World, dir: string, who: Person, now: Date, extra = ""): Promise<string> {
  const r = await w.run(["new-report", "--from", "-"], { as: who, cwd: dir, stdin: reportYaml("retention", extra), now });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** Sets retention (and optionally the event's end) in config.yaml and commits it, as a team would. */
function setRetention(days: number, endsOn?: string): void {
  const path = join(repo, ".coc", "config.yaml");
  let text = readFileSync(path, "utf8").replace("delete_after_days: null", `delete_after_days: ${days}`);
  if (endsOn) text = text.replace("  name: Test Conf 2026\n", `  name: Test Conf 2026\n  starts_on: 2026-05-30\n  ends_on: ${endsOn}\n`);
  writeFileSync(path, text);
  world.git(repo, ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "retention"]);
}

function commits(dir = repo): number {
  return Number(world.git(dir, ["rev-list", "--all", "--count"]).trim());
}

/** The blob ids of every file of a case, in HEAD. */
function blobsOf(code: string): string[] {
  return world
    .git(repo, ["ls-tree", "-r", "HEAD", `cases/${code}`])
    .trim()
    .split("\n")
    .map((l) => l.split(/\s+/)[2]!);
}

function allObjects(dir = repo): Set<string> {
  return new Set(world.git(dir, ["cat-file", "--batch-all-objects", "--batch-check"]).split("\n").map((l) => l.split(" ")[0]!).filter(Boolean));
}

function unusedCode(): string {
  const used = new Set(readdirSync(join(repo, "cases")));
  for (let i = 10; ; i++) if (!used.has(`zesty-yak-${i}`)) return `zesty-yak-${i}`;
}

/** alice and bob's repository with the three cases, built once and copied for each test. */
async function withCases(t: World): Promise<{ repo: string; early: string; late: string; hidden: string }> {
  const [alice, bob] = [t.person("alice"), t.person("bob")];
  const repo = await teamRepo(t, [alice, bob]);
  const early = await report(t, repo, alice, JUNE_1);
  const late = await report(t, repo, alice, JUNE_20);
  const hidden = await report(t, repo, bob, JUNE_1, "exclude: [alice]\n");
  return { repo, early, late, hidden };
}

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  ({ repo, early, late, hidden } = await fromTemplate(world, "retention.test: early, late and hidden cases", withCases));
});
afterEach(() => world.cleanup());

describe("retention warnings in coc list", () => {
  it("says nothing when the team keeps cases (no retention period)", async () => {
    const r = await world.run(["list"], { as: alice, cwd: repo, now: new Date("2027-06-01T00:00:00Z") });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/retention/);
  });

  it("counts from each case's last record when the event has no end date", async () => {
    setRetention(30);
    const before = await world.run(["list"], { as: alice, cwd: repo, now: new Date("2026-06-30T23:00:00Z") });
    expect(before.stderr).not.toMatch(/retention/);
    // Also cases alice cannot read expire: times come from the file names.
    const july = await world.run(["list", "--json"], { as: alice, cwd: repo, now: new Date("2026-07-01T10:00:00Z") });
    expect(july.code, july.stderr).toBe(0);
    expect(JSON.parse(july.stdout)).toHaveLength(3);
    expect(july.stderr).toContain("warning: 2 case(s) passed the retention period (30 days); delete them with coc purge --expired\n");
    const later = await world.run(["list"], { as: alice, cwd: repo, now: new Date("2026-07-20T10:00:00Z") });
    expect(later.stderr).toMatch(/3 case\(s\) passed the retention period/);
  });

  it("counts from the end of the event's last day when it is set", async () => {
    setRetention(30, "2026-06-05");
    const r = await world.run(["list"], { as: alice, cwd: repo, now: new Date("2026-07-05T23:59:59Z") });
    expect(r.stderr).not.toMatch(/retention/);
    const after = await world.run(["list"], { as: alice, cwd: repo, now: new Date("2026-07-06T00:00:00Z") });
    expect(after.stderr).toMatch(/warning: 3 case\(s\) passed the retention period \(30 days\); delete them with coc purge --expired/);
  });
});

describe("coc purge", () => {
  it("deletes one case in one commit, leaves the others, and says history still holds it", async () => {
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    const r = await world.run(["purge", early, "--yes"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(world.git(repo, ["rev-list", "--count", `${head}..HEAD`]).trim()).toBe("1");
    expect(world.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe("coc: purge 1 case");
    expect(world.git(repo, ["show", "--name-only", "--format=", "HEAD"])).toContain(`cases/${early}/`);
    expect(existsSync(join(repo, "cases", early))).toBe(false);
    expect(readdirSync(join(repo, "cases")).sort()).toEqual([late, hidden].sort());
    expect(r.stderr).toMatch(/git history still holds every record of the purged cases, and so do the remote and every clone/);
    expect(r.stderr).toContain("coc purge --rewrite-history");
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");
    const shown = await world.run(["show", late, "--json"], { as: alice, cwd: repo });
    expect(shown.code, shown.stderr).toBe(0);
    expect((await world.run(["verify"], { as: alice, cwd: repo })).code).toBe(0);
  });

  it("--expired deletes exactly the expired cases, also those the caller cannot read", async () => {
    setRetention(30);
    const now = new Date("2026-07-10T00:00:00Z");
    const r = await world.run(["purge", "--expired", "--yes"], { as: alice, cwd: repo, now });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`expired: ${early}`);
    expect(r.stderr).toContain(`expired: ${hidden}`);
    expect(world.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe("coc: purge 2 cases");
    expect(readdirSync(join(repo, "cases"))).toEqual([late]);
    const list = await world.run(["list"], { as: alice, cwd: repo, now });
    expect(list.stderr).not.toMatch(/retention/);
    const again = await world.run(["purge", "--expired", "--yes"], { as: alice, cwd: repo, now });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/No case has expired .*nothing to purge/);
  });

  it("asks in a terminal, and nothing is purged when the answer is no", async () => {
    const no = await world.run(["purge", early], { as: alice, cwd: repo, tty: true, prompter: new ScriptedPrompter({ confirm_purge: false }) });
    expect(no.code).toBe(130);
    expect(existsSync(join(repo, "cases", early))).toBe(true);
    const yes = await world.run(["purge", early], { as: alice, cwd: repo, tty: true, prompter: new ScriptedPrompter({ confirm_purge: true }) });
    expect(yes.code, yes.stderr).toBe(0);
    expect(existsSync(join(repo, "cases", early))).toBe(false);
  });

  it("refuses an unknown case code naming it, and changes nothing", async () => {
    const unknown = unusedCode();
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    const r = await world.run(["purge", early, unknown, "--yes"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`unknown case code ${unknown}`);
    expect(existsSync(join(repo, "cases", early))).toBe(true);
    expect(world.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
  });

  it("--expired is not put off by a record dated in the future: the case expires from its last record up to now", async () => {
    setRetention(30);
    // A member who wants the case kept past retention commits a record file dated in 2099 with plain git.
    const first = readdirSync(join(repo, "cases", early))[0]!;
    writeFileSync(join(repo, "cases", early, "20990101T000000Z-note-keepit.age"), readFileSync(join(repo, "cases", early, first)));
    world.git(repo, ["-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"]);
    world.git(repo, ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "coc: note"]);
    const now = new Date("2026-07-10T00:00:00Z");
    const r = await world.run(["purge", "--expired", "--yes"], { as: alice, cwd: repo, now });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`expired: ${early}`);
    expect(existsSync(join(repo, "cases", early))).toBe(false);
  });

  it("needs --yes without a terminal, and a case or --expired", async () => {
    const r = await world.run(["purge", early], { as: alice, cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes required to purge when not running interactively/);
    expect(existsSync(join(repo, "cases", early))).toBe(true);
    const none = await world.run(["purge", "--yes"], { as: alice, cwd: repo });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the case\(s\) to delete, or pass --expired/);
    const noRetention = await world.run(["purge", "--expired", "--yes"], { as: alice, cwd: repo });
    expect(noRetention.code).toBe(1);
    expect(noRetention.stderr).toMatch(/no retention period is set/);
  });
});

describe("coc purge --rewrite-history", () => {
  /** A bare remote holding the repository, so the clone has remote-tracking refs too. */
  function withRemote(): string {
    const origin = join(world.root, "origin.git");
    world.git(world.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
    world.git(repo, ["remote", "add", "origin", origin]);
    world.git(repo, ["push", "--quiet", "-u", "origin", "main"]);
    return origin;
  }

  it("leaves one commit, no object of the purged case or of older record versions, and says how to force-push and re-clone", async () => {
    const origin = withRemote();
    world.git(repo, ["tag", "v2026"]);
    world.git(repo, ["branch", "old-work"]);
    const purgedBlobs = blobsOf(early);
    // A recusal re-encrypts the late case: its older versions must go too.
    const lateBefore = blobsOf(late);
    expect((await world.run(["recuse", late, "bob"], { as: alice, cwd: repo })).code).toBe(0);
    const lateNow = blobsOf(late);
    expect(allObjects()).toSatisfy((objs: Set<string>) => [...purgedBlobs, ...lateBefore].every((b) => objs.has(b)));

    const r = await world.run(["purge", early, "--rewrite-history", "--yes"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cannot be undone/);
    expect(r.stderr).toContain(`the case ${early}, deleted first`);
    expect(r.stderr).toMatch(/every other branch, tag and remote-tracking ref: .*old-work/);
    expect(r.stderr).toContain("git push --force origin main");
    expect(r.stderr).toMatch(/each member must delete their clone and clone again/);

    expect(commits()).toBe(1);
    expect(world.git(repo, ["for-each-ref", "--format=%(refname)"]).trim()).toBe("refs/heads/main");
    const objects = allObjects();
    for (const b of [...purgedBlobs, ...lateBefore.filter((b) => !lateNow.includes(b))]) expect(objects.has(b), b).toBe(false);
    for (const b of lateNow) expect(objects.has(b)).toBe(true);
    expect(existsSync(join(repo, "cases", early))).toBe(false);
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");

    const verify = await world.run(["verify"], { as: alice, cwd: repo });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    // Alice's confirmed roster carries over to the new history: no first-use notice, no question.
    const list = await world.run(["list"], { as: alice, cwd: repo });
    expect(list.code).toBe(0);
    expect(list.stderr).not.toMatch(/Pinned the roster|roster changed/);

    // The printed force-push replaces the remote's history.
    world.git(repo, ["push", "--quiet", "--force", "origin", "main"]);
    expect(world.git(origin, ["rev-list", "--count", "main"]).trim()).toBe("1");
  });

  it("in a terminal, asks for the event name even with --yes; a wrong name changes nothing", async () => {
    const before = commits();
    const wrong = await world.run(["purge", early, "--rewrite-history", "--yes"], {
      as: alice,
      cwd: repo,
      tty: true,
      prompter: new ScriptedPrompter({ confirm_rewrite: "yes" }),
    });
    expect(wrong.code).toBe(130);
    expect(wrong.stderr).toMatch(/the name did not match; nothing was changed/);
    expect(commits()).toBe(before);
    expect(existsSync(join(repo, "cases", early))).toBe(true);
    const right = await world.run(["purge", early, "--rewrite-history"], {
      as: alice,
      cwd: repo,
      tty: true,
      prompter: new ScriptedPrompter({ confirm_rewrite: "Test Conf 2026" }),
    });
    expect(right.code, right.stderr).toBe(0);
    expect(commits()).toBe(1);
    expect(right.stderr).toMatch(/No git remote is configured, so there is nothing to force-push/);
  });

  it("without a terminal needs --yes; alone it rewrites what an earlier purge left in history", async () => {
    const refused = await world.run(["purge", "--rewrite-history"], { as: alice, cwd: repo });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes required to rewrite history when not running interactively/);
    expect((await world.run(["purge", early, "--yes"], { as: alice, cwd: repo })).code).toBe(0);
    const blobs = world.git(repo, ["log", "--all", "--format=", "--raw", "--no-abbrev", "--", `cases/${early}`]);
    expect(blobs).not.toBe("");
    const r = await world.run(["purge", "--rewrite-history", "--yes"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(commits()).toBe(1);
    expect(world.git(repo, ["log", "--all", "--format=%H", "--", `cases/${early}`]).trim()).toBe("");
  });

  it("refuses when the clone is behind its remote: the force-push would destroy others' work", async () => {
    const origin = withRemote();
    const other = join(world.root, "other");
    world.git(world.root, ["clone", "--quiet", origin, other]);
    const theirs = await world.run(["new-report", "--from", "-"], { as: bob, cwd: other, stdin: reportYaml("theirs") });
    expect(theirs.code, theirs.stderr).toBe(0);
    expect((await world.run(["sync"], { as: bob, cwd: other })).code).toBe(0);
    world.git(repo, ["fetch", "--quiet", "origin"]);
    const before = commits();
    const r = await world.run(["purge", early, "--rewrite-history", "--yes"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/behind origin; run coc sync first/);
    expect(commits()).toBe(before);
    expect(existsSync(join(repo, "cases", early))).toBe(true);
  });
});
