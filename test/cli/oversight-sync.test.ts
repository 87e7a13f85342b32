import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ageDecrypts, hasAgeCli, teamWithRemote, type Person, type World } from "../helpers/env.js";

let world: World | undefined;
afterEach(() => world?.cleanup());

async function ok(w: World, dir: string, argv: string[], who: Person, stdin?: string): Promise<string> {
  const r = await w.run(argv, { as: who, cwd: dir, ...(stdin !== undefined ? { stdin } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stderr;
}

describe("an escalation through a real bare remote", () => {
  it.skipIf(!hasAgeCli())("another clone picks it up and encrypts its next record in the case to the liaison too", async () => {
    const t = await teamWithRemote();
    world = t.world;
    const { alice, bob, a, b, code } = t;
    const liaison = t.world.person("liaison");
    // bob works in his clone first: his pin holds the oversight list as it was (empty).
    await ok(t.world, b, ["note", code, "--from", "-"], bob, "kind: other\ntext: before\n");
    await ok(t.world, b, ["sync"], bob);
    await ok(t.world, a, ["sync"], alice);
    await ok(t.world, a, ["oversight", "add", "liaison", liaison.memberKey, "--role", "board-liaison"], alice);
    await ok(t.world, a, ["escalate", code, "--to", "liaison", "--yes"], alice);
    await ok(t.world, a, ["sync"], alice);

    await ok(t.world, b, ["sync"], bob);
    // The new oversight person arrived from elsewhere: bob confirms before anything is encrypted to them.
    const refused = await t.world.run(["note", code, "--from", "-", "--no-input"], { as: bob, cwd: b, stdin: "kind: other\ntext: after\n" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/oversight.yaml liaison \(board-liaison\): added/);
    await ok(t.world, b, ["trust", "--yes"], bob);
    await ok(t.world, b, ["note", code, "--from", "-"], bob, "kind: other\ntext: after\n");
    const dir = join(b, "cases", code);
    const all = readdirSync(dir).map((f) => join(dir, f));
    expect(all.length).toBe(4);
    for (const f of all) expect(ageDecrypts(f, liaison, t.world.env)).toBe(true);
    await ok(t.world, b, ["sync"], bob);
    const v = await t.world.run(["verify"], { as: bob, cwd: b });
    expect(v.code, v.stderr).toBe(0);
  });

  it("a pushed hand-edit of oversight.yaml is refused until confirmed, and verify names it", async () => {
    const t = await teamWithRemote();
    world = t.world;
    const { alice, bob, a, b, code } = t;
    const mallory = t.world.person("mallory");
    await ok(t.world, b, ["note", code, "--from", "-"], bob, "kind: other\ntext: before\n");
    const path = join(a, ".coc", "oversight.yaml");
    writeFileSync(path, `coc: 1\npeople:\n  - name: mallory\n    recipient: ${mallory.recipient}\n    role: board-liaison\n    added_at: 2020-01-01T00:00:00Z\n`);
    t.world.git(a, ["add", ".coc/oversight.yaml"]);
    t.world.git(a, ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "oversight"]);
    t.world.git(a, ["push", "--quiet"]);
    await ok(t.world, b, ["sync"], bob);
    const refused = await t.world.run(["note", code, "--from", "-", "--no-input"], { as: bob, cwd: b, stdin: "kind: other\ntext: x\n" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/oversight.yaml mallory \(board-liaison\): added/);
    const v = await t.world.run(["verify"], { as: bob, cwd: b });
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/mallory \(board-liaison\) added since you last confirmed the oversight list/);
    // Nothing in the case reached mallory.
    expect(readFileSync(join(b, ".coc", "oversight.yaml"), "utf8")).toMatch(/mallory/);
    for (const f of readdirSync(join(b, "cases", code))) expect(ageDecrypts(join(b, "cases", code, f), mallory, t.world.env)).toBe(false);
    void alice;
  });
});
