import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, fromTemplate, reportYaml, teamRepo, type Person, filesReadableBy } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

let world: World;
let alice: Person;
let bob: Person;
let mallory: Person;
let a: string;
let b: string;

/** alice's repository pushed to a bare remote and bob's fresh clone of it, built once and copied for each test. */
async function withClone(t: World): Promise<{ a: string; b: string }> {
  const a = await teamRepo(t, [t.person("alice"), t.person("bob")]);
  const origin = join(t.root, "origin.git");
  t.git(t.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
  t.git(a, ["remote", "add", "origin", origin]);
  t.git(a, ["push", "--quiet", "-u", "origin", "main"]);
  const b = join(t.root, "bob-clone");
  t.git(t.root, ["clone", "--quiet", origin, b]);
  return { a, b };
}

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  mallory = world.person("mallory");
  ({ a, b } = await fromTemplate(world, "trust.test: a remote and bob's clone", withClone));
});
afterEach(() => world.cleanup());

/** Someone slips a member into team.yaml by hand and pushes it. */
function sneakIn(person: Person): void {
  const path = join(a, ".coc", "team.yaml");
  writeFileSync(path, `${readFileSync(path, "utf8")}  - name: ${person.name}\n    recipient: ${person.recipient}\n    roles:\n      - responder\n`);
  world.git(a, ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qam", "roster"]);
  world.git(a, ["push", "--quiet"]);
}


describe("roster trust", () => {
  it("pins the roster on first use in a fresh clone and says so once", async () => {
    const first = await world.run(["new-report", "--from", "-"], { as: bob, cwd: b, stdin: reportYaml() });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/Pinned the roster of this repository as found \(trust on first use\): alice, bob\./);
    const second = await world.run(["new-report", "--from", "-"], { as: bob, cwd: b, stdin: reportYaml() });
    expect(second.stderr).not.toMatch(/Pinned/);
  });

  it("refuses to encrypt to a roster changed behind the user's back, without a terminal", async () => {
    await world.run(["new-report", "--from", "-"], { as: bob, cwd: b, stdin: reportYaml() });
    sneakIn(mallory);
    expect((await world.run(["sync"], { as: bob, cwd: b })).code).toBe(0);
    const head = world.git(b, ["rev-parse", "HEAD"]).trim();
    const r = await world.run(["new-report", "--from", "-", "--no-input"], { as: bob, cwd: b, stdin: reportYaml("secret") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`added: mallory (${mallory.recipient})`);
    expect(r.stderr).toMatch(/the team roster changed since you last confirmed it .*nothing was encrypted.*coc team trust/);
    expect(world.git(b, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(world.git(b, ["status", "--porcelain"]).trim()).toBe("");
    expect(await filesReadableBy(b, mallory)).toBe(0);
    // Also for the other writers: a conflict declaration re-encrypts, so it must be refused too.
    const code = readdirSync(join(b, "cases"))[0]!;
    const recuse = await world.run(["recuse", code, "alice", "--no-input", "--yes"], { as: bob, cwd: b });
    expect(recuse.code).toBe(1);
    expect(await filesReadableBy(b, mallory)).toBe(0);
  });

  it("asks in a terminal; a no keeps everything as it was, a yes pins the new roster", async () => {
    sneakIn(mallory);
    expect((await world.run(["sync"], { as: alice, cwd: a })).code).toBe(0);
    // alice pinned alice+bob at init; the hand edit is not hers.
    writeFileSync(join(world.root, "r.yaml"), reportYaml());
    const refused = await world.run(["new-report", "--from", join(world.root, "r.yaml")], { as: alice, cwd: a, tty: true, prompter: new ScriptedPrompter({ trust_roster: false }) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("added: mallory");
    expect(world.git(a, ["status", "--porcelain"]).trim()).toBe("");
    const ok = await world.run(["new-report", "--from", join(world.root, "r.yaml")], { as: alice, cwd: a, tty: true, prompter: new ScriptedPrompter({ trust_roster: true }) });
    expect(ok.code, ok.stderr).toBe(0);
    expect(await filesReadableBy(a, mallory)).toBe(1);
    const again = await world.run(["new-report", "--from", join(world.root, "r.yaml")], { as: alice, cwd: a });
    expect(again.code).toBe(0);
  });

  it("`coc team trust` shows the change and confirms it (--yes without a terminal); a new key for a name is flagged", async () => {
    const path = join(a, ".coc", "team.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace(bob.recipient, mallory.recipient));
    world.git(a, ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qam", "rekey"]);
    const refused = await world.run(["team", "trust"], { as: alice, cwd: a });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`new key for bob: ${mallory.recipient} (was ${bob.recipient})`);
    expect(refused.stderr).toMatch(/--yes required/);
    const ok = await world.run(["team", "trust", "--yes"], { as: alice, cwd: a });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/Confirmed the roster: alice, bob\./);
    const same = await world.run(["team", "trust"], { as: alice, cwd: a });
    expect(same.stderr).toMatch(/nothing to do/);
  });

  it("an own settings edit, pinned before it was committed and then pushed by coc sync, does not make a later own template edit look foreign", async () => {
    const commit = (msg: string) => world.git(a, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "-qam", msg]);
    const report = (marker: string) => world.run(["new-report", "--from", "-", "--no-input"], { as: alice, cwd: a, stdin: reportYaml(marker) });
    expect((await report("first")).code).toBe(0);
    const config = join(a, ".coc", "config.yaml");
    writeFileSync(config, readFileSync(config, "utf8").replace(/^contact: .*$/m, "contact: care-desk@example.org"));
    // Used while not committed yet: her own edit, pinned.
    const used = await report("second");
    expect(used.code, used.stderr).toBe(0);
    commit("contact");
    expect((await world.run(["sync"], { as: alice, cwd: a })).code).toBe(0);
    const template = join(a, "templates", "letter-reporter.hbs");
    writeFileSync(template, `${readFileSync(template, "utf8")}\nWith care.\n`);
    commit("sign-off");
    const r = await report("third");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/changed since you last confirmed/);
  });

  it("a member's own `coc team add` updates their pin", async () => {
    const dave = world.person("dave");
    expect((await world.run(["team", "add", "dave", dave.memberKey], { as: alice, cwd: a })).code).toBe(0);
    const r = await world.run(["new-report", "--from", "-", "--no-input"], { as: alice, cwd: a, stdin: reportYaml() });
    expect(r.code, r.stderr).toBe(0);
    expect(await filesReadableBy(a, dave)).toBe(1);
  });
});
