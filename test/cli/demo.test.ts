/**
 * `coc demo <dir>` in a world with a fresh HOME: no identity, no git
 * configuration. It builds its team, repository and fictional cases without
 * reading or writing the user's own files, prints the list, a matrix and the
 * transparency report (no fictional name in any of them), and leaves a
 * repository that `coc verify` passes with a demo identity.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, type RunResult } from "../helpers/env.js";

let world: World;
let dir: string;
let demo: RunResult;

beforeAll(async () => {
  world = new World();
  dir = join(world.root, "my demo");
  demo = await world.run(["demo", dir]);
}, 180_000);
afterAll(() => world.cleanup());

const CASE_LINE = /^([a-z]+-[a-z]+-\d+) +(new|in-review|decided|resolved|closed) /gm;

describe("coc demo", () => {
  it("works with no identity and no git configuration, and never touches the user's own files", () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(existsSync(join(world.env["XDG_CONFIG_HOME"]!, "coc", "identity.txt"))).toBe(false);
    // Nothing at all in the user's HOME: no identity, no roster pins, no git config.
    expect(readdirSync(world.home)).toEqual([]);
    expect(readdirSync(join(dir, "keys")).sort()).toEqual(["alex.txt", "bo.txt", "chris.txt", "home"]);
  });

  it("prints the list, a matrix and the transparency report, with no fictional name in them", () => {
    // The public part ends where the register (which names the people it applies to, for the team) begins.
    const out = demo.stdout.slice(0, demo.stdout.indexOf("$ coc bans"));
    expect(out).toMatch(/^\$ coc list\n/);
    const cases = [...out.matchAll(CASE_LINE)].map((m) => [m[1], m[2]]);
    expect(cases).toHaveLength(5);
    expect(cases.filter(([, state]) => state === "closed")).toHaveLength(4);
    expect(cases.filter(([, state]) => state === "in-review")).toHaveLength(1);
    expect(out).toMatch(/\$ coc matrix [a-z]+-[a-z]+-\d+\nRisk and impact: case /);
    expect(out).toContain("Suggested response (the majority cell):");
    expect(out).toContain("$ coc transparency\n");
    expect(out).toContain("# DemoConf 2026: Code of Conduct transparency report");
    expect(out).toMatch(/6 reports about 5 incidents/);
    expect(out).not.toMatch(/Sample|Example|Placeholder|Fictional|mail\.invalid/);
  });

  it("shows the register, a list checked against it, the acknowledgement, the plan, a consent refusal and what is coming due", () => {
    const out = demo.stdout;
    const section = (heading: RegExp) => {
      const start = out.search(heading);
      expect(start, String(heading)).toBeGreaterThan(-1);
      const next = out.indexOf("\n$ coc ", start + 1);
      return out.slice(start, next === -1 ? undefined : next);
    };
    const bans = section(/^\$ coc bans$/m);
    expect(bans).toMatch(/Kim Example <kim@mail\.invalid, @kim_example> +both +discord, matrix /);
    expect(bans).toMatch(/Pat Example <@pat\.example:matrix\.invalid> +both +discord, matrix, mailing-list .* permanent /);
    expect(bans).not.toMatch(/Jordan|Morgan|Sample|sexual|jokes/);
    const check = section(/^\$ coc bans check/m);
    expect(check).toContain("PAT EXAMPLE");
    expect(check).not.toMatch(/Alexis|Robin Guest/);
    const ack = section(/^\$ coc letter [a-z]+-[a-z]+-\d+ --to reporter --kind ack$/m);
    expect(ack).toContain("We have received your report");
    expect(ack).toMatch(/You will hear from us by \d{4}-\d{2}-\d{2}/);
    const plan = section(/^\$ coc letter [a-z]+-[a-z]+-\d+ --to reported$/m);
    expect(plan).toContain("  - A short written apology, which the team passes on if the other participant wants it.");
    expect(plan).toContain("We will check in with you:");
    expect(section(/# the reporter said no$/m)).toContain("the reporter did not agree to the team contacting the reported person");
    const overdue = section(/^\$ coc list --overdue$/m);
    expect(overdue).toContain("Within 14 days:");
    expect(overdue).toMatch(/due: check-in 0: /);
    expect(overdue).toMatch(/ends: remove from the event without refund for Kim Example/);
  });

  it("says how to explore further with a demo identity", () => {
    expect(demo.stderr).toContain(`cd '${dir}'; export COC_IDENTITY='${join(dir, "keys", "alex.txt")}'`);
    expect(demo.stderr).toContain("coc list");
    expect(demo.stderr).toMatch(/coc announce [a-z]+-[a-z]+-\d+/);
  });

  it("leaves a repository that coc verify passes with each demo identity, the keys never committed", async () => {
    for (const member of ["alex", "chris"]) {
      const r = await world.run(["verify"], { cwd: dir, env: { COC_IDENTITY: join(dir, "keys", `${member}.txt`) } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^ok: 5 case\(s\)/m);
    }
    expect(world.git(dir, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
    expect(world.git(dir, ["log", "--all", "--name-only", "--format="])).not.toMatch(/keys\//);
    // git had no identity: every commit is the team member's own.
    expect(new Set(world.git(dir, ["log", "--format=%an <%ae>"]).trim().split("\n"))).toEqual(new Set(["alex <alex@coc.invalid>", "bo <bo@coc.invalid>", "chris <chris@coc.invalid>"]));
  });

  it("the demo's cases work with the public-text commands", async () => {
    const env = { COC_IDENTITY: join(dir, "keys", "alex.txt") };
    const listed = JSON.parse((await world.run(["list", "--json"], { cwd: dir, env })).stdout) as { case: string; category: string | null }[];
    const announced = listed.find((c) => c.category === "sexual jokes")!.case;
    const a = await world.run(["announce", announced], { cwd: dir, env });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain("jokes of a sexual nature about women were made in front of an audience");
    const harassment = listed.find((c) => c.category === "harassment")!.case;
    const letter = await world.run(["letter", harassment, "--to", "reported"], { cwd: dir, env });
    expect(letter.code, letter.stderr).toBe(0);
    expect(letter.stdout).not.toMatch(/Quinn|Ray|Sample|Placeholder/);
  });

  it("refuses a directory that is not empty", async () => {
    const r = await world.run(["demo", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("is not empty");
  });
});
