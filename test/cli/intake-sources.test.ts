/**
 * Reports that arrive outside the terminal: a form submission (--from-age)
 * and an e-mail (--from-eml, without a terminal); and `coc form` refusing a
 * roster nobody confirmed.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, hasAgeCli, teamRepo, type Person } from "../helpers/env.js";
import { GPS_MARKER, decodesAsJpeg, emlWithPhoto } from "../helpers/images.js";

let world: World;
let alice: Person;
let bob: Person;
let repo: string;

interface Shown {
  records: { type: string; author: string; recipients: string[]; body: Record<string, unknown> }[];
}

beforeEach(async () => {
  world = new World();
  [alice, bob] = [world.person("alice"), world.person("bob")];
  repo = await teamRepo(world, [alice, bob]);
});
afterEach(() => world.cleanup());

/** An armored age submission of `body` (JSON, as the form makes it) to `to`. */
function submission(body: unknown, to: Person[]): string {
  const args = ["-a", ...to.flatMap((p) => ["-r", p.recipient])];
  const r = spawnSync("age", args, { input: JSON.stringify(body), env: world.env, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

async function shown(code: string, who: Person = alice): Promise<Shown> {
  const r = await world.run(["show", code, "--json"], { as: who, cwd: repo });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Shown;
}

const formBody = (extra: Record<string, unknown> = {}) => ({
  received_at: "2026-06-01T09:00:00Z",
  channel: "online-form",
  reporter: { name: "Kim", contact: "kim@example.net", anonymous: false },
  incident: { summary: "Comments in the chat", description: "Repeated comments about my looks." },
  ...extra,
});

describe.skipIf(!hasAgeCli())("new-report --from-age", () => {
  it("imports from stdin, signed and received by the importer, encrypted to the case's readers", async () => {
    const r = await world.run(["new-report", "--from-age", "-"], { as: bob, cwd: repo, stdin: submission(formBody(), [alice, bob]) });
    expect(r.code, r.stderr).toBe(0);
    const report = (await shown(r.stdout.trim())).records[0]!;
    expect(report).toMatchObject({ type: "report", author: "bob", recipients: ["alice", "bob"] });
    expect(report.body).toMatchObject({ received_by: "bob", channel: "online-form", received_at: "2026-06-01T09:00:00Z" });
  });

  it("excludes a team member the submission names, as every intake does", async () => {
    const body = formBody({ incident: { summary: "x", description: "y", people: [{ name: "Bob" }] } });
    const r = await world.run(["new-report", "--from-age", "-"], { as: alice, cwd: repo, stdin: submission(body, [alice, bob]) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/names team member bob/);
    expect((await shown(r.stdout.trim())).records[0]!.recipients).toEqual(["alice"]);
  });

  it("keeps the form's consent, and consent flags on the command line fill or replace parts of it", async () => {
    const consent = { contact_reported: "no", share: { venue: "yes" }, followup: { channel: "e-mail" } };
    const r = await world.run(["new-report", "--from-age", "-", "--share", "police=ask", "--public-statement", "no", "--contact-reported", "ask"], {
      as: bob,
      cwd: repo,
      stdin: submission(formBody({ consent }), [alice, bob]),
    });
    expect(r.code, r.stderr).toBe(0);
    const report = (await shown(r.stdout.trim())).records[0]!;
    expect(report.body["consent"]).toEqual({ contact_reported: "ask", share: { venue: "yes", police: "ask" }, public_statement: "no", followup: { channel: "e-mail" } });
  });

  it("a form left wholly blank on consent: every part is not recorded, and the report does not pass for one taken before coc asked", async () => {
    const r = await world.run(["new-report", "--from-age", "-"], { as: bob, cwd: repo, stdin: submission(formBody({ consent: {} }), [alice, bob]) });
    expect(r.code, r.stderr).toBe(0);
    const text = await world.run(["show", r.stdout.trim()], { as: alice, cwd: repo });
    expect(text.stdout.split("\n")[0]).toBe(
      "consent: contact reported person: not recorded · share: venue not recorded, security not recorded, police not recorded, umbrella not recorded, mediator not recorded · public statement: not recorded · transparency: not recorded",
    );
  });

  it("refuses a consent answer the schema does not know, in one line", async () => {
    const r = await world.run(["new-report", "--from-age", "-"], { as: bob, cwd: repo, stdin: submission(formBody({ consent: { transparency: "ask" } }), [alice, bob]) });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/stdin.*consent\.transparency.*expected yes or no/);
  });

  it("refuses, in one line and storing nothing: not for me, not a report body, not age", async () => {
    const file = join(world.root, "s.age");
    const cases: [string, RegExp][] = [
      [submission(formBody(), [bob]), /s\.age is not encrypted to you/],
      [submission(formBody({ surprise: true }), [alice]), /s\.age.*surprise/],
      [submission({ reporter: { name: "x" } }, [alice]), /s\.age.*incident is required/],
      ["hello, this is not an age file\n", /s\.age is not an intact age submission/],
    ];
    for (const [content, message] of cases) {
      writeFileSync(file, content);
      const r = await world.run(["new-report", "--from-age", file], { as: alice, cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(repo)).not.toContain("cases");
  });
});

describe.skipIf(!hasAgeCli())("new-report --from-eml --no-input", () => {
  it("takes sender, date, subject and the text part; the photo becomes evidence without its EXIF", async () => {
    const eml = join(world.root, "message.eml");
    writeFileSync(eml, emlWithPhoto());
    const r = await world.run(["new-report", "--from-eml", eml, "--no-input"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/evidence 1: hallway\.jpg \(image\/jpeg, .*\): removed EXIF\/XMP, IPTC, comment before encrypting/);
    expect(r.stderr).toMatch(/The original message is still in your mail client/);
    const code = r.stdout.trim();
    const [report, evidence] = (await shown(code)).records;
    expect(report!.body).toMatchObject({
      received_at: "2026-05-31T19:14:09Z",
      received_by: "alice",
      channel: "email",
      reporter: { name: "Robin Reporter", contact: "robin@example.net" },
      incident: { summary: "Unwanted touching at the evening social" },
    });
    const description = (report!.body["incident"] as { description: string }).description;
    expect(description).toMatch(/^Hello team,\n\nAt the evening social a man in a red jacket/);
    expect(description).not.toContain("<b>");
    expect(evidence).toMatchObject({ type: "evidence", body: { name: "hallway.jpg", media_type: "image/jpeg", added_by: "alice", source: "e-mail attachment" } });
    const file = readdirSync(join(repo, "cases", code)).find((f) => f.endsWith(".file.age"))!;
    const plain = spawnSync("age", ["-d", "-i", bob.identityFile, join(repo, "cases", code, file)], { env: world.env }).stdout;
    expect(decodesAsJpeg(plain)).toBe(true);
    expect(plain.includes(Buffer.from("Exif"))).toBe(false);
    expect(plain.includes(Buffer.from(GPS_MARKER))).toBe(false);
  });

  it("applies consent flags given on the command line", async () => {
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input", "--contact-reported", "no", "--transparency", "yes", "--followup-times", "evenings"], {
      as: alice,
      cwd: repo,
      stdin: emlWithPhoto(),
    });
    expect(r.code, r.stderr).toBe(0);
    const report = (await shown(r.stdout.trim())).records[0]!;
    expect(report.body["consent"]).toEqual({ contact_reported: "no", transparency: "yes", followup: { times: "evenings" } });
  });

  it("uses the HTML part as text when there is no text part, and reads stdin", async () => {
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: emlWithPhoto({ text: false }) });
    expect(r.code, r.stderr).toBe(0);
    const description = ((await shown(r.stdout.trim())).records[0]!.body["incident"] as { description: string }).description;
    expect(description).toContain("a man in a red jacket kept touching my shoulder");
    expect(description).not.toMatch(/<\/?(p|b|html)>/);
  });

  it("refuses what is not a message, in one line", async () => {
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: "" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/stdin: not an e-mail message/);
  });
});

describe("coc form", () => {
  it("prints the page with the event, the contact, a web policy link and the roster's keys; never a javascript: link", async () => {
    for (const [url, link] of [["https://example.org/coc", true], ["javascript:alert(1)", false]] as const) {
      const dir = join(world.root, `r-${link}`);
      const init = await world.run(["init", dir, "--event", "Form <Conf>", "--member", "alice", "--contact", "care@example.org", "--policy-url", url], { as: alice });
      expect(init.code, init.stderr).toBe(0);
      const r = await world.run(["form"], { as: alice, cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("Form &lt;Conf&gt;");
      expect(r.stdout).toContain(alice.recipient);
      expect(r.stdout.includes('href="https://example.org/coc"')).toBe(link);
      expect(r.stdout).not.toContain("javascript:");
    }
  });


  it("refuses while the roster has a change nobody confirmed", async () => {
    appendFileSync(join(repo, ".coc", "team.yaml"), `  - name: mallory\n    recipient: ${world.person("mallory").recipient}\n    roles: [responder]\n`);
    const r = await world.run(["form", "--out", join(world.root, "f.html")], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the team roster changed since you last confirmed it/);
    expect(readdirSync(world.root)).not.toContain("f.html");
  });
});
