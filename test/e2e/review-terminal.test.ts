/**
 * End-to-end: one whole `coc review` meeting in a real terminal. The built
 * binary runs inside a private tmux server (its own socket under the test's
 * directory, no config file) with an environment built from scratch by
 * `env -i`; the prompts are answered with send-keys and read back with
 * capture-pane. A conflicted member is cut out before the case is shown.
 */
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, reportYaml, teamRepo, type Person } from "../helpers/env.js";
import { Terminal, tmuxMissing } from "../helpers/terminal.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NODE = process.execPath;
/** Builds dist/ when it is missing or older than the review sources (`npm test` builds first anyway). */
function ensureBuilt(): void {
  const pairs = [
    ["src/main.ts", "dist/main.js"],
    ["src/cli/commands/review/interactive.ts", "dist/cli/commands/review/interactive.js"],
    ["src/cli/prompts/review.ts", "dist/cli/prompts/review.js"],
  ];
  const stale = pairs.some(([src, out]) => !existsSync(join(ROOT, out!)) || statSync(join(ROOT, out!)).mtimeMs < statSync(join(ROOT, src!)).mtimeMs);
  if (!stale) return;
  execFileSync(NODE, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.json")], {
    cwd: ROOT,
    env: { PATH: "/usr/local/bin:/usr/bin:/bin" },
    stdio: "inherit",
  });
}

if (tmuxMissing) console.warn(`skipping the real-terminal review test: ${tmuxMissing}`);

describe.skipIf(Boolean(tmuxMissing))(`coc review in a real terminal (tmux)${tmuxMissing ? `: SKIPPED, ${tmuxMissing}` : ""}`, () => {
  let w: World;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let repo: string;
  beforeAll(async () => {
    ensureBuilt();
    w = new World();
    alice = w.person("alice");
    bob = w.person("bob");
    carol = w.person("carol");
    repo = await teamRepo(w, [alice, bob, carol]);
  }, 120_000);
  afterAll(() => w?.cleanup());

  it("the whole meeting: present, a conflict (recusal first), the case, the assessment, the matrix, notes, an interim decision", async () => {
    const report = await w.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("terminal marker") });
    expect(report.code, report.stderr).toBe(0);
    const code = report.stdout.trim();

    const t = new Terminal(w, "review");
    try {
      // No EDITOR/VISUAL: long text is typed inline.
      t.start(["review", code], repo, { ...w.env, COC_IDENTITY: alice.identityFile });
      // alice is ticked already; tick bob and carol.
      await t.answer("Who is present?", "", ["Down", "Space", "Down", "Space"]);
      await t.answer("Do you have a conflict of interest in this case?", "n");
      await t.answer("Does bob have a conflict of interest in this case?", "n");
      await t.answer("Does carol have a conflict of interest in this case?", "y");
      await t.answer("Which kind of conflict?"); // hard (the default): recused
      await t.answer("Reason (optional; nobody has to say why)", "old friend of a party");
      await t.answer("Risk of further harm", "", ["Down"]); // high
      expect(t.screen()).toContain("Recused carol from case");
      expect(t.screen()).toContain("Unwanted comments at the social (terminal marker)");
      expect(t.screen().indexOf("Recused carol")).toBeLessThan(t.screen().indexOf("terminal marker"));
      await t.answer("Impact on the people involved and the community"); // low
      await t.answer("Is it in the scope of the code of conduct?", "y");
      await t.answer("Was the code of conduct violated?"); // unclear (the default)
      await t.answer("Why? (optional)", "Said in front of others, once.");
      await t.answer("Meeting notes", "Agreed to talk to Pat tomorrow, two of us.");
      expect(t.screen()).toContain("Risk and impact: case");
      expect(t.screen()).toContain("alice: high risk, low impact");
      await t.answer("Record an interim decision", "y");
      await t.answer("Action for right now", "", ["Down"]); // demand the behaviour stops
      await t.answer("Details (optional)");
      await t.answer("The reasoning (optional)", "Stop it for the rest of the event.");
      await t.answer("Save your assessment, the meeting notes and the interim decision (one commit), encrypted to alice, bob?", "y");

      expect(await t.exitCode(), t.screen()).toBe(0);
      expect(t.screen()).toContain(`Recorded your assessment, the meeting notes and the interim decision for case ${code} (one commit), encrypted to alice, bob.`);
    } finally {
      t.kill();
    }

    // Read at the real time, as the review in the terminal was written: records dated weeks after the reader's clock wait.
    const show = await w.run(["show", code, "--json"], { as: bob, cwd: repo, now: new Date() });
    expect(show.code, show.stderr).toBe(0);
    const records: { type: string; author: string; recipients: string[]; body: Record<string, unknown> }[] = JSON.parse(show.stdout).records;
    for (const r of records) expect(r.recipients).toEqual(["alice", "bob"]);
    const of = (type: string) => records.filter((r) => r.type === type);
    expect(of("conflict").map((r) => r.body)).toEqual([{ member: "carol", conflict: true, kind: "hard", reason: "old friend of a party", recused: true }]);
    expect(of("assessment").map((r) => [r.author, r.body])).toEqual([
      ["alice", { risk: "high", impact: "low", in_scope: true, violation: "unclear", rationale: "Said in front of others, once." }],
    ]);
    expect(of("note").map((r) => r.body)).toEqual([{ kind: "meeting", text: "Agreed to talk to Pat tomorrow, two of us.", participants: [], attendees: ["alice", "bob"] }]);
    expect(of("decision").map((r) => r.body)).toEqual([
      { stage: "interim", actions: [{ level: "demand the behaviour stops" }], reasoning: "Stop it for the rest of the event.", decided_by: ["alice", "bob"] },
    ]);
    expect(w.git(repo, ["log", "-2", "--format=%s"]).trim().split("\n")).toEqual([`coc: review ${code}`, `coc: recusal in ${code}`]);
    expect(w.git(repo, ["status", "--porcelain"])).toBe("");
    expect((await w.run(["show", code], { as: carol, cwd: repo })).stderr).toContain(`you are not a recipient of case ${code}`);
  }, 60_000);
});
