/**
 * What arrives through the remote is input, not code and not trust (DESIGN.md
 * §7): a pushed hook never runs, and a pushed roster, setting or template
 * change is used only once the user confirms it. Each attack is made the way
 * someone with push access would: plain git, with hooks off, then a push.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person, filesReadableBy } from "../helpers/env.js";

const HOOKS = ["pre-commit", "post-checkout", "post-merge", "post-rewrite", "reference-transaction", "pre-push", "post-commit"];

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let mallory: Person;
let origin: string;
let a: string;
let marks: string;

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
  mallory = world.person("mallory");
  a = await teamRepo(world, [alice, bob, carol]);
  origin = join(world.root, "origin.git");
  world.git(world.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
  world.git(a, ["remote", "add", "origin", origin]);
  world.git(a, ["push", "--quiet", "-u", "origin", "main"]);
  marks = join(world.root, "marks");
  mkdirSync(marks);
});
afterEach(() => world.cleanup());

/** A clone as the attacker has it: plain git, hooks off. */
function attackerClone(): string {
  const dir = join(world.root, `attacker-${Math.random().toString(36).slice(2, 8)}`);
  world.git(world.root, ["clone", "--quiet", origin, dir]);
  return dir;
}

function push(dir: string, message: string): void {
  world.git(dir, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x", "add", "-A"]);
  world.git(dir, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x", "commit", "--quiet", "-m", message]);
  world.git(dir, ["-c", "core.hooksPath=/dev/null", "push", "--quiet", "origin", "main"]);
}

/** Pushes a tracked .coc/hooks/ with every kind of hook, each leaving a mark when it runs. */
function pushHooks(): void {
  const dir = attackerClone();
  mkdirSync(join(dir, ".coc", "hooks"), { recursive: true });
  for (const h of HOOKS) {
    const file = join(dir, ".coc", "hooks", h);
    writeFileSync(file, `#!/bin/sh\ntouch ${join(marks, h)}\ncp "$HOME/.config/coc/identity.txt" ${join(marks, "stolen")} 2>/dev/null\nexit 0\n`);
    chmodSync(file, 0o755);
  }
  push(dir, "tooling");
}

async function ok(argv: string[], who: Person, cwd: string, stdin?: string): Promise<string> {
  const r = await world.run(argv, { as: who, cwd, ...(stdin !== undefined ? { stdin } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

describe("a pushed git hook", () => {
  for (const style of ["old", "new"] as const) {
    it(`runs during no coc command, in a clone set up the ${style} way`, async () => {
      const b = join(world.root, `bob-${style}`);
      world.git(world.root, ["clone", "--quiet", origin, b]);
      if (style === "old") world.git(b, ["config", "core.hooksPath", ".coc/hooks"]);
      const code = (await ok(["new-report", "--from", "-"], bob, b, reportYaml())).trim();
      await ok(["sync"], bob, b);
      pushHooks();
      await ok(["sync"], bob, b);
      expect(existsSync(join(b, ".coc", "hooks", "post-merge"))).toBe(true);
      const second = (await ok(["new-report", "--from", "-"], bob, b, reportYaml("two"))).trim();
      writeFileSync(join(world.root, "review.yaml"), "assessment: { risk: low, impact: low }\n");
      await ok(["review", code, "--from", join(world.root, "review.yaml")], bob, b);
      await ok(["team", "remove", "carol", "--yes"], bob, b);
      await ok(["purge", second, "--yes"], alice, b); // a purge is for a lead
      await ok(["sync"], bob, b);
      expect(readdirSync(marks)).toEqual([]);
      // The clone now runs coc's own guard, which still refuses plaintext in a plain `git commit`.
      expect(world.git(b, ["config", "core.hooksPath"]).trim()).toBe(".git/coc/hooks");
      mkdirSync(join(b, "cases", code), { recursive: true });
      writeFileSync(join(b, "cases", code, "20260601T140500Z-note-zzzz.age"), "plaintext secret\n");
      world.git(b, ["add", "cases"]);
      expect(() => world.git(b, ["-c", "user.name=b", "-c", "user.email=b@x", "commit", "--quiet", "-m", "oops"])).toThrow(/refusing to commit files under cases\/ that are not age-encrypted/);
      expect(readdirSync(marks)).toEqual([]);
    });
  }

  it("is named by coc verify as tracked and ignored", async () => {
    pushHooks();
    await ok(["sync"], alice, a);
    const r = await world.run(["verify"], { as: alice, cwd: a });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\.coc\/hooks\/post-merge is tracked in the repository and ignored/);
    expect(readdirSync(marks)).toEqual([]);
  });
});


/** bob's clone, with his pin made by a first write. */
async function bobClone(): Promise<string> {
  const b = join(world.root, "bob");
  world.git(world.root, ["clone", "--quiet", origin, b]);
  await ok(["new-report", "--from", "-"], bob, b, reportYaml());
  await ok(["sync"], bob, b);
  return b;
}

function edit(dir: string, rel: string, change: (text: string) => string): void {
  writeFileSync(join(dir, rel), change(readFileSync(join(dir, rel), "utf8")));
}

describe("a change that arrived through a pull", () => {
  it("the orphan-root trick with a swapped key: flagged, nothing encrypted to the new key", async () => {
    const b = await bobClone();
    const dir = attackerClone();
    // An orphan root commit whose id sorts before the real root (the old pins were keyed on the smallest root).
    const realRoot = world.git(dir, ["rev-list", "--max-parents=0", "HEAD"]).trim();
    const empty = world.git(dir, ["mktree"]).trim();
    let orphan = "";
    for (let i = 0; i < 200; i++) {
      const c = world.git(dir, ["-c", "user.name=m", "-c", "user.email=m@x", "commit-tree", empty, "-m", `root ${i}`]).trim();
      if (c < realRoot) {
        orphan = c;
        break;
      }
    }
    expect(orphan).not.toBe("");
    world.git(dir, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x", "merge", "--quiet", "--allow-unrelated-histories", "-m", "merge", orphan]);
    edit(dir, ".coc/team.yaml", (t) => t.replace(alice.recipient, mallory.recipient));
    push(dir, "update roster");
    await ok(["sync"], bob, b);
    const head = world.git(b, ["rev-parse", "HEAD"]).trim();
    const r = await world.run(["new-report", "--from", "-", "--no-input"], { as: bob, cwd: b, stdin: reportYaml("secret") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`new key for alice: ${mallory.recipient}`);
    expect(r.stderr).not.toMatch(/Pinned the roster/);
    expect(world.git(b, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(await filesReadableBy(b, mallory)).toBe(0);
  });

  it("a role change is flagged before anything is written", async () => {
    const b = await bobClone();
    const dir = attackerClone();
    edit(dir, ".coc/team.yaml", (t) => t.replace(/(name: carol\n\s+recipient: \S+\n\s+roles:\n\s+- )responder/, "$1lead"));
    push(dir, "roles");
    await ok(["sync"], bob, b);
    const r = await world.run(["new-report", "--from", "-", "--no-input"], { as: bob, cwd: b, stdin: reportYaml() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/roles of carol: lead \(was responder\)/);
    expect(world.git(b, ["status", "--porcelain"]).trim()).toBe("");
  });

  it("a changed contact and a changed template: nothing printed or written until confirmed", async () => {
    const b = await bobClone();
    const dir = attackerClone();
    edit(dir, ".coc/config.yaml", (t) => t.replace("care@example.org", "care@attacker.example"));
    edit(dir, "templates/transparency.md.hbs", (t) => `${t}\nWrite to the attacker.\n`);
    push(dir, "settings");
    await ok(["sync"], bob, b);
    const r = await world.run(["transparency", "--no-input"], { as: bob, cwd: b });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/config\.yaml contact: "care@attacker\.example" \(was "care@example\.org"\)/);
    expect(r.stderr).toMatch(/templates\/transparency\.md\.hbs: changed/);
    const w = await world.run(["new-report", "--from", "-", "--no-input"], { as: bob, cwd: b, stdin: reportYaml() });
    expect(w.code).toBe(1);
    // Confirmed: used.
    await ok(["trust", "--yes"], bob, b);
    const after = await world.run(["transparency", "--allow", "Reporter"], { as: bob, cwd: b });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain("care@attacker.example");
  });
});

describe("a pushed .gitattributes", () => {
  it("changes no byte of a record: records that arrive with it still decrypt, and the work tree is what was committed", async () => {
    const report = await world.run(["new-report", "--from", "-"], { as: alice, cwd: a, stdin: reportYaml("attributes") });
    expect(report.code, report.stderr).toBe(0);
    const code = report.stdout.trim();
    world.git(a, ["push", "--quiet", "origin", "main"]);
    const b = join(world.root, "bob");
    world.git(world.root, ["clone", "--quiet", origin, b]);
    // Every file as text with CRLF line ends on checkout, and re-encoded: an age file would be rewritten.
    const dir = attackerClone();
    writeFileSync(join(dir, ".gitattributes"), "* text eol=crlf\n*.age working-tree-encoding=UTF-16\n");
    const plain = ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x"];
    world.git(dir, [...plain, "add", ".gitattributes"]);
    world.git(dir, [...plain, "commit", "--quiet", "-m", "attributes"]);
    world.git(dir, [...plain, "push", "--quiet", "origin", "main"]);
    const note = await world.run(["note", code, "--from", "-"], { as: alice, cwd: a, stdin: "kind: other\ntext: after the attributes\n" });
    expect(note.code, note.stderr).toBe(0);
    const syncA = await world.run(["sync"], { as: alice, cwd: a });
    expect(syncA.code, syncA.stderr).toBe(0);
    const syncB = await world.run(["sync"], { as: bob, cwd: b });
    expect(syncB.code, syncB.stderr).toBe(0);
    const shown = await world.run(["show", code], { as: bob, cwd: b });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("after the attributes");
    for (const f of readdirSync(join(b, "cases", code))) {
      const rel = `cases/${code}/${f}`;
      expect(readFileSync(join(b, rel)), rel).toEqual(world.gitBytes(b, ["show", `HEAD:${rel}`]));
    }
  });
});
