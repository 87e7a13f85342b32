/**
 * The transparency aggregation as pure functions: what a case contributes
 * (and what it never does), the date filter, the deadline tallies, and the
 * SVG chart's escaping.
 */
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord, type RecordType } from "../../src/core/records/schema.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { configSchema } from "../../src/core/repo/config.js";
import { buildTransparency, isDay } from "../../src/core/reports/transparency.js";
import { barChartSvg } from "../../src/core/reports/transparency-render.js";

let n = 0;
function rec(code: string, type: RecordType, at: string, body: unknown): CocRecord {
  const created = new Date(at);
  return makeRecord({ type, case: code, id: newRecordId(type, new Date(created.getTime() + n++)), author: "alice", created_at: created, recipients: ["alice"], body: BODY_SCHEMAS[type].parse(body) });
}

const config = configSchema.parse({ coc: 1, event: { name: "Conf" }, ladder: "cc2.1" });
const NOW = new Date("2026-07-01T00:00:00Z");

function build(cases: Record<string, CocRecord[]>, extra: { since?: string; until?: string } = {}) {
  return buildTransparency({ config, team: ["alice"], cases: Object.entries(cases).map(([code, records]) => ({ code, records })), now: NOW, ...extra });
}

describe("buildTransparency", () => {
  const code = "quiet-otter-42";
  const records = [
    rec(code, "report", "2026-06-01T10:00:00Z", { received_at: "2026-06-01T10:00:00Z", reporter: { name: "Kim Vale" }, incident: { summary: "Kim Vale's secret", description: "private" }, consent: { transparency: "yes" } }),
    rec(code, "decision", "2026-06-01T11:00:00Z", { stage: "interim", violation: "unclear", actions: [{ level: "warning" }] }),
    rec(code, "decision", "2026-06-02T11:00:00Z", { stage: "final", violation: "yes", actions: [{ level: "Temporary Ban", duration: "1 year" }, { level: "other", detail: "Kim Vale told at the door" }] }),
    rec(code, "resolution", "2026-06-03T10:00:00Z", { transparency: { include: false, category: "first try" } }),
    rec(code, "resolution", "2026-06-04T10:00:00Z", { transparency: { include: true, category: " harassment " } }),
  ];

  it("takes the final decision's violation, the ladder's spelling of levels, never a free-text detail; the latest resolution wins", () => {
    const { report, terms, included } = build({ [code]: records });
    expect(included).toEqual([code]);
    expect(report.entries).toEqual([
      {
        title: "An incident: harassment",
        summary: null,
        category: "harassment",
        violation: "yes",
        violation_text: "yes",
        actions: ["temporary ban", "another measure"],
        action: "temporary ban; another measure",
        reporter_informed: false,
      },
    ]);
    expect(report.counts.by_outcome).toEqual([
      { name: "another measure", count: 1 },
      { name: "temporary ban", count: 1 },
    ]);
    expect(JSON.stringify(report)).not.toMatch(/Kim|Vale|secret|private|door|1 year|2026-06/);
    expect(terms.map((t) => t.term)).toEqual(["Kim Vale", "Kim", "Vale"]);
    // The first decision came after 1 h; the reporter (not anonymous) was never told, and now is weeks later.
    expect(report.response_times.map((t) => [t.deadline, t.met, t.missed, t.pending, t.not_applicable])).toEqual([
      ["first-action", 1, 0, 0, 0],
      ["acknowledge", 0, 1, 0, 0],
      ["outcome", 0, 1, 0, 0],
    ]);
    const anonymous = build({ [code]: [rec(code, "report", "2026-06-01T10:00:00Z", { reporter: { anonymous: true }, incident: { summary: "s", description: "d" } })] });
    expect(anonymous.report.response_times.map((t) => [t.deadline, t.met, t.missed, t.pending, t.not_applicable])).toEqual([
      ["first-action", 0, 1, 0, 0],
      ["acknowledge", 0, 0, 0, 1],
      ["outcome", 0, 0, 0, 1],
    ]);
  });

  it("filters on the UTC day the first report was received, inclusive; terms still come from every case", () => {
    const other = "brave-heron-7";
    const late = [rec(other, "report", "2026-06-05T23:59:59Z", { received_at: "2026-06-06T01:00:00+02:00", reporter: { name: "Lou" }, incident: { summary: "s", description: "d" } })];
    expect(build({ [code]: records, [other]: late }, { since: "2026-06-01", until: "2026-06-01" }).included).toEqual([code]);
    // 01:00 in UTC+2 on the 6th is 23:00 UTC on the 5th.
    expect(build({ [code]: records, [other]: late }, { since: "2026-06-05" }).included).toEqual([other]);
    const none = build({ [code]: records, [other]: late }, { until: "2026-05-31" });
    expect(none.included).toEqual([]);
    expect(none.terms.map((t) => t.term)).toContain("Lou");
  });

  it("refuses malformed or reversed dates", () => {
    expect(() => build({}, { since: "2026-02-30" })).toThrow(/since must be a date/);
    expect(() => build({}, { since: "2026-06-02", until: "2026-06-01" })).toThrow(/is after until/);
    expect(isDay("2026-02-28")).toBe(true);
    expect(isDay("2026-2-28")).toBe(false);
  });
});

describe("barChartSvg", () => {
  it("escapes every text, has one bar per entry and no external reference", () => {
    const svg = barChartSvg([{ name: `<script>alert("x")</script> & 'more'`, count: 3 }, { name: "b", count: 1 }], "By <category>");
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;: 3");
    expect(svg).toContain("<title id=\"chart-title\">By &lt;category&gt;</title>");
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(svg).not.toMatch(/http|href|src=/);
  });

  it("says so when there is nothing to chart", () => {
    const svg = barChartSvg([], "t");
    expect(svg).toContain("No reports in this period.");
    expect(svg).not.toContain("<rect");
  });

  it("orders categories of equal count the same whatever the machine's language (by their characters, not a locale's collation)", () => {
    // Estonian collation puts z between s and t: two members publishing the same report would list them differently.
    // (The built modules, in a process started with that language: npm test builds first.)
    const dist = (path: string) => pathToFileURL(join(resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."), "dist", "core", path)).href;
    const script = `
      const { makeRecord } = await import("${dist("records/record.js")}");
      const { BODY_SCHEMAS } = await import("${dist("records/schema.js")}");
      const { newRecordId } = await import("${dist("repo/codes.js")}");
      const { configSchema } = await import("${dist("repo/config.js")}");
      const { buildTransparency } = await import("${dist("reports/transparency.js")}");
      const rec = (code, type, at, body) => makeRecord({ type, case: code, id: newRecordId(type, new Date(at)), author: "alice", created_at: new Date(at), recipients: ["alice"], body: BODY_SCHEMAS[type].parse(body) });
      const cases = ["tact", "zeal", "safety"].map((category, i) => {
        const code = "quiet-otter-" + (10 + i);
        return { code, records: [
          rec(code, "report", "2026-06-0" + (i + 1) + "T10:00:00Z", { reporter: { name: "R" }, incident: { summary: "s", description: "d" }, consent: { transparency: "yes" } }),
          rec(code, "resolution", "2026-06-0" + (i + 1) + "T12:00:00Z", { transparency: { include: true, category } }),
        ] };
      });
      const config = configSchema.parse({ coc: 1, event: { name: "Conf" }, ladder: "cc2.1" });
      const { report } = buildTransparency({ config, team: ["alice"], cases, now: new Date("2026-07-01T00:00:00Z") });
      console.log(report.counts.by_category.map((c) => c.name).join(" "));
    `;
    const order = (lang: string) =>
      spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", LANG: lang, LC_ALL: lang }, encoding: "utf8" });
    const c = order("C.UTF-8");
    expect(c.stderr).toBe("");
    expect(c.stdout.trim()).toBe("safety tact zeal");
    expect(order("et_EE.UTF-8").stdout.trim()).toBe("safety tact zeal");
  });
});
