/**
 * The interactive intake behind `coc new-report` (src/cli/prompts/intake.ts),
 * driven in-process with a scripted prompter: the care checklist, every
 * question, exclusions decided before encryption, cancelling, and no
 * plaintext anywhere on disk.
 */
import { randomUUID } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONSENT_INTRO } from "../../src/cli/prompts/consent.js";
import { CARE_CHECKLIST } from "../../src/cli/prompts/intake.js";
import { NotARecipientError, RecordDecrypter } from "../../src/core/crypto/age.js";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";
import { ScriptedPrompter, seq, type Answer, type Sequence } from "../helpers/prompter.js";

const STACK_LINE = /^ {4}at /m;

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let repo: string;

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  bob = world.person("bob");
  carol = world.person("carol");
  repo = await teamRepo(world, [alice, bob, carol]);
});
afterEach(() => world.cleanup());

/** Answers to every question of the intake (immediate risk: no), overridable. */
function answers(overrides: Record<string, Answer | Sequence> = {}): Record<string, Answer | Sequence> {
  return {
    "safety.immediate_risk": false,
    received_at: "",
    channel: "chat",
    "reporter.anonymous": false,
    "reporter.name": "Robin Reporter",
    "reporter.contact": "robin@example.org",
    "reporter.keep_private": true,
    "reporter.wants_followup": false,
    "incident.summary": "Repeated unwanted messages after the talk",
    "incident.description": "They kept messaging me after I asked them to stop.\nIt went on all evening.",
    "incident.occurred_at": "Friday evening",
    "incident.location": "Hallway track, then the conference chat",
    "incident.ongoing": true,
    "incident.people.add": seq(true, false),
    "incident.people.name": "Bob (organiser badge)",
    "incident.people.role": "reported",
    "incident.people.description": "organiser badge, red hoodie",
    "incident.witnesses.add": seq(true, false),
    "incident.witnesses.name": "Wren Witness",
    "incident.witnesses.contact": "wren@example.org",
    "incident.links": "https://chat.example.org/m/1, https://chat.example.org/m/2 ,",
    "consent.contact_reported": "ask",
    "consent.share": ["venue", "security"],
    "consent.public_statement": "no",
    "consent.transparency": "yes",
    "consent.followup.channel": "e-mail",
    "consent.followup.times": "weekday evenings",
    "safety.police_contacted": false,
    "safety.support_offered": ["a quiet place", "water"],
    names_member: true,
    exclude: ["bob"],
    confirm: true,
    ...overrides,
  };
}

function head(): string {
  return world.git(repo, ["rev-parse", "HEAD"]).trim();
}

describe("new-report, interactive", () => {
  it("asks every question after the care checklist and stores exactly the answers", async () => {
    const prompter = new ScriptedPrompter(answers());
    const before = head();
    const r = await world.run(["new-report"], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);

    // The care checklist comes first, and safety is the first question.
    expect(prompter.said[0]).toBe(CARE_CHECKLIST);
    expect(prompter.said[0]).toMatch(/danger/);
    expect(prompter.said[0]).toMatch(/Believe them/);
    expect(prompter.said[0]).toMatch(/Do not promise outcomes/);
    expect(prompter.said[0]).toMatch(/police only if they want it/);
    expect(prompter.asked[0]).toBe("safety.immediate_risk");
    expect(prompter.asked.at(-1)).toBe("confirm");
    expect(prompter.unused()).toEqual([]);

    const code = r.stdout.trim();
    expect(r.stdout).toBe(`${code}\n`);
    expect(code).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(r.stderr).toContain(`case ${code}, encrypted to alice, carol`);
    expect(r.stderr).not.toMatch(STACK_LINE);

    // One commit, generic message, clean tree.
    expect(world.git(repo, ["rev-list", "--count", `${before}..HEAD`]).trim()).toBe("1");
    expect(world.git(repo, ["log", "-1", "--format=%B"]).trim()).toBe(`coc: new report ${code}`);
    expect(world.git(repo, ["status", "--porcelain"])).toBe("");

    const show = await world.run(["show", code, "--json"], { as: alice, cwd: repo });
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown).toMatchObject({ case: code, state: "new" });
    expect(shown.records).toHaveLength(1);
    expect(shown.records[0]).toMatchObject({ type: "report", author: "alice", created_at: "2026-06-01T14:05:00Z", recipients: ["alice", "carol"] });
    expect(shown.records[0].body).toEqual({
      received_at: "2026-06-01T14:05:00Z",
      received_by: "alice",
      channel: "chat",
      reporter: { name: "Robin Reporter", contact: "robin@example.org", anonymous: false, keep_private: true, wants_followup: false },
      incident: {
        summary: "Repeated unwanted messages after the talk",
        description: "They kept messaging me after I asked them to stop.\nIt went on all evening.",
        occurred_at: "Friday evening",
        location: "Hallway track, then the conference chat",
        ongoing: true,
        people: [{ name: "Bob (organiser badge)", role: "reported", description: "organiser badge, red hoodie" }],
        witnesses: [{ name: "Wren Witness", contact: "wren@example.org" }],
        links: ["https://chat.example.org/m/1", "https://chat.example.org/m/2"],
      },
      safety: { immediate_risk: false, police_contacted: false, support_offered: ["a quiet place", "water"] },
      exclude: ["bob"],
      consent: {
        contact_reported: "ask",
        share: { venue: "yes", security: "yes", police: "ask", umbrella: "ask", mediator: "ask" },
        public_statement: "no",
        transparency: "yes",
        followup: { channel: "e-mail", times: "weekday evenings" },
      },
    });
    // The consent questions come after the account, gently, saying it can change later.
    expect(prompter.asked.indexOf("consent.contact_reported")).toBeGreaterThan(prompter.asked.indexOf("incident.links"));
    expect(prompter.said).toContain(CONSENT_INTRO);
    expect(CONSENT_INTRO).toMatch(/change any of it later/);

    // carol received it; bob, excluded, did not.
    const asCarol = await world.run(["show", code, "--json"], { as: carol, cwd: repo });
    expect(asCarol.code, asCarol.stderr).toBe(0);
    const asBob = await world.run(["show", code], { as: bob, cwd: repo });
    expect(asBob.code).toBe(1);
    expect(asBob.stderr.trim()).toBe(`coc: you are not a recipient of case ${code}`);
    expect(asBob.stdout).toBe("");
    const list = await world.run(["list", "--json"], { as: bob, cwd: repo });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ case: code, restricted: true, state: "restricted" })]);
  });

  it("asks about team members only when there is someone else on the team, and anonymity skips the name", async () => {
    const solo = new World();
    try {
      const dana = solo.person("dana");
      const soloRepo = await teamRepo(solo, [dana]);
      const script = answers({ "reporter.anonymous": true, "incident.people.add": false, "incident.witnesses.add": false, "incident.links": "" });
      for (const id of ["reporter.name", "reporter.contact", "incident.people.name", "incident.people.role", "incident.people.description", "incident.witnesses.name", "incident.witnesses.contact", "names_member", "exclude"]) {
        delete script[id];
      }
      const prompter = new ScriptedPrompter(script);
      const r = await solo.run(["new-report"], { as: dana, cwd: soloRepo, tty: true, prompter });
      expect(r.code, r.stderr).toBe(0);
      expect(prompter.unused()).toEqual([]);
      const body = JSON.parse((await solo.run(["show", r.stdout.trim(), "--json"], { as: dana, cwd: soloRepo })).stdout).records[0].body;
      expect(body.reporter).toEqual({ anonymous: true, keep_private: true, wants_followup: false });
      expect(body.incident).toMatchObject({ people: [], witnesses: [], links: [] });
      expect(body.exclude).toEqual([]);
    } finally {
      solo.cleanup();
    }
  });

  it("immediate danger: says to get help first, then takes the report once everyone is safe", async () => {
    const script = answers({ "safety.immediate_risk": true, continue: true, names_member: false });
    delete script["exclude"];
    const prompter = new ScriptedPrompter(script);
    const r = await world.run(["new-report"], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(prompter.said.some((s) => /get help first/i.test(s))).toBe(true);
    expect(prompter.asked.slice(0, 2)).toEqual(["safety.immediate_risk", "continue"]);
    expect(prompter.unused()).toEqual([]);
    const shown = JSON.parse((await world.run(["show", r.stdout.trim(), "--json"], { as: bob, cwd: repo })).stdout);
    expect(shown.records[0].recipients).toEqual(["alice", "bob", "carol"]);
    expect(shown.records[0].body.safety.immediate_risk).toBe(true);
  });

  it("immediate danger and not safe yet: exit 130, nothing written, nothing else asked", async () => {
    const prompter = new ScriptedPrompter(answers({ "safety.immediate_risk": true, continue: false }));
    const before = head();
    const r = await world.run(["new-report"], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain("nothing was written");
    expect(r.stderr.match(/nothing was written/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(prompter.asked).toEqual(["safety.immediate_risk", "continue"]);
    expect(head()).toBe(before);
    expect(existsSync(join(repo, "cases"))).toBe(false);
  });

  it("answering no to the final confirmation: exit 130, nothing written", async () => {
    const prompter = new ScriptedPrompter(answers({ confirm: false }));
    const before = head();
    const r = await world.run(["new-report"], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("discarded");
    expect(r.stderr).toContain("nothing was written");
    expect(r.stderr.match(/nothing was written/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(prompter.unused()).toEqual([]);
    expect(head()).toBe(before);
    expect(world.git(repo, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
    expect(existsSync(join(repo, "cases"))).toBe(false);
  });
});

describe("new-report --case, interactive", () => {
  it("a further report that excludes a member who had the first: re-encrypted away from them, in one commit", async () => {
    const first = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("first") });
    expect(first.code, first.stderr).toBe(0);
    const code = first.stdout.trim();
    const [firstFile] = readdirSync(join(repo, "cases", code));
    const firstShown = JSON.parse((await world.run(["show", code, "--json"], { as: carol, cwd: repo })).stdout);
    expect(firstShown.records[0].recipients).toEqual(["alice", "bob", "carol"]);

    const before = head();
    const later = new Date("2026-06-01T16:30:00Z");
    const prompter = new ScriptedPrompter(answers({ names_member: true, exclude: ["carol"], "incident.people.name": "Carol (team)" }));
    const r = await world.run(["new-report", "--case", code], { as: alice, cwd: repo, tty: true, prompter, now: later });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(code);
    expect(prompter.unused()).toEqual([]);
    expect(r.stderr).toContain(`Added a report to case ${code}, encrypted to alice, bob`);
    expect(r.stderr).toContain("Re-encrypted the case without carol");

    // One commit: the first record rewritten, the second added, nothing else.
    expect(world.git(repo, ["rev-list", "--count", `${before}..HEAD`]).trim()).toBe("1");
    expect(world.git(repo, ["log", "-1", "--format=%B"]).trim()).toBe(`coc: add report to ${code}`);
    const changed = world.git(repo, ["show", "--name-status", "--format=", "HEAD"]).trim().split("\n").sort();
    const files = readdirSync(join(repo, "cases", code)).sort();
    expect(files).toHaveLength(2);
    const secondFile = files.find((f) => f !== firstFile)!;
    expect(changed).toEqual([`A\tcases/${code}/${secondFile}`, `M\tcases/${code}/${firstFile}`].sort());
    expect(world.git(repo, ["status", "--porcelain"])).toBe("");

    // carol can no longer decrypt any file of the case.
    const asCarol = await world.run(["show", code], { as: carol, cwd: repo });
    expect(asCarol.code).toBe(1);
    expect(asCarol.stderr.trim()).toBe(`coc: you are not a recipient of case ${code}`);
    const carolKey = await RecordDecrypter.fromIdentities([carol.identity]);
    for (const f of files) {
      await expect(carolKey.decrypt(readFileSync(join(repo, "cases", code, f)))).rejects.toBeInstanceOf(NotARecipientError);
    }
    const carolList = JSON.parse((await world.run(["list", "--json"], { as: carol, cwd: repo })).stdout);
    expect(carolList).toEqual([expect.objectContaining({ case: code, restricted: true })]);

    // The others see both reports, each now encrypted to alice and bob.
    for (const who of [alice, bob]) {
      const show = await world.run(["show", code, "--json"], { as: who, cwd: repo });
      expect(show.code, show.stderr).toBe(0);
      const shown = JSON.parse(show.stdout);
      expect(shown.records.map((x: { type: string }) => x.type)).toEqual(["report", "report"]);
      expect(shown.records.map((x: { recipients: string[] }) => x.recipients)).toEqual([
        ["alice", "bob"],
        ["alice", "bob"],
      ]);
      expect(shown.records[0].id).toBe(firstShown.records[0].id);
      expect(shown.records[0].body).toEqual(firstShown.records[0].body);
      expect(shown.records[1].body.exclude).toEqual(["carol"]);
      expect(shown.records[1].body.received_at).toBe("2026-06-01T16:30:00Z");
      const text = await world.run(["show", code], { as: who, cwd: repo });
      expect(text.stdout).toContain("reports: 2");
      expect(text.stdout).toContain("excluded: carol");
    }
  });
});

/** Every regular file under `dir` (symlinks not followed; vanished or unreadable entries skipped). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Files under each path (a file or a directory) whose bytes contain `needle`. */
function filesContaining(paths: readonly string[], needle: string): string[] {
  const hits: string[] = [];
  for (const root of paths) {
    let files: string[];
    try {
      files = lstatSync(root).isDirectory() ? filesUnder(root) : [root];
    } catch {
      continue; // gone already
    }
    for (const f of files) {
      try {
        if (readFileSync(f).includes(needle)) hits.push(f);
      } catch {
        // gone, or not ours to read
      }
    }
  }
  return hits;
}

function entries(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

describe("no plaintext on disk", () => {
  it("the report's words appear in no file, git object, commit message or temp file", async () => {
    const marker = `MARKER-${randomUUID()}`;
    const shm = "/dev/shm";
    const tmpBefore = entries(tmpdir());
    const shmBefore = entries(shm);

    const prompter = new ScriptedPrompter(
      answers({
        "incident.summary": `summary ${marker}`,
        "incident.description": `description ${marker}\nsecond line ${marker}`,
        "reporter.name": `reporter ${marker}`,
        "incident.people.name": `person ${marker}`,
        exclude: ["carol"],
      }),
    );
    const r = await world.run(["new-report"], { as: alice, cwd: repo, tty: true, prompter });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(marker);
    const code = r.stdout.trim();
    // A second report through stdin, and a further report to the same case that re-encrypts it.
    const viaStdin = await world.run(["new-report", "--from", "-"], { as: bob, cwd: repo, stdin: reportYaml(marker) });
    expect(viaStdin.code, viaStdin.stderr).toBe(0);
    const further = await world.run(["new-report", "--case", code, "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml(marker, "exclude: [bob]\n") });
    expect(further.code, further.stderr).toBe(0);
    // Reading decrypts, and must not write anything either.
    const shown = await world.run(["show", code, "--json"], { as: alice, cwd: repo });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(marker); // it really was stored (encrypted)
    expect((await world.run(["list", "--json"], { as: alice, cwd: repo })).code).toBe(0);
    expect((await world.run(["show", code], { as: alice, cwd: repo })).stdout).toContain(marker);

    // The scanners work: a planted control is found in a file and in a git object.
    const control = `CONTROL-${randomUUID()}`;
    writeFileSync(join(world.root, "control.txt"), control);
    expect(filesContaining([world.root], control)).toEqual([join(world.root, "control.txt")]);
    const objects = world.gitBytes(repo, ["cat-file", "--batch-all-objects", "--batch"]);
    expect(objects.includes(`coc: new report ${code}`)).toBe(true);
    expect(objects.includes("age-encryption.org/v1")).toBe(true);

    // The work tree and .git, file by file (the world root holds the repo, HOME and keys).
    expect(filesContaining([world.root], marker)).toEqual([]);
    expect(filesUnder(join(repo, ".git")).length).toBeGreaterThan(10);
    // Every git object, uncompressed.
    expect(objects.includes(marker)).toBe(false);
    // Commit messages.
    const messages = world.git(repo, ["log", "--all", "--format=%B"]);
    expect(messages).toContain(`coc: add report to ${code}`);
    expect(messages).not.toContain(marker);
    // Temp directories: whatever appeared there during the test.
    const newTmp = [...entries(tmpdir())].filter((e) => !tmpBefore.has(e)).map((e) => join(tmpdir(), e));
    expect(filesContaining(newTmp, marker)).toEqual([]);
    const newShm = [...entries(shm)].filter((e) => !shmBefore.has(e)).map((e) => join(shm, e));
    expect(filesContaining(newShm, marker)).toEqual([]);
  });
});
