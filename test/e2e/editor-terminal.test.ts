/**
 * End-to-end: the intake's long text written in a real vim, in a real
 * terminal (a private tmux server), with a real temporary HOME. A marker
 * line is typed, written, deleted, and replaced by the real text; after the
 * report is saved the marker is in no file under HOME, /tmp, /var/tmp or
 * /dev/shm: not in ~/.viminfo (stock vim keeps deleted lines in its
 * registers there), not in a swap, backup or undo file, even when the user's
 * own ~/.vimrc asks for all of those in their home. Closing the terminal
 * while the editor is open removes the RAM file too.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { World, teamRepo, type Person } from "../helpers/env.js";
import { Terminal, tmuxMissing } from "../helpers/terminal.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE = process.execPath;
const PATH = "/usr/local/bin:/usr/bin:/bin";

/** Builds dist/ when it is missing or older than the editor sources (`npm test` builds first anyway). */
function ensureBuilt(): void {
  const pairs = [
    ["src/main.ts", "dist/main.js"],
    ["src/cli/prompts/editor.ts", "dist/cli/prompts/editor.js"],
    ["src/cli/prompts/inquirer.ts", "dist/cli/prompts/inquirer.js"],
  ];
  const stale = pairs.some(([src, out]) => !existsSync(join(ROOT, out!)) || statSync(join(ROOT, out!)).mtimeMs < statSync(join(ROOT, src!)).mtimeMs);
  if (!stale) return;
  execFileSync(NODE, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.json")], { cwd: ROOT, env: { PATH }, stdio: "inherit" });
}

/** Why this test cannot run here, or undefined. */
const missing = (() => {
  if (tmuxMissing) return tmuxMissing;
  const r = spawnSync("vim", ["--version"], { env: { PATH }, encoding: "utf8" });
  if (r.error || r.status !== 0) return `vim not found on ${PATH} (install the Debian package vim)`;
  if (!/\+viminfo/.test(r.stdout)) return "this vim has no +viminfo feature";
  return undefined;
})();
if (missing) console.warn(`skipping the real-editor test: ${missing}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the screen shows `pattern`. */
async function waitForScreen(t: Terminal, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(t.screen())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${t.screen()}`);
    await sleep(50);
  }
}

/** In the vim that coc opened: insert `text`, then write the file (and wait until vim says so). */
async function typeAndSave(t: Terminal, text: string): Promise<void> {
  await waitForScreen(t, /text\.md/);
  t.key("i");
  t.type(text);
  t.key("Escape");
  t.type(":w");
  t.key("Enter");
  await waitForScreen(t, /written/);
}

/** Every file under `dirs` that holds `marker` (devices, FIFOs and sockets skipped; vanishing files ignored). */
function filesHolding(marker: string, dirs: readonly string[]): string[] {
  const r = spawnSync("grep", ["-rlF", "-D", "skip", "-s", "--", marker, ...dirs.filter((d) => existsSync(d))], { env: { PATH }, encoding: "utf8", timeout: 120_000 });
  return [...new Set(r.stdout.split("\n").filter(Boolean))];
}

describe.skipIf(Boolean(missing))(`$EDITOR=vim leaves no residue${missing ? `: SKIPPED, ${missing}` : ""}`, () => {
  let w: World;
  let alice: Person;
  let repo: string;
  beforeAll(async () => {
    ensureBuilt();
  });
  afterEach(() => w?.cleanup());

  /** Takes a report in a terminal, writing the description in vim: marker typed, written, deleted, then the real text. */
  async function intakeWithVim(marker: string, text: string, whileOpen: () => void = () => undefined): Promise<void> {
    const t = new Terminal(w, "editor");
    try {
      t.start(["new-report"], repo, { ...w.env, COC_IDENTITY: alice.identityFile, EDITOR: "vim" });
      await t.answer("Is anyone in immediate danger?", "n");
      await t.answer("When was the report received?");
      await t.answer("How was it reported?");
      await t.answer("Does the reporter want to stay anonymous", "n");
      await t.answer("Reporter's name (optional)", "Sam Reporter");
      await t.answer("How to reach them (optional)");
      await t.answer("Keep the reporter's identity from the reported person?");
      await t.answer("Do they want to hear about the outcome?");
      await t.answer("In one line, what happened?", "editor residue test");
      await t.answer("What happened, in their words"); // empty: opens $EDITOR
      await typeAndSave(t, marker);
      whileOpen();
      t.type("dd");
      t.key("i");
      t.type(text);
      t.key("Escape");
      t.type(":wq");
      t.key("Enter");
      await t.answer("When did it happen?");
      await t.answer("Where did it happen?");
      await t.answer("Is it still going on?");
      await t.answer("Add a person involved?", "n");
      await t.answer("Add a witness?");
      await t.answer("Links (posts, screenshots)");
      await t.answer("May the team talk to the person whose behaviour is reported?"); // ask them first
      await t.answer("who may the team share the report with?"); // nobody ticked: ask first
      await t.answer("May the team make a public statement"); // ask them first
      await t.answer("May the case be described"); // no
      await t.answer("How would they like to hear from us?");
      await t.answer("When suits them?");
      await t.answer("Have the police been contacted?");
      await t.answer("What support was offered?");
      await t.answer("Save this report, encrypted to");
      expect(await t.exitCode(), t.screen()).toBe(0);
    } finally {
      t.kill();
    }
  }

  async function expectNoResidue(marker: string, text: string): Promise<void> {
    // The report holds the real text, and not the deleted line.
    const list = await w.run(["list", "--json"], { as: alice, cwd: repo });
    const code = JSON.parse(list.stdout)[0].case as string;
    const show = await w.run(["show", code, "--json"], { as: alice, cwd: repo });
    expect(JSON.parse(show.stdout).records[0].body.incident.description.trim()).toBe(text);
    expect(show.stdout).not.toContain(marker);
    expect(filesHolding(marker, [w.home, "/tmp", "/var/tmp", "/dev/shm"])).toEqual([]);
  }

  it("stock vim: the deleted line is not kept in ~/.viminfo", async () => {
    w = new World();
    alice = w.person("alice");
    repo = await teamRepo(w, [alice]);
    const marker = `MARKER-${randomBytes(8).toString("hex")}`;
    await intakeWithVim(marker, "The real description.");
    await expectNoResidue(marker, "The real description.");
    expect(existsSync(join(w.home, ".viminfo"))).toBe(false);
  }, 90_000);

  it("closing the terminal while the editor is open removes the RAM file all the same", async () => {
    w = new World();
    alice = w.person("alice");
    repo = await teamRepo(w, [alice]);
    const ram = w.ram();
    const marker = `MARKER-${randomBytes(8).toString("hex")}`;
    const t = new Terminal(w, "hangup");
    try {
      t.start(["new-report"], repo, { ...w.env, COC_IDENTITY: alice.identityFile, EDITOR: "vim", COC_RAM_DIR: ram });
      await t.answer("Is anyone in immediate danger?", "n");
      await t.answer("When was the report received?");
      await t.answer("How was it reported?");
      await t.answer("Does the reporter want to stay anonymous", "y");
      await t.answer("Keep the reporter's identity from the reported person?");
      await t.answer("Do they want to hear about the outcome?");
      await t.answer("In one line, what happened?", "hangup test");
      await t.answer("What happened, in their words");
      await typeAndSave(t, marker);
      expect(readdirSync(ram)).toHaveLength(1);
    } finally {
      t.kill(); // the terminal goes away: SIGHUP to coc and the editor
    }
    const deadline = Date.now() + 10_000;
    while (readdirSync(ram).length > 0 && Date.now() < deadline) await sleep(50);
    expect(readdirSync(ram)).toEqual([]);
    expect(filesHolding(marker, [w.home, "/tmp", "/var/tmp", "/dev/shm"])).toEqual([]);
  }, 90_000);

  it("a ~/.vimrc that keeps swap, backup and undo files in the home keeps none of them for coc's file", async () => {
    w = new World();
    alice = w.person("alice");
    repo = await teamRepo(w, [alice]);
    for (const d of ["swap", "backup", "undo"]) mkdirSync(join(w.home, ".vim", d), { recursive: true });
    writeFileSync(
      join(w.home, ".vimrc"),
      [
        "set nocompatible",
        "set viminfo='100,<500,s100,h",
        "set swapfile directory=~/.vim/swap//",
        "set backup writebackup backupdir=~/.vim/backup//",
        "set undofile undodir=~/.vim/undo//",
        "",
      ].join("\n"),
    );
    const marker = `MARKER-${randomBytes(8).toString("hex")}`;
    const kept = () => ["swap", "backup", "undo"].flatMap((d) => readdirSync(join(w.home, ".vim", d)));
    await intakeWithVim(marker, "Another real description.", () => expect(kept()).toEqual([]));
    expect(kept()).toEqual([]);
    await expectNoResidue(marker, "Another real description.");
  }, 90_000);
});
