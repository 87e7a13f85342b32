/**
 * The reporting form in a real headless browser (Debian's chromium, driven
 * with playwright-core): typed into with the keyboard, encrypted in the
 * page, imported with `coc new-report --from-age` and shown. The page makes
 * no request but its own load, leaves the typed text nowhere on disk (the
 * browser's profile included), and a tampered submission is refused.
 * Skipped, saying why, when chromium is not installed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { chromium as playwright, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, teamRepo, type Person } from "../helpers/env.js";

const CHROMIUM = process.env["COC_TEST_CHROMIUM"] ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM) && spawnSync(CHROMIUM, ["--version"], { env: { PATH: "/usr/local/bin:/usr/bin:/bin" }, timeout: 30_000 }).status === 0;
if (!available) console.warn(`form-browser: skipped, ${CHROMIUM} is not installed (apt-get install chromium; CI installs it)`);
const title = available ? "the reporting form in headless chromium" : `the reporting form in headless chromium (SKIPPED: ${CHROMIUM} is not installed)`;

const MARKER = "zebra-lantern-7731";
const NAME = "Quinn Formfiller";
/** What the reporter answers below; everything else of the consent is left blank. */
const CONSENT = { contact_reported: "no", share: { venue: "yes", police: "ask" }, followup: { channel: "e-mail, please" } };

let world: World;
let alice: Person;
let bob: Person;
let repo: string;
let page: string;
let armored: string;
let screenshot: Buffer;
const requests: string[] = [];
const consoleErrors: string[] = [];

/** The PNG's size from its IHDR, and how many distinct byte values its pixel data holds. */
function inspectPng(bytes: Buffer): { width: number; height: number; distinct: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const idat: Buffer[] = [];
  for (let off = 8; off < bytes.length; ) {
    const len = bytes.readUInt32BE(off);
    if (bytes.toString("latin1", off + 4, off + 8) === "IDAT") idat.push(bytes.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), distinct: new Set(inflateSync(Buffer.concat(idat))).size };
}

describe.skipIf(!available)(title, () => {
  beforeAll(async () => {
    world = new World();
    [alice, bob] = [world.person("alice"), world.person("bob")];
    repo = await teamRepo(world, [alice, bob]);
    mkdirSync(join(world.root, "site"));
    page = join(world.root, "site", "report-form.html");
    const made = await world.run(["form", "--out", page], { as: alice, cwd: repo });
    expect(made.code, made.stderr).toBe(0);

    let context: BrowserContext | undefined;
    try {
      context = await playwright.launchPersistentContext(join(world.root, "profile"), {
        executablePath: CHROMIUM,
        headless: true,
        env: world.env,
        viewport: { width: 900, height: 1300 },
        args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      context.on("request", (r) => requests.push(r.url()));
      const tab = context.pages()[0] ?? (await context.newPage());
      tab.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(m.text());
      });
      tab.on("pageerror", (e) => consoleErrors.push(e.message));
      await tab.goto(pathToFileURL(page).href);
      // Keyboard only: the first Tab reaches the name field (no link comes before it without a policy URL).
      await tab.keyboard.press("Tab");
      expect(await tab.evaluate("document.activeElement && document.activeElement.id")).toBe("reporter_name");
      await tab.keyboard.type(NAME);
      await tab.keyboard.press("Tab");
      await tab.keyboard.type("quinn@example.net");
      await tab.getByLabel("In one line, what happened").fill(`Harassment in the hallway ${MARKER}`);
      await tab.getByLabel("What happened, in your own words").fill(`Someone kept following me. ${MARKER}`);
      await tab.getByLabel("Who was involved").fill("Pat Example");

      // The consent, after the account. First an answer given and then taken back with "clear".
      const statement = tab.getByRole("group", { name: /public statement/ });
      await statement.getByRole("radio", { name: "yes" }).focus();
      await tab.keyboard.press("Space");
      expect(await statement.getByRole("radio", { name: "yes" }).isChecked()).toBe(true);
      await tab.getByRole("button", { name: /Clear my answers/ }).focus();
      await tab.keyboard.press("Enter");
      expect(await statement.getByRole("radio", { name: "yes" }).isChecked()).toBe(false);
      // Then, from the last field of the account, Tab and arrow keys only.
      await tab.getByLabel("Links").focus();
      await tab.keyboard.press("Tab");
      const focused = () => tab.evaluate("document.activeElement && [document.activeElement.name, document.activeElement.value].join(' ')");
      expect(await focused()).toBe("contact_reported yes");
      await tab.keyboard.press("ArrowDown"); // contact_reported: no
      expect(await focused()).toBe("contact_reported no");
      await tab.keyboard.press("Tab");
      expect(await focused()).toBe("share_venue yes");
      await tab.keyboard.press("Space"); // venue: yes
      await tab.keyboard.press("Tab"); // security: left blank
      await tab.keyboard.press("Tab");
      expect(await focused()).toBe("share_police yes");
      await tab.keyboard.press("ArrowDown");
      await tab.keyboard.press("ArrowDown"); // police: ask first
      expect(await focused()).toBe("share_police ask");
      await tab.getByLabel("How would you like to hear from the team").focus();
      await tab.keyboard.type(CONSENT.followup.channel);
      await tab.getByRole("button", { name: "Encrypt my report" }).focus();
      await tab.keyboard.press("Enter");
      await tab.locator("#result").waitFor({ state: "visible" });
      armored = await tab.locator("#encrypted").inputValue();
      screenshot = await tab.screenshot();
      await context.close();
      context = undefined;
    } finally {
      await context?.close();
    }
  }, 120_000);
  afterAll(() => world.cleanup());

  it("tells the reporter in plain words that nothing leaves the browser unencrypted, and loads nothing", () => {
    const html = readFileSync(page, "utf8");
    expect(html).toContain("Nothing you type here leaves your browser unencrypted.");
    expect(html).toContain("Test Conf 2026");
    expect(html).toContain("care@example.org");
    expect(html).toMatch(/you can change any answer later/);
    expect(html).toMatch(/A question you leave blank is never taken as a yes: the team will ask you first/);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(requests).toEqual([pathToFileURL(page).href]);
    expect(consoleErrors).toEqual([]);
  });

  it("shows the encrypted text, and the screenshot is the real page", () => {
    expect(armored).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+\n-----END AGE ENCRYPTED FILE-----\n?$/);
    expect(armored).not.toContain(MARKER);
    const info = inspectPng(screenshot);
    expect([info.width, info.height]).toEqual([900, 1300]);
    expect(info.distinct).toBeGreaterThan(64);
  });

  it("imports with --from-age as the receiving member, shows it, and leaves the marker nowhere on disk", async () => {
    const file = join(world.root, "report.age");
    writeFileSync(file, armored);
    const r = await world.run(["new-report", "--from-age", file], { as: bob, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    const code = r.stdout.trim();
    const shown = await world.run(["show", code, "--json"], { as: alice, cwd: repo });
    expect(shown.code, shown.stderr).toBe(0);
    const report = (JSON.parse(shown.stdout) as { records: { type: string; author: string; body: Record<string, unknown> }[] }).records[0]!;
    expect(report.author).toBe("bob");
    expect(report.body).toMatchObject({ received_by: "bob", channel: "online-form", reporter: { name: NAME, contact: "quinn@example.net", anonymous: false } });
    expect(JSON.stringify(report.body)).toContain(MARKER);
    // Exactly what was answered: a blank question sends no value, so it stays "not recorded".
    expect(report.body["consent"]).toEqual(CONSENT);
    const text = await world.run(["show", code], { as: alice, cwd: repo });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split("\n")[0]).toBe(
      "consent: contact reported person: no · share: venue yes, security not recorded, police ask, umbrella not recorded, mediator not recorded · public statement: not recorded · transparency: not recorded · follow-up: e-mail, please",
    );
    // Nowhere on disk: the repository, HOME, the browser's profile, the page's folder.
    const grep = spawnSync("grep", ["-rl", "--binary-files=text", MARKER, world.root], { encoding: "utf8" });
    expect(grep.stdout).toBe("");
    const grepName = spawnSync("grep", ["-rl", "--binary-files=text", NAME, world.root], { encoding: "utf8" });
    expect(grepName.stdout).toBe("");
  });

  it("refuses a tampered submission in one line, recording nothing", async () => {
    const lines = armored.trim().split("\n");
    const i = Math.floor(lines.length / 2);
    const flip = lines[i]!.startsWith("A") ? "B" : "A";
    lines[i] = flip + lines[i]!.slice(1);
    const file = join(world.root, "tampered.age");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const before = spawnSync("git", ["rev-parse", "HEAD"], { cwd: repo, env: world.env, encoding: "utf8" }).stdout;
    const r = await world.run(["new-report", "--from-age", file], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/tampered\.age/);
    expect(spawnSync("git", ["rev-parse", "HEAD"], { cwd: repo, env: world.env, encoding: "utf8" }).stdout).toBe(before);
  });
});
