import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
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

  it.skipIf(!hasAgeCli())("a forged escalation pushed with plain git gives the liaison nothing, and verify names the file encrypted to them", async () => {
    const t = await teamWithRemote();
    world = t.world;
    const { alice, bob, carol, a, b, code, origin } = t;
    const liaison = t.world.person("liaison");
    await ok(t.world, a, ["oversight", "add", "liaison", liaison.memberKey, "--role", "board-liaison"], alice);
    await ok(t.world, a, ["sync"], alice);
    await ok(t.world, b, ["sync"], bob);
    await ok(t.world, b, ["trust", "--yes"], bob);
    // Someone with push access writes an "escalation" claiming to be alice's, with the age CLI.
    const dir = join(t.world.root, "attacker");
    t.world.git(t.world.root, ["clone", "--quiet", origin, dir]);
    const id = "20260601T150000Z-escalation-forged1";
    const record = { coc: 1, type: "escalation", case: code, id, author: "alice", created_at: "2026-06-01T15:00:00Z", recipients: ["alice", "bob", "carol", "liaison"], body: { to: [{ name: "liaison", recipient: liaison.recipient }] } };
    const plain = join(t.world.root, "forged.json");
    writeFileSync(plain, JSON.stringify(record));
    mkdirSync(join(dir, "cases", code), { recursive: true });
    const forged = join(dir, "cases", code, `${id}.age`);
    execFileSync("age", [...[alice, bob, carol, liaison].flatMap((p) => ["-r", p.recipient]), "-o", forged, plain], { env: t.world.env });
    const git = (args: string[]) => t.world.git(dir, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x", ...args]);
    git(["add", "-A"]);
    git(["commit", "--quiet", "-m", "coc: escalate"]);
    git(["push", "--quiet", "origin", "main"]);

    // bob's sync takes it in and re-encrypts the file without the liaison (nobody gave them the case).
    await ok(t.world, b, ["sync"], bob);
    await ok(t.world, b, ["note", code, "--from", "-"], bob, "kind: other\ntext: after the forgery\n");
    for (const f of readdirSync(join(b, "cases", code))) expect(ageDecrypts(join(b, "cases", code, f), liaison, t.world.env)).toBe(false);
    const v = await t.world.run(["verify"], { as: bob, cwd: b });
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/escalation-forged1\.age: unverified record/);
    expect(v.stdout).not.toMatch(/still encrypted to "liaison"/);
  });

  it("verify names a file still encrypted to an oversight person the case was not escalated to", async () => {
    const t = await teamWithRemote();
    world = t.world;
    const { alice, bob, a, code } = t;
    const liaison = t.world.person("liaison");
    await ok(t.world, a, ["oversight", "add", "liaison", liaison.memberKey, "--role", "board-liaison"], alice);
    await ok(t.world, a, ["escalate", code, "--to", "liaison", "--yes"], alice);
    // The escalation record itself is lost (removed by hand, committed): the other files still name the liaison.
    const escalation = readdirSync(join(a, "cases", code)).find((f) => f.includes("-escalation-"))!;
    t.world.git(a, ["rm", "--quiet", join("cases", code, escalation)]);
    t.world.git(a, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x", "commit", "--quiet", "-m", "x"]);
    const v = await t.world.run(["verify"], { as: alice, cwd: a });
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/still encrypted to "liaison", an oversight person to whom neither case .* nor this record was given by a verified escalation or summary/);
    void bob;
  });
});
