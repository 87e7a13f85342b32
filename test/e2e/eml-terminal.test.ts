/**
 * End-to-end: `coc new-report --from-eml` in a real terminal (tmux): the
 * message prefills the intake, the responder keeps or corrects each answer,
 * and the attached photo becomes an evidence file without its EXIF.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, hasAgeCli, teamRepo, type Person } from "../helpers/env.js";
import { GPS_MARKER, decodesAsJpeg, emlWithPhoto } from "../helpers/images.js";
import { Terminal, tmuxMissing } from "../helpers/terminal.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Builds dist/ when it is missing or older than the sources this test runs (`npm test` builds first anyway). */
function ensureBuilt(): void {
  const pairs = [
    ["src/main.ts", "dist/main.js"],
    ["src/cli/commands/new-report/run.ts", "dist/cli/commands/new-report/run.js"],
    ["src/cli/prompts/intake.ts", "dist/cli/prompts/intake.js"],
    ["src/core/actions/email.ts", "dist/core/actions/email.js"],
  ];
  const stale = pairs.some(([src, out]) => !existsSync(join(ROOT, out!)) || statSync(join(ROOT, out!)).mtimeMs < statSync(join(ROOT, src!)).mtimeMs);
  if (!stale) return;
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.json")], { cwd: ROOT, env: { PATH: "/usr/local/bin:/usr/bin:/bin" }, stdio: "inherit" });
}

const skip = tmuxMissing ?? (hasAgeCli() ? undefined : "the age CLI is not installed");
if (skip) console.warn(`skipping the real-terminal e-mail intake test: ${skip}`);

describe.skipIf(Boolean(skip))(`coc new-report --from-eml in a real terminal (tmux)${skip ? `: SKIPPED, ${skip}` : ""}`, () => {
  let w: World;
  let alice: Person;
  let bob: Person;
  let repo: string;
  beforeAll(async () => {
    ensureBuilt();
    w = new World();
    [alice, bob] = [w.person("alice"), w.person("bob")];
    repo = await teamRepo(w, [alice, bob]);
  }, 120_000);
  afterAll(() => w?.cleanup());

  it("shows what the message says for confirmation, takes a correction, and stores the photo as evidence", async () => {
    const eml = join(w.root, "message.eml");
    writeFileSync(eml, emlWithPhoto());
    const t = new Terminal(w, "eml");
    try {
      t.start(["new-report", "--from-eml", eml], repo, { ...w.env, COC_IDENTITY: alice.identityFile, TZ: "UTC" });
      await t.answer("Is anyone in immediate danger?", "n");
      expect(t.screen()).toContain("1 attachment(s) become evidence files of the case");
      await t.answer("When was the report received?"); // the message's date, prefilled
      expect(t.screen()).toContain("2026-05-31 19:14");
      await t.answer("How was it reported?"); // email, prefilled
      await t.answer("Does the reporter want to stay anonymous", "n");
      await t.answer("Reporter's name (optional)"); // Robin Reporter
      await t.answer("How to reach them (optional)"); // robin@example.net
      await t.answer("Keep the reporter's identity from the reported person?");
      await t.answer("Do they want to hear about the outcome?");
      // The subject is offered; the responder corrects it.
      await t.waitFor("In one line, what happened?");
      expect(t.screen()).toContain("Unwanted touching at the evening social");
      t.key("C-u");
      await t.answer("In one line, what happened?", "Touching after being asked to stop (social)");
      await t.waitFor("Use this text as the description?");
      expect(t.screen()).toContain("| At the evening social a man in a red jacket kept touching my shoulder");
      await t.answer("Use this text as the description?", "y");
      await t.answer("When did it happen?", "Sunday evening");
      await t.answer("Where did it happen?", "the social");
      await t.answer("Is it still going on?", "n");
      await t.answer("Add a person involved?", "n");
      await t.answer("Add a witness?", "n");
      await t.answer("Links (posts, screenshots)");
      await t.answer("May the team talk to the person whose behaviour is reported?"); // the consent questions: defaults
      await t.answer("who may the team share the report with?");
      await t.answer("May the team make a public statement");
      await t.answer("May the case be described");
      await t.answer("How would they like to hear from us?");
      await t.answer("When suits them?");
      await t.answer("Have the police been contacted?", "n");
      await t.answer("What support was offered?");
      await t.answer("Does the report name or involve a member of the team?", "n");
      await t.answer("Save this report, encrypted to alice, bob?", "y");
      expect(await t.exitCode(), t.screen()).toBe(0);
      expect(t.screen()).toMatch(/removed EXIF\/XMP, IPTC, comment before encrypting/);
      expect(t.screen()).toContain("The original message is still in your mail client");
    } finally {
      t.kill();
    }
    const list = await w.run(["list", "--json"], { as: alice, cwd: repo });
    const code = (JSON.parse(list.stdout) as { case: string }[])[0]!.case;
    const show = await w.run(["show", code, "--json"], { as: bob, cwd: repo });
    const [report, evidence] = (JSON.parse(show.stdout) as { records: { type: string; body: Record<string, unknown> }[] }).records;
    expect(report!.body).toMatchObject({
      received_at: "2026-05-31T19:14:00Z",
      channel: "email",
      reporter: { name: "Robin Reporter", contact: "robin@example.net" },
      incident: { summary: "Touching after being asked to stop (social)", occurred_at: "Sunday evening" },
    });
    expect((report!.body["incident"] as { description: string }).description).toContain("red jacket");
    expect(evidence).toMatchObject({ type: "evidence", body: { name: "hallway.jpg", media_type: "image/jpeg" } });
    const file = readdirSync(join(repo, "cases", code)).find((f) => f.endsWith(".file.age"))!;
    const plain = spawnSync("age", ["-d", "-i", bob.identityFile, join(repo, "cases", code, file)], { env: w.env }).stdout;
    expect(decodesAsJpeg(plain)).toBe(true);
    expect(plain.includes(Buffer.from(GPS_MARKER))).toBe(false);
  }, 120_000);
});
