/**
 * End-to-end: the built binary (bin/coc.js → dist/) spawned with `node`, an
 * environment built from scratch (never process.env), and a scratch HOME. The
 * last tests drive the interactive intake in a real terminal through tmux.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, reportYaml, type Person } from "../helpers/env.js";
import { Terminal, tmuxMissing } from "../helpers/terminal.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");
const NODE = process.execPath;
const CODE = /^[a-z]+-[a-z]+-\d+$/;

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built coc with exactly `env` (plus `extra`); stdin is a pipe, never a terminal. */
function coc(world: World, argv: string[], opts: { cwd?: string; stdin?: string; env?: Record<string, string> } = {}): Spawned {
  const r = spawnSync(NODE, [BIN, ...argv], {
    cwd: opts.cwd ?? world.root,
    env: { ...world.env, ...(opts.env ?? {}) },
    input: opts.stdin ?? "",
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const as = (p: Person) => ({ COC_IDENTITY: p.identityFile });

/** keygen (alice, at the default path), init, team add bob. */
function setUpTeam(world: World): { repo: string; alice: { identityFile: string; recipient: string }; bob: Person } {
  const keygen = coc(world, ["keygen"]);
  expect(keygen.stderr).toContain("Wrote your identity");
  expect(keygen.code).toBe(0);
  // keygen prints the member key: the recipient and the signing key.
  const [first, ...signing] = keygen.stdout.trim().split(" ");
  const recipient = first!;
  expect(recipient).toMatch(/^age1[0-9a-z]{58}$/);
  expect(signing.join(" ")).toMatch(/^ssh-ed25519 AAAA[A-Za-z0-9+/=]+$/);
  const identityFile = join(world.env["XDG_CONFIG_HOME"]!, "coc", "identity.txt");
  expect(readFileSync(identityFile, "utf8")).toContain(`# public key: ${recipient}`);

  const repo = join(world.root, "repo");
  const init = coc(world, ["init", repo, "--event", "E2E Conf 2026", "--member", "alice", "--contact", "care@example.org"]);
  expect(init.code, init.stderr).toBe(0);
  expect(existsSync(join(repo, ".coc", "config.yaml"))).toBe(true);

  const bob = world.person("bob");
  const add = coc(world, ["team", "add", "bob", bob.memberKey], { cwd: repo });
  expect(add.code, add.stderr).toBe(0);
  return { repo, alice: { identityFile, recipient }, bob };
}

beforeAll(() => {
  if (existsSync(join(ROOT, "dist", "main.js"))) return;
  // `npm test` builds first; a bare `vitest run` on a fresh checkout builds here.
  execFileSync(NODE, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.json")], {
    cwd: ROOT,
    env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
    stdio: "inherit",
  });
}, 120_000);

describe("the built binary", () => {
  const worlds: World[] = [];
  const world = () => {
    const w = new World();
    worlds.push(w);
    return w;
  };
  afterAll(() => worlds.forEach((w) => w.cleanup()));

  it("--help exits 0 and lists the commands and the exit codes", () => {
    const r = coc(world(), ["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["keygen", "init", "team", "new-report", "list", "show"]) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
    expect(r.stdout).toContain("Exit codes:");
    for (const [code, what] of [["0", "ok"], ["1", "error"], ["2", "usage error"], ["130", "cancelled"]]) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${code}\\s+${what}`, "m"));
    }
    expect(r.stderr).toBe("");
  });

  it("keygen, init, new-report --from -, list --json, show --json", () => {
    const w = world();
    const { repo, bob } = setUpTeam(w);

    const report = coc(w, ["new-report", "--from", "-"], { cwd: repo, stdin: reportYaml("e2e marker") });
    expect(report.code, report.stderr).toBe(0);
    const code = report.stdout.trim();
    expect(code).toMatch(CODE);
    expect(report.stderr).toContain(`Recorded a new report as case ${code}, encrypted to alice, bob.`);
    expect(w.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe(`coc: new report ${code}`);
    expect(w.git(repo, ["status", "--porcelain"]).trim()).toBe("");

    const list = coc(w, ["list", "--json", "--repo", repo], { env: as(bob) });
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ case: code, state: "new", restricted: false, overdue: false, risk: null, impact: null });

    const show = coc(w, ["show", code, "--json"], { cwd: repo, env: as(bob) });
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown).toMatchObject({ case: code, state: "new" });
    expect(shown.records).toHaveLength(1);
    expect(shown.records[0]).toMatchObject({ type: "report", author: "alice", recipients: ["alice", "bob"] });
    expect(shown.records[0].body.incident.summary).toContain("e2e marker");
    expect(shown.records[0].body.incident.people[0]).toEqual({ name: "Pat Example", role: "reported" });
  });

  it("an unknown option exits 2", () => {
    const r = coc(world(), ["list", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--bogus");
    expect(r.stdout).toBe("");
  });

  it("new-report without --from, piped (no terminal), exits 2 naming --from", () => {
    const w = world();
    const { repo } = setUpTeam(w);
    const r = coc(w, ["new-report"], { cwd: repo, stdin: "" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--from");
    expect(r.stderr).not.toContain("internal error");
    expect(r.stdout).toBe("");
    expect(existsSync(join(repo, "cases"))).toBe(false);
  });
});

// ------------------------------------------------------------------ tmux

if (tmuxMissing) console.warn(`skipping the real-terminal tests: ${tmuxMissing}`);

describe.skipIf(Boolean(tmuxMissing))(`in a real terminal (tmux)${tmuxMissing ? `: skipped, ${tmuxMissing}` : ""}`, () => {
  let w: World;
  let repo: string;
  let bob: Person;
  beforeAll(() => {
    w = new World();
    ({ repo, bob } = setUpTeam(w));
  });
  afterAll(() => w?.cleanup());

  /** The scratch env for the command inside tmux: no EDITOR/VISUAL, so long text is typed inline. */
  const termEnv = () => ({ ...w.env });

  it("the interactive intake records a report", async () => {
    const t = new Terminal(w, "intake");
    try {
      t.start(["new-report"], repo, termEnv());
      await t.answer("Is anyone in immediate danger?", "n");
      await t.answer("When was the report received?"); // the default: now
      await t.answer("How was it reported?"); // in person
      await t.answer("Does the reporter want to stay anonymous", "n");
      await t.answer("Reporter's name (optional)", "Sam Reporter");
      await t.answer("How to reach them (optional)", "sam@example.org");
      await t.answer("Keep the reporter's identity from the reported person?", "y");
      await t.answer("Do they want to hear about the outcome?", "y");
      await t.answer("In one line, what happened?", "Unwanted comments at the social (tmux)");
      await t.answer("What happened, in their words", "They kept commenting on my looks after I asked them to stop.");
      await t.answer("When did it happen?", "yesterday evening");
      await t.answer("Where did it happen?", "the evening social");
      await t.answer("Is it still going on?", "n");
      await t.answer("Add a person involved?", "y");
      await t.answer("Name or description (as the reporter gave it)", "Pat Example");
      await t.answer("Their part in it"); // reported
      await t.answer("Anything that helps identify them later", "blue lanyard");
      await t.answer("Add another person involved?", "n");
      await t.answer("Add a witness?", "n");
      await t.answer("Links (posts, screenshots)");
      await t.answer("May the team talk to the person whose behaviour is reported?"); // ask them first
      await t.answer("who may the team share the report with?"); // nobody ticked: ask first
      await t.answer("May the team make a public statement"); // ask them first
      await t.answer("May the case be described"); // no
      await t.answer("How would they like to hear from us?");
      await t.answer("When suits them?");
      await t.answer("Have the police been contacted?", "n");
      await t.answer("What support was offered?"); // none
      await t.answer("Does the report name or involve a member of the team?", "n");
      await t.answer("Save this report, encrypted to alice, bob?", "y");

      expect(await t.exitCode()).toBe(0);
      const screen = t.screen();
      const code = screen.split("\n").map((l) => l.trim()).find((l) => CODE.test(l));
      expect(code, screen).toBeDefined();
      expect(screen).toContain(`Recorded a new report as case ${code}, encrypted to alice, bob.`);

      const list = coc(w, ["list", "--json", "--repo", repo], { env: as(bob) });
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout).map((r: { case: string }) => r.case)).toContain(code);

      const show = coc(w, ["show", code!, "--json", "--repo", repo], { env: as(bob) });
      const body = JSON.parse(show.stdout).records[0].body;
      expect(body).toMatchObject({
        channel: "in-person",
        received_by: "alice",
        reporter: { name: "Sam Reporter", contact: "sam@example.org", anonymous: false, keep_private: true, wants_followup: true },
        incident: {
          summary: "Unwanted comments at the social (tmux)",
          description: "They kept commenting on my looks after I asked them to stop.",
          occurred_at: "yesterday evening",
          location: "the evening social",
          ongoing: false,
          people: [{ name: "Pat Example", role: "reported", description: "blue lanyard" }],
          witnesses: [],
          links: [],
        },
        safety: { immediate_risk: false, police_contacted: false, support_offered: [] },
        exclude: [],
        consent: { contact_reported: "ask", share: { venue: "ask", security: "ask", police: "ask", umbrella: "ask", mediator: "ask" }, public_statement: "ask", transparency: "no" },
      });
    } finally {
      t.kill();
    }
  }, 30_000);

  it("Ctrl+C during the intake exits 130 and commits nothing", async () => {
    const head = w.git(repo, ["rev-parse", "HEAD"]).trim();
    const cases = existsSync(join(repo, "cases")) ? readdirSync(join(repo, "cases")).sort() : [];
    const t = new Terminal(w, "cancel");
    try {
      t.start(["new-report"], repo, termEnv());
      await t.answer("Is anyone in immediate danger?", "n");
      await t.answer("When was the report received?");
      await t.answer("How was it reported?");
      await t.answer("Does the reporter want to stay anonymous", "y");
      await t.answer("Keep the reporter's identity from the reported person?", "y");
      await t.answer("Do they want to hear about the outcome?", "n");
      await t.waitFor("In one line, what happened?");
      t.type("half a summ");
      t.key("C-c");

      expect(await t.exitCode()).toBe(130);
      expect(t.screen()).toContain("cancelled; nothing was written");
      expect(w.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
      expect(w.git(repo, ["status", "--porcelain", "--ignored"]).trim()).toBe("");
      expect(existsSync(join(repo, "cases")) ? readdirSync(join(repo, "cases")).sort() : []).toEqual(cases);
    } finally {
      t.kill();
    }
  }, 30_000);
});
