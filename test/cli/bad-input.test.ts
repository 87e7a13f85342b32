/**
 * Bad input of every kind: each failure is one clear line on stderr naming
 * what and where, the documented exit code, no stack trace, and nothing that
 * was stored is lost or altered (DESIGN.md §1.6).
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person, type RunResult } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

/** Every file under `dir` (`.git` excluded unless asked), relative path → sha256 of its bytes. */
function digestTree(dir: string, withGit = false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === ".git" && d === dir && !withGit) continue;
        walk(p);
      } else if (e.isFile()) {
        out[relative(dir, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
      }
    }
  };
  walk(dir);
  return out;
}

interface Snapshot {
  head: string;
  status: string;
  tree: Record<string, string>;
  list: unknown;
}

/** What is stored: HEAD, the work tree's status and bytes, and what `list --json` shows to `as`. */
async function snapshot(world: World, repo: string, as: Person): Promise<Snapshot> {
  const list = await world.run(["list", "--json"], { as, cwd: repo });
  return {
    head: world.git(repo, ["rev-parse", "HEAD"]).trim(),
    status: world.git(repo, ["status", "--porcelain", "--untracked-files=all", "--ignored"]),
    tree: digestTree(repo),
    list: { code: list.code, cases: JSON.parse(list.stdout) as unknown },
  };
}

const STACK_LINE = /^ {4}at /m;

/**
 * The failure shape: the exit code, the first stderr line (prefixed `coc:`)
 * holding every `needle`, no stack trace. With `oneLine`, stderr is exactly that line.
 */
function expectFailure(r: RunResult, code: number, needles: readonly string[], oneLine = true): string {
  expect(r.code, `exit code; stderr: ${r.stderr}`).toBe(code);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(/internal error|This is a bug/);
  const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
  expect(lines.length).toBeGreaterThan(0);
  const first = lines[0]!;
  expect(first.startsWith("coc: ")).toBe(true);
  for (const n of needles) expect(first).toContain(n);
  if (oneLine) expect(lines, r.stderr).toHaveLength(1);
  return first;
}

describe("with a team repository holding two cases", () => {
  let world: World;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let repo: string;
  let inputs: string;
  let shared: string;
  let secret: string;
  let before: Snapshot;

  beforeAll(async () => {
    world = new World();
    alice = world.person("alice");
    bob = world.person("bob");
    carol = world.person("carol");
    repo = await teamRepo(world, [alice, bob, carol]);
    inputs = join(world.root, "inputs");
    mkdirSync(inputs);
    const a = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("shared") });
    expect(a.code, a.stderr).toBe(0);
    shared = a.stdout.trim();
    const b = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("names carol", "exclude: [carol]\n") });
    expect(b.code, b.stderr).toBe(0);
    secret = b.stdout.trim();
    expect(secret).not.toBe(shared);
  });
  afterAll(() => world.cleanup());

  beforeEach(async () => {
    before = await snapshot(world, repo, alice);
    expect(before.status).toBe("");
    expect(before.list).toMatchObject({ code: 0 });
    expect((before.list as { cases: { case: string }[] }).cases.map((c) => c.case).sort()).toEqual([shared, secret].sort());
  });
  afterEach(async () => {
    // Nothing stored was lost or altered, and both cases still list.
    expect(await snapshot(world, repo, alice)).toEqual(before);
  });

  function writeInput(name: string, text: string): string {
    const p = join(inputs, name);
    writeFileSync(p, text);
    return p;
  }

  describe("new-report --from with a bad body", () => {
    it("broken YAML: names the file and the line", async () => {
      const file = writeInput("broken.yaml", 'channel: in-person\nincident:\n  summary: "unterminated\n  description: x\n');
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      const line = expectFailure(r, 1, [file, "invalid YAML"]);
      expect(line).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+: `));
    });

    it("a duplicate key: names the file and the line of the duplicate", async () => {
      const file = writeInput("dup.yaml", "channel: email\nchannel: phone\nincident: {summary: a, description: b}\n");
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      expectFailure(r, 1, [`${file}:2:`]);
    });

    it("broken YAML on stdin: names stdin", async () => {
      const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: "incident: [unclosed\n" });
      expectFailure(r, 1, ["stdin", "invalid YAML"]);
    });

    it("a missing required field: names incident.description", async () => {
      const file = writeInput("nodesc.yaml", "incident: {summary: x}\n");
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      expectFailure(r, 1, [file, "incident.description"]);
    });

    it("an unknown field: names it", async () => {
      const file = writeInput("unknown.yaml", reportYaml("x", "colour: red\n"));
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      expectFailure(r, 1, [file, "colour"]);
    });

    it("an unknown nested field: names its path", async () => {
      const file = writeInput("nested.yaml", "incident: {summary: a, description: b, severity: 3}\n");
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      expectFailure(r, 1, [file, "incident", "severity"]);
    });

    it("a bad channel: names channel", async () => {
      const file = writeInput("channel.yaml", reportYaml("x").replace("channel: in-person", "channel: carrier-pigeon"));
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      expectFailure(r, 1, [file, "channel"]);
    });

    it("a bad received_at: names the field and the value", async () => {
      const file = writeInput("when.yaml", `received_at: yesterday-ish\n${reportYaml("x")}`);
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      expectFailure(r, 1, [file, "received_at", "yesterday-ish"]);
    });

    it("excluding somebody not on the team: names exclude[0]", async () => {
      const file = writeInput("nobody.yaml", reportYaml("x", "exclude: [nobody]\n"));
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      expectFailure(r, 1, ["exclude[0]", "nobody"]);
    });

    it("an empty file: says so", async () => {
      const file = writeInput("empty.yaml", "# nothing here\n");
      const r = await world.run(["new-report", "--from", file], { as: alice, cwd: repo });
      expectFailure(r, 1, [file, "empty"]);
    });

    it("a file that does not exist: names it", async () => {
      const r = await world.run(["new-report", "--from", join(inputs, "missing.yaml")], { as: alice, cwd: repo });
      expectFailure(r, 1, ["missing.yaml"]);
    });

    it("--case with an unknown case: names the code", async () => {
      const r = await world.run(["new-report", "--case", "quiet-otter-9999", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("x") });
      expectFailure(r, 1, ["unknown case code", "quiet-otter-9999"]);
    });
  });

  describe("show with a bad case code", () => {
    it("unknown but well-formed: exit 1, unknown case code", async () => {
      const code = [shared, secret].includes("quiet-otter-9999") ? "quiet-otter-9998" : "quiet-otter-9999";
      const r = await world.run(["show", code], { as: alice, cwd: repo });
      expectFailure(r, 1, ["unknown case code", code]);
      expect(r.stdout).toBe("");
    });

    it("malformed (a path): exit 1, not a case code", async () => {
      for (const code of ["../etc", "../../.coc", "Quiet-Otter-1", "a/b-c-1"]) {
        const r = await world.run(["show", code], { as: alice, cwd: repo });
        expectFailure(r, 1, ["not a case code", code]);
        expect(r.stdout).toBe("");
      }
    });
  });

  describe("a case encrypted only to others", () => {
    it("is listed as restricted for the excluded member, not as an error", async () => {
      const r = await world.run(["list", "--json"], { as: carol, cwd: repo });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      const rows = JSON.parse(r.stdout) as { case: string; restricted: boolean; state: string }[];
      expect(rows.find((c) => c.case === secret)).toMatchObject({ case: secret, restricted: true, state: "restricted" });
      expect(rows.find((c) => c.case === shared)).toMatchObject({ case: shared, restricted: false, state: "new" });
      // Nothing about the case leaks to them.
      expect(rows.find((c) => c.case === secret)).toMatchObject({ received_at: null, category: null, risk: null, impact: null });

      const text = await world.run(["list"], { as: carol, cwd: repo });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(secret);
      expect(text.stdout).toMatch(new RegExp(`${secret}\\s+restricted`));
    });

    it("show says the caller is not a recipient", async () => {
      const r = await world.run(["show", secret], { as: carol, cwd: repo });
      expectFailure(r, 1, [`you are not a recipient of case ${secret}`]);
      expect(r.stdout).toBe("");
      const json = await world.run(["show", secret, "--json"], { as: carol, cwd: repo });
      expectFailure(json, 1, [`you are not a recipient of case ${secret}`]);
      expect(json.stdout).toBe("");
      // The others read it as usual.
      const ok = await world.run(["show", secret, "--json"], { as: bob, cwd: repo });
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout).records[0].recipients).toEqual(["alice", "bob"]);
    });

    it("--case onto it is refused for the excluded member", async () => {
      const r = await world.run(["new-report", "--case", secret, "--from", "-"], { as: carol, cwd: repo, stdin: reportYaml("x") });
      expectFailure(r, 1, [`you are not a recipient of case ${secret}`]);
    });
  });

  describe("identity problems", () => {
    it("an identity file readable by others: exit 1, says chmod 600", async () => {
      const loose = join(world.root, "loose-identity.txt");
      copyFileSync(alice.identityFile, loose);
      chmodSync(loose, 0o644);
      for (const argv of [["list"], ["show", shared], ["new-report", "--from", "-"]]) {
        const r = await world.run([...argv, "--identity", loose], { cwd: repo, stdin: reportYaml("x") });
        const line = expectFailure(r, 1, [loose, "chmod 600"]);
        expect(line).toContain("644");
        expect(r.stdout).toBe("");
      }
    });

    it("a missing identity file: exit 1, names it and coc keygen", async () => {
      const r = await world.run(["list", "--identity", join(world.root, "nope.txt")], { cwd: repo });
      expectFailure(r, 1, ["nope.txt", "coc keygen"]);
    });

    it("a file that is not an identity: names the file and line", async () => {
      const bad = join(world.root, "not-identity.txt");
      writeFileSync(bad, "# a comment\nhello\n", { mode: 0o600 });
      const r = await world.run(["list", "--identity", bad], { cwd: repo });
      expectFailure(r, 1, [`${bad}:2`, "AGE-SECRET-KEY-"]);
    });

    it("an identity that is not on the roster: says so", async () => {
      const stranger = world.person("stranger");
      const r = await world.run(["new-report", "--from", "-"], { as: stranger, cwd: repo, stdin: reportYaml("x") });
      expectFailure(r, 1, ["not on the roster", stranger.recipient]);
    });
  });

  describe("no prompting without a terminal", () => {
    it("new-report with no TTY and no --from: exit 2, names --from", async () => {
      const r = await world.run(["new-report"], { as: alice, cwd: repo, tty: false });
      expect(r.code).toBe(2);
      expectFailure(r, 2, ["--from"], false);
      expect(r.stderr.split("\n")[0]).toContain("no terminal");
    });

    it("new-report with --no-input on a TTY: exit 2, names --from, asks nothing", async () => {
      const prompter = new ScriptedPrompter({});
      const r = await world.run(["new-report", "--no-input"], { as: alice, cwd: repo, tty: true, prompter });
      expectFailure(r, 2, ["--from", "--no-input"], false);
      expect(prompter.asked).toEqual([]);
      expect(prompter.said).toEqual([]);
    });
  });

  describe("usage errors", () => {
    it("list --status bogus: exit 2, names the allowed states", async () => {
      const r = await world.run(["list", "--status", "bogus"], { as: alice, cwd: repo });
      expectFailure(r, 2, ["--status", "bogus", "in-review"], false);
      expect(r.stdout).toBe("");
    });

    it("an unknown option: exit 2", async () => {
      const r = await world.run(["list", "--frobnicate"], { as: alice, cwd: repo });
      expectFailure(r, 2, ["--frobnicate"], false);
    });
  });

  describe("the repository", () => {
    it("list outside a coc repository: exit 1, not inside a coc repository", async () => {
      const elsewhere = join(world.root, "elsewhere");
      mkdirSync(elsewhere, { recursive: true });
      const r = await world.run(["list"], { as: alice, cwd: elsewhere });
      expectFailure(r, 1, ["not inside a coc repository"]);
      const explicit = await world.run(["list", "--repo", elsewhere], { as: alice, cwd: repo });
      expectFailure(explicit, 1, [elsewhere, "not a coc repository"]);
    });

    it("init where a coc repository already is: exit 1, nothing touched", async () => {
      const withGit = digestTree(repo, true);
      const r = await world.run(["init", repo, "--event", "Other Conf", "--member", "bob"], { as: bob, cwd: world.root });
      expectFailure(r, 1, [repo, "already holds a coc repository"]);
      const here = await world.run(["init", "--event", "Other Conf", "--member", "alice"], { as: alice, cwd: repo });
      expectFailure(here, 1, ["already holds a coc repository"]);
      expect(digestTree(repo, true)).toEqual(withGit);
    });
  });

  describe("team add", () => {
    it("an invalid recipient: exit 1, names the recipient", async () => {
      const r = await world.run(["team", "add", "dave", "age1notarealkey"], { as: alice, cwd: repo });
      expectFailure(r, 1, ["recipient", "age1notarealkey"]);
    });

    it("a duplicate name: exit 1, names the member", async () => {
      const newcomer = world.person("bob2");
      const r = await world.run(["team", "add", "bob", newcomer.memberKey], { as: alice, cwd: repo });
      expectFailure(r, 1, ['"bob"', "already a team member"]);
    });

    it("a recipient already on the roster: exit 1, names its owner", async () => {
      const r = await world.run(["team", "add", "robert", bob.memberKey], { as: alice, cwd: repo });
      expectFailure(r, 1, ['"bob"']);
    });

    it("an invalid name: exit 1, names the field", async () => {
      const newcomer = world.person("x");
      const r = await world.run(["team", "add", "../evil", newcomer.memberKey], { as: alice, cwd: repo });
      expectFailure(r, 1, ["name"]);
    });
  });

  describe("Ctrl+C in a prompt", () => {
    it("exit 130, no stack trace, nothing written", async () => {
      const sigint = Object.assign(new Error("User force closed the prompt with SIGINT"), { name: "ExitPromptError" });
      const prompter = new ScriptedPrompter({
        "safety.immediate_risk": false,
        received_at: "",
        channel: "in-person",
        "reporter.anonymous": false,
        "reporter.name": "Sam",
        "reporter.contact": "",
        "reporter.keep_private": true,
        "reporter.wants_followup": true,
        "incident.summary": sigint,
      });
      const r = await world.run(["new-report"], { as: alice, cwd: repo, tty: true, prompter });
      expect(r.code).toBe(130);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stderr).toContain("cancelled");
      expect(r.stderr).toContain("nothing was written");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toBe("");
      expect(prompter.asked.at(-1)).toBe("incident.summary");
    });
  });
});

describe("a corrupt record file", () => {
  let world: World;
  let alice: Person;
  let repo: string;
  let good: string;
  let bad: string;
  let badFile: string;

  beforeAll(async () => {
    world = new World();
    alice = world.person("alice");
    repo = await teamRepo(world, [alice]);
    const a = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("good") });
    const b = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("bad") });
    expect([a.code, b.code]).toEqual([0, 0]);
    good = a.stdout.trim();
    bad = b.stdout.trim();
    const [name] = readdirSync(join(repo, "cases", bad));
    badFile = `cases/${bad}/${name}`;
    writeFileSync(join(repo, badFile), Buffer.from("\x00\x01garbage bytes, not an age file\xff\xfe", "latin1"));
    // The pre-commit guard refuses this, so it takes --no-verify (as a careless hand edit would).
    world.git(repo, ["-c", "user.name=Someone", "-c", "user.email=someone@example.invalid", "commit", "--quiet", "--no-verify", "-am", "oops"]);
  });
  afterAll(() => world.cleanup());

  it("list: one stderr line naming the file, every other case still listed, exit 1", async () => {
    const before = await snapshotQuiet(world, repo);
    const r = await world.run(["list", "--json"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(badFile);
    const rows = JSON.parse(r.stdout) as { case: string; state: string; restricted: boolean }[];
    expect(rows.find((c) => c.case === good)).toMatchObject({ case: good, state: "new", restricted: false, received_at: "2026-06-01T14:05:00Z" });
    // A case with no readable file at all is listed honestly, not as "new".
    expect(rows.find((c) => c.case === bad)).toMatchObject({ case: bad, state: "unreadable", restricted: false, received_at: null });

    const text = await world.run(["list"], { as: alice, cwd: repo });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(good);
    expect(text.stderr).toContain(badFile);
    expect(text.stderr).not.toMatch(STACK_LINE);
    expect(await snapshotQuiet(world, repo)).toEqual(before);
  });

  it("show of another case works; show of the corrupt one names the file", async () => {
    const before = await snapshotQuiet(world, repo);
    const ok = await world.run(["show", good, "--json"], { as: alice, cwd: repo });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe("");
    expect(JSON.parse(ok.stdout).records[0].body.incident.summary).toContain("good");

    const r = await world.run(["show", bad], { as: alice, cwd: repo });
    expectFailure(r, 1, [badFile]);
    expect(await snapshotQuiet(world, repo)).toEqual(before);
  });

  it("new reports can still be taken", async () => {
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("after") });
    expect(r.code, r.stderr).toBe(0);
    const list = await world.run(["list", "--json"], { as: alice, cwd: repo });
    expect(list.code).toBe(1);
    expect((JSON.parse(list.stdout) as { case: string }[]).map((c) => c.case)).toEqual(expect.arrayContaining([good, r.stdout.trim()]));
  });

  async function snapshotQuiet(w: World, dir: string): Promise<{ head: string; status: string; tree: Record<string, string> }> {
    return { head: w.git(dir, ["rev-parse", "HEAD"]).trim(), status: w.git(dir, ["status", "--porcelain"]), tree: digestTree(dir) };
  }
});

describe("commits without a git identity", () => {
  let world: World;
  let alice: Person;
  let repo: string;

  beforeAll(async () => {
    world = new World();
    alice = world.person("alice");
    repo = await teamRepo(world, [alice]);
  });
  afterAll(() => world.cleanup());

  it("the world has no git identity (so the test means something)", () => {
    expect(world.env["GIT_AUTHOR_NAME"]).toBeUndefined();
    expect(() => world.git(repo, ["config", "--get", "user.name"])).toThrow();
    expect(() => world.git(repo, ["config", "--get", "user.email"])).toThrow();
  });

  it("commits as the team member", async () => {
    expect(world.git(repo, ["log", "-1", "--format=%an <%ae>|%cn <%ce>"]).trim()).toBe("alice <alice@coc.invalid>|alice <alice@coc.invalid>");
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("x") });
    expect(r.code, r.stderr).toBe(0);
    expect(world.git(repo, ["log", "-1", "--format=%an <%ae>"]).trim()).toBe("alice <alice@coc.invalid>");
    expect(world.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe(`coc: new report ${r.stdout.trim()}`);
    // The fallback is per command: nothing was written to the repository's git config.
    expect(() => world.git(repo, ["config", "--get", "user.name"])).toThrow();
  });

  it("uses GIT_AUTHOR_NAME / GIT_AUTHOR_EMAIL when set", async () => {
    const env = { GIT_AUTHOR_NAME: "Alice Author", GIT_AUTHOR_EMAIL: "alice.author@example.org" };
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("y"), env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(world.git(repo, ["log", "-1", "--format=%an <%ae>"]).trim()).toBe("Alice Author <alice.author@example.org>");
    // git still needs a committer: the team member stands in for it.
    expect(world.git(repo, ["log", "-1", "--format=%cn <%ce>"]).trim()).toBe("alice <alice@coc.invalid>");
    expect(world.git(repo, ["status", "--porcelain"])).toBe("");
  });

  it("uses the repository's user.name / user.email when set", async () => {
    world.git(repo, ["config", "user.name", "Alice Configured"]);
    world.git(repo, ["config", "user.email", "alice.configured@example.org"]);
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("z") });
    expect(r.code, r.stderr).toBe(0);
    expect(world.git(repo, ["log", "-1", "--format=%an <%ae>"]).trim()).toBe("Alice Configured <alice.configured@example.org>");
  });
});
