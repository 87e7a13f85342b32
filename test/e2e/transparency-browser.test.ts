/**
 * The HTML transparency report in a real headless browser (Debian's
 * chromium): it renders to a non-blank PNG, prints to a PDF, and the DOM the
 * browser built holds the chart's inline <svg> with one bar per category.
 * The browser runs with the test world's environment (never process.env),
 * its own throwaway profile, and no network services. Skipped, saying why,
 * when chromium is not installed (CI installs it: .ci/run).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXED_NOW, World, teamRepo, type Person } from "../helpers/env.js";

/** Debian's chromium; COC_TEST_CHROMIUM names another binary (or a missing one, to see the skip). */
const CHROMIUM = process.env["COC_TEST_CHROMIUM"] ?? "/usr/bin/chromium";

function chromiumWorks(): boolean {
  if (!existsSync(CHROMIUM)) return false;
  const r = spawnSync(CHROMIUM, ["--version"], { env: { PATH: "/usr/local/bin:/usr/bin:/bin" }, encoding: "utf8", timeout: 30_000 });
  return r.status === 0;
}

const available = chromiumWorks();
// Say why in the run's output, not only in a skipped test's name.
if (!available) console.warn(`transparency-browser: skipped, ${CHROMIUM} is not installed (apt-get install chromium; CI installs it)`);
const title = available
  ? "the HTML transparency report in headless chromium"
  : `the HTML transparency report in headless chromium (SKIPPED: ${CHROMIUM} is not installed; apt-get install chromium)`;

let world: World;
let lead: Person;
let htmlFile: string;

/** Runs chromium headless on the report with a fresh profile; `args` add the action. */
function chromium(args: string[], profile: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${join(world.root, profile)}`,
      "--window-size=1000,1400",
      ...args,
      pathToFileURL(htmlFile).href,
    ],
    { cwd: world.root, env: world.env, encoding: "utf8", timeout: 90_000, maxBuffer: 1 << 26 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The PNG's size from its IHDR, and how many distinct byte values its pixel data holds. */
function inspectPng(bytes: Buffer): { width: number; height: number; distinct: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let off = 8; off < bytes.length; ) {
    const len = bytes.readUInt32BE(off);
    const type = bytes.toString("latin1", off + 4, off + 8);
    if (type === "IDAT") idat.push(bytes.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  return { width, height, distinct: new Set(pixels).size };
}

describe.skipIf(!available)(title, () => {
  beforeAll(async () => {
    world = new World();
    lead = world.person("lead");
    const helper = world.person("helper");
    const repo = await teamRepo(world, [lead, helper]);
    const cases: [string, string, string][] = [
      ["Comments about appearance", "harassment", "demand the behaviour stops"],
      ["Comments in a talk's Q&A", "harassment", "demand the behaviour stops"],
      ["An offensive slide", "offensive content", "do not publish the talk's video"],
      ["Advertising in the chat", "spam", "no action"],
    ];
    for (const [i, [summary, category, level]] of cases.entries()) {
      const r = await world.run(["new-report", "--from", "-", "--contact-reported", "yes", "--public-statement", "yes", "--transparency", "yes"], {
        as: lead,
        cwd: repo,
        stdin: `received_at: 2026-05-2${i}T10:00:00Z\nchannel: in-person\nreporter: { anonymous: true }\nincident:\n  summary: ${summary}\n  description: Private details.\n`,
        now: FIXED_NOW,
      });
      expect(r.code, r.stderr).toBe(0);
      const code = r.stdout.trim();
      const later = new Date(FIXED_NOW.getTime() + 3600_000);
      expect((await world.run(["review", code, "--from", "-", "--yes"], { as: lead, cwd: repo, stdin: `assessment: { risk: ${i % 2 ? "low" : "high"}, impact: high }\n`, now: later })).code).toBe(0);
      expect((await world.run(["decide", code, "--from", "-"], { as: lead, cwd: repo, stdin: `stage: final\nviolation: "yes"\nactions: [{ level: "${level}" }]\ndecided_by: [lead, helper]\n`, now: later })).code).toBe(0);
      const res = await world.run(["resolve", code, "--from", "-"], {
        as: lead,
        cwd: repo,
        stdin: `transparency: { include: true, title: "${summary}", summary: The person was asked to stop and did., category: ${category} }\n`,
        now: later,
      });
      expect(res.code, res.stderr).toBe(0);
    }
    mkdirSync(join(world.root, "site"));
    htmlFile = join(world.root, "site", "report.html");
    const r = await world.run(["transparency", "--format", "html", "--out", htmlFile], { as: lead, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
  afterAll(() => world.cleanup());

  it("renders a screenshot that is a real page, not a blank one", () => {
    const png = join(world.root, "report.png");
    const r = chromium([`--screenshot=${png}`], "profile-shot");
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(existsSync(png), r.stderr.slice(-2000)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    const info = inspectPng(readFileSync(png));
    expect([info.width, info.height]).toEqual([1000, 1400]);
    // Text, the purple bars and the tables give many shades; a blank page gives a handful.
    expect(info.distinct).toBeGreaterThan(64);
  });

  it("the DOM the browser built holds the chart's <svg> with one bar per category, and the matrix", () => {
    const r = chromium(["--dump-dom"], "profile-dom");
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    const dom = r.stdout;
    expect(dom).toContain("<h1>Test Conf 2026: Code of Conduct transparency report</h1>");
    const svg = /<svg class="chart"[\s\S]*?<\/svg>/.exec(dom)?.[0];
    expect(svg, "no chart svg in the DOM").toBeDefined();
    const bars = [...svg!.matchAll(/<rect class="bar"[^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(bars).toHaveLength(3);
    expect(bars[0]).toBeGreaterThan(bars[1]!); // harassment (2) is drawn longer than the others (1 each)
    for (const label of ["harassment", "offensive content", "spam"]) expect(svg).toContain(`>${label}</text>`);
    expect(dom).toMatch(/<table class="matrix">[\s\S]*<th>high impact<\/th><td>2<\/td><td>2<\/td>/);
    expect(dom).not.toContain("Private details");
  });

  it("prints to a PDF", () => {
    const pdf = join(world.root, "report.pdf");
    const r = chromium([`--print-to-pdf=${pdf}`, "--no-pdf-header-footer"], "profile-pdf");
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.length).toBeGreaterThan(5_000);
  });
});
