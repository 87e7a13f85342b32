/**
 * Sync that converges (DESIGN.md §7 "Sync"), through a real bare remote:
 * concurrent re-encryptions settle by themselves, a stale clone never pushes
 * a record encrypted to someone who may no longer read the case, and a
 * rewritten or deleting remote is refused with everything kept local.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ageDecrypts, filesReadableBy, hasAgeCli, reportYaml, World, type Person, teamWithRemote } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let origin: string;
let a: string;
let b: string;
let code: string;

beforeEach(async () => {
  ({ world, alice, bob, carol, origin, a, b, code } = await teamWithRemote());
});
afterEach(() => world.cleanup());

async function ok(argv: string[], who: Person, cwd: string, stdin?: string): Promise<string> {
  const r = await world.run(argv, { as: who, cwd, ...(stdin !== undefined ? { stdin } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** bob, on a clone that has not pulled, writes a note and syncs: in a fresh clone of the remote, carol decrypts nothing of the case. */
async function staleNoteReachesNoCarol(opts: { rosterChange?: boolean } = {}): Promise<void> {
  await ok(["note", code, "--from", "-"], bob, b, note("written on a stale clone"));
  if (opts.rosterChange) {
    // A roster change that drops a reader is used only once this clone confirms it; until then nothing is pushed.
    const pushed = world.git(origin, ["rev-parse", "main"]);
    const refused = await world.run(["sync"], { as: bob, cwd: b });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/coc trust/);
    expect(world.git(origin, ["rev-parse", "main"])).toBe(pushed);
    await ok(["trust", "--yes"], bob, b);
  }
  await ok(["sync"], bob, b);
  const c = join(world.root, "carol");
  world.git(world.root, ["clone", "--quiet", origin, c]);
  expect(caseFiles(c).filter((f) => ageDecrypts(f, carol, world.env))).toEqual([]);
}

const head = (dir: string) => world.git(dir, ["rev-parse", "HEAD"]).trim();
const caseFiles = (dir: string) => readdirSync(join(dir, "cases", code)).map((f) => join(dir, "cases", code, f));
const noMergeInProgress = (dir: string) => {
  expect(existsSync(join(dir, ".git", "MERGE_HEAD"))).toBe(false);
  expect(existsSync(join(dir, ".git", "rebase-merge"))).toBe(false);
  expect(existsSync(join(dir, ".git", "rebase-apply"))).toBe(false);
};
/** Files carol can decrypt among those `dir`'s commits since `since` added or changed. */
const carolReadsSince = (dir: string, since: string) =>
  world.git(dir, ["diff", "--name-only", "--diff-filter=AM", since, "HEAD"]).split("\n").filter((f) => f.startsWith("cases/")).filter((f) => ageDecrypts(join(dir, f), carol, world.env));

const note = (text: string) => `kind: meeting\ntext: ${text}\nattendees: [alice, bob]\n`;

describe.runIf(hasAgeCli())("coc sync converges", () => {
  it("two members recusing the same member at once settle it by themselves", async () => {
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["recuse", code, "carol", "--yes"], bob, b);
    await ok(["sync"], alice, a);
    await ok(["sync"], bob, b);
    noMergeInProgress(b);
    await ok(["sync"], alice, a);
    await ok(["sync"], bob, b);
    expect(head(a)).toBe(head(b));
    await ok(["verify"], alice, a);
    await ok(["verify"], bob, b);
    expect(caseFiles(b).filter((f) => ageDecrypts(f, carol, world.env))).toEqual([]);
  });

  it("a stale clone's note is re-encrypted without the member recused meanwhile before it is pushed", async () => {
    const start = head(a);
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    await ok(["note", code, "--from", "-"], bob, b, note("written on a stale clone"));
    await ok(["sync"], bob, b);
    const c = join(world.root, "carol");
    world.git(world.root, ["clone", "--quiet", origin, c]);
    expect(carolReadsSince(c, start)).toEqual([]);
    expect(caseFiles(c).filter((f) => ageDecrypts(f, carol, world.env))).toEqual([]);
  });

  it("a stale clone's note is re-encrypted without a member removed meanwhile", async () => {
    await ok(["team", "remove", "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    await staleNoteReachesNoCarol({ rosterChange: true });
  });

  it("a stale clone's note is re-encrypted without a member a further report excludes", async () => {
    await ok(["new-report", "--case", code, "--from", "-"], alice, a, reportYaml("further", "exclude: [carol]\n"));
    await ok(["sync"], alice, a);
    await staleNoteReachesNoCarol();
  });

  it("recuse re-encrypts records still encrypted to a member already recused", async () => {
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    // bob writes on a stale clone and pushes with plain git, skipping coc sync's check.
    await ok(["note", code, "--from", "-"], bob, b, note("pushed by hand"));
    world.git(b, ["-c", "user.name=b", "-c", "user.email=b@x", "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main"]);
    expect(caseFiles(b).some((f) => ageDecrypts(f, carol, world.env))).toBe(true);
    await ok(["recuse", code, "carol", "--yes"], bob, b);
    expect(caseFiles(b).filter((f) => ageDecrypts(f, carol, world.env))).toEqual([]);
  });

  it("team remove re-encrypts records still encrypted to a member already removed", async () => {
    await ok(["team", "remove", "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    await ok(["note", code, "--from", "-"], bob, b, note("pushed by hand"));
    world.git(b, ["-c", "user.name=b", "-c", "user.email=b@x", "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main"]);
    expect(caseFiles(b).some((f) => ageDecrypts(f, carol, world.env))).toBe(true);
    await ok(["team", "trust", "--yes"], bob, b);
    await ok(["team", "remove", "carol", "--yes"], bob, b);
    expect(caseFiles(b).filter((f) => ageDecrypts(f, carol, world.env))).toEqual([]);
  });
});

describe("sync state", () => {
  it("a write says it is not shared yet, until coc sync", async () => {
    const w = await world.run(["note", code, "--from", "-"], { as: alice, cwd: a, stdin: "text: one line\n" });
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/Not shared with the team yet \(1 commit\(s\) only in this clone\): run coc sync\./);
    await ok(["sync"], alice, a);
    const after = await world.run(["note", code, "--from", "-"], { as: bob, cwd: b, stdin: "text: another\n" });
    expect(after.stderr).toMatch(/Not shared with the team yet/);
    await ok(["sync"], bob, b);
    expect((await world.run(["list"], { as: bob, cwd: b })).stderr).not.toMatch(/Not shared/);
  });

  it("coc list says what is not pushed yet and when the last sync was; coc sync --json says when", async () => {
    await ok(["note", code, "--from", "-"], bob, b, note("not pushed"));
    const before = await world.run(["list"], { as: bob, cwd: b });
    expect(before.stderr).toMatch(/Not shared yet: 1 commit\(s\) to push \(run coc sync\); not synced with coc sync yet/);
    const synced = JSON.parse(await ok(["sync", "--json"], bob, b)) as { pushed: number; syncedAt: string };
    expect(synced.pushed).toBe(1);
    expect(synced.syncedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const after = await world.run(["list"], { as: bob, cwd: b });
    expect(after.stderr).toMatch(/Everything here is pushed; last synced \d+m ago/);
    expect(Array.isArray(JSON.parse(await ok(["list", "--json"], bob, b)))).toBe(true);
  });
});

describe("coc sync refuses what would lose records", () => {
  it("refuses a remote whose history was rewritten (force-push), keeping everything local", async () => {
    await ok(["note", code, "--from", "-"], alice, a, note("second"));
    await ok(["sync"], alice, a);
    await ok(["sync"], bob, b);
    const before = await filesReadableBy(b, bob);
    // Someone force-pushes the first commit.
    const first = world.git(a, ["rev-list", "--max-parents=0", "HEAD"]).trim();
    world.git(a, ["push", "--quiet", "--force", "origin", `${first}:main`]);
    const r = await world.run(["sync"], { as: bob, cwd: b });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/rewritten|force-push/i);
    expect(r.stderr).toMatch(/--force-with-lease/);
    expect(await filesReadableBy(b, bob)).toBe(before);
    noMergeInProgress(b);
  });

  it("refuses incoming deletions of case files, keeping everything local", async () => {
    await ok(["sync"], bob, b);
    const before = await filesReadableBy(b, bob);
    const x = join(world.root, "x");
    world.git(world.root, ["clone", "--quiet", origin, x]);
    const git = (args: string[]) => world.git(x, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x", ...args]);
    git(["rm", "-r", "--quiet", `cases/${code}`]);
    git(["commit", "--quiet", "-m", "remove"]);
    git(["push", "--quiet", "origin", "main"]);
    const r = await world.run(["sync"], { as: bob, cwd: b });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(code);
    expect(r.stderr).toMatch(/delet/i);
    expect(r.stderr).toMatch(/coc purge/);
    expect(await filesReadableBy(b, bob)).toBe(before);
    noMergeInProgress(b);
  });

  it("takes in a purge by a lead (a verified purge record), but not one by a member who is not a lead", async () => {
    await ok(["sync"], bob, b);
    const other = (await ok(["new-report", "--from", "-"], alice, a, reportYaml("another case"))).trim();
    await ok(["purge", code, "--yes"], alice, a);
    await ok(["sync"], alice, a);
    await ok(["sync"], bob, b);
    expect(existsSync(join(b, "cases", code))).toBe(false);
    expect(existsSync(join(b, "cases", other))).toBe(true);
    expect(readdirSync(join(b, ".coc", "purged", code))).toHaveLength(1);
    expect((await world.run(["verify"], { as: bob, cwd: b })).code).toBe(0);
    // bob is not a lead: his purge is refused before anything changes.
    const refused = await world.run(["purge", other, "--yes"], { as: bob, cwd: b });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/only a lead can purge/);
    expect(existsSync(join(b, "cases", other))).toBe(true);
  });
});
