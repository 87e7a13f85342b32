import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let old: string;

const EDIT = "{{!-- edited by the 2026 team --}}\n";

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
  old = await teamRepo(world, [alice, bob]);
  // Last year's team tuned its settings and a template, and has cases.
  const path = join(old, ".coc", "config.yaml");
  const text = readFileSync(path, "utf8")
    .replace("  name: Test Conf 2026\n", "  name: Test Conf 2026\n  starts_on: 2026-05-30\n  ends_on: 2026-06-05\n")
    .replace("delete_after_days: null", "delete_after_days: 90")
    .replace("outcome_days: 7", "outcome_days: 5")
    .replace("ladder: care", "ladder: cc3\npolicy_url: https://example.org/coc")
    .replace("visibility: []", "visibility:\n  - posters in every room\n  - read out at the opening");
  writeFileSync(path, text);
  writeFileSync(join(old, "templates", "announcement.hbs"), EDIT + readFileSync(join(old, "templates", "announcement.hbs"), "utf8"));
  world.git(old, ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "tune settings"]);
  for (const marker of ["one", "two"]) {
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: old, stdin: reportYaml(marker) });
    expect(r.code, r.stderr).toBe(0);
  }
});
afterEach(() => world.cleanup());

function snapshot(dir: string): string {
  return [world.git(dir, ["rev-parse", "HEAD"]), world.git(dir, ["status", "--porcelain", "--untracked-files=all"]), world.git(dir, ["rev-list", "--all", "--count"])].join("|");
}

describe("coc init --from", () => {
  it("starts from last year's config (new event) and edited templates, never its cases or roster; the old repository is untouched", async () => {
    const before = snapshot(old);
    const oldConfig = parse(readFileSync(join(old, ".coc", "config.yaml"), "utf8"));
    const fresh = join(world.root, "care-2027");
    const r = await world.run(["init", fresh, "--from", old, "--event", "Test Conf 2027", "--member", "carol"], { as: carol });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Started from the settings and templates of Test Conf 2026 .*none of its cases and not its roster/);

    const config = parse(readFileSync(join(fresh, ".coc", "config.yaml"), "utf8"));
    expect(config.event).toEqual({ name: "Test Conf 2027" });
    const { event: _a, ...keptOld } = oldConfig;
    const { event: _b, ...keptNew } = config;
    expect(keptNew).toEqual(keptOld);
    expect(config).toMatchObject({ ladder: "cc3", policy_url: "https://example.org/coc", contact: "care@example.org", retention: { delete_after_days: 90 }, deadlines: { outcome_days: 5 } });
    expect(config.visibility).toEqual(["posters in every room", "read out at the opening"]);

    expect(readFileSync(join(fresh, "templates", "announcement.hbs"), "utf8")).toBe(readFileSync(join(old, "templates", "announcement.hbs"), "utf8"));
    expect(readFileSync(join(fresh, "templates", "announcement.hbs"), "utf8").startsWith(EDIT)).toBe(true);
    expect(readdirSync(join(fresh, "templates")).sort()).toEqual(readdirSync(join(old, "templates")).sort());

    expect(existsSync(join(fresh, "cases"))).toBe(false);
    const team = parse(readFileSync(join(fresh, ".coc", "team.yaml"), "utf8"));
    expect(team.members.map((m: { name: string }) => m.name)).toEqual(["carol"]);
    expect(team.members[0].recipient).toBe(carol.recipient);
    expect(world.git(fresh, ["rev-list", "--all", "--count"]).trim()).toBe("1");
    expect(world.git(fresh, ["ls-files"])).not.toMatch(/^cases\//m);
    // Nothing of the old history came along.
    expect(world.git(fresh, ["log", "--all", "--format=%s"]).trim()).toBe("coc: initialise incident repository");

    expect(snapshot(old)).toBe(before);
    expect((await world.run(["verify"], { as: carol, cwd: fresh })).code).toBe(0);
    const list = await world.run(["list", "--json"], { as: carol, cwd: fresh });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("explicit flags override what is kept", async () => {
    const fresh = join(world.root, "next");
    const r = await world.run(["init", fresh, "--from", old, "--event", "Next", "--member", "alice", "--contact", "new@example.org", "--ladder", "care"], { as: alice });
    expect(r.code, r.stderr).toBe(0);
    const config = parse(readFileSync(join(fresh, ".coc", "config.yaml"), "utf8"));
    expect(config).toMatchObject({ contact: "new@example.org", ladder: "care", policy_url: "https://example.org/coc" });
  });

  it("asks only for the event and the member in a terminal", async () => {
    const fresh = join(world.root, "asked");
    const prompter = new ScriptedPrompter({ event: "Asked Conf", member: "carol" });
    const r = await world.run(["init", fresh, "--from", old], { as: carol, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.asked).toEqual(["event", "member"]);
    expect(parse(readFileSync(join(fresh, ".coc", "config.yaml"), "utf8")).ladder).toBe("cc3");
  });

  it("refuses a directory that is not a coc repository, creating nothing", async () => {
    const fresh = join(world.root, "nope");
    const r = await world.run(["init", fresh, "--from", join(world.root, "home"), "--event", "X", "--member", "carol"], { as: carol });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a coc repository \(no \.coc\/config\.yaml\); --from needs last year's repository/);
    expect(existsSync(fresh)).toBe(false);
  });
});
