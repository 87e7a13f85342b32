/**
 * The anonymised transparency report (DESIGN.md §5), shaped like the
 * DjangoCon Europe reports: how the code of conduct was made visible and who
 * the team was (from config.yaml and the roster), one short titled entry per
 * case the team chose to describe, then counts, response times against the
 * deadlines, and the date basis.
 *
 * What reaches the report from a case: only the resolution's `transparency`
 * fields (title, summary, category), the final decision's `violation`, the
 * ladder levels of the actions in force, whether the reporter was informed,
 * the report channels, the risk/impact majority and deadline outcomes, all
 * as counts or general terms. Never report text, names, contacts, dates of
 * individual cases or quotes. The caller still runs the public-text safety
 * check (./safety.ts) on the rendered text with the `terms` returned here.
 *
 * ## The JSON (`coc transparency --format json`), version 1
 *
 * ```
 * {
 *   version: 1,
 *   event: { name, starts_on: "YYYY-MM-DD" | null, ends_on: "YYYY-MM-DD" | null },
 *   generated_from: { since: "YYYY-MM-DD" | null, until: "YYYY-MM-DD" | null },
 *   policy_url: string | null, contact: string | null, visibility: [string],
 *   team: [string],                        // roster names
 *   entries: [{                            // cases resolved with transparency.include: true
 *     title, summary: string | null, category,
 *     violation: "yes" | "no" | "unclear" | null,  // the latest final decision; null without one
 *     violation_text,                      // "yes" | "no" | "unclear" | "not determined"
 *     actions: [string],                   // ladder levels of the actions in force ("other" → "another measure")
 *     action,                              // the same in words: "demand the behaviour stops", "no action", ...
 *     reporter_informed: boolean           // the resolution has reporter_informed_at
 *   }],
 *   counts: {
 *     reports, cases,                      // several reports can belong to one case
 *     described, not_described,            // entries vs cases counted but not described
 *     unresolved,                          // cases with no resolution yet
 *     by_category: [{ name, count }],      // cases; "uncategorised" when the resolution has none
 *     by_violation: [{ name, count }],     // cases; yes, no, unclear, not determined
 *     by_outcome: [{ name, count }],       // cases per action level (a case with two levels counts in both;
 *                                          // "no action", "no decision yet")
 *     by_cell: [{ key, impact, risk, name, count }],  // all four risk/impact cells, cases by majority vote
 *     unassessed,                          // cases with no assessment
 *     by_channel: [{ name, count }]        // reports; "not recorded" when the report has no channel
 *   },
 *   response_times: [{ deadline, what, met, missed, pending, not_applicable }],
 *   date_basis: "the time each report was received"
 * }
 * ```
 * Lists of `{name, count}` are sorted by count (highest first), then name;
 * entries in the order their cases were received (no dates are shown).
 * Fields are only ever added within version 1; a change of meaning bumps it.
 */
import { UserError } from "../../errors.js";
import type { Config } from "../repo/config.js";
import { LADDERS } from "../repo/config.js";
import type { Workspace } from "../repo/workspace.js";
import type { Problem } from "../repo/store.js";
import { FREE_TEXT_LEVEL, ladderLevel } from "../records/rules.js";
import type { CocRecord, RecordOf } from "../records/schema.js";
import { actionsInForce, foldCase, sortRecords, type DeadlineStatus } from "../records/state.js";
import { render, trusted } from "../templates/render.js";
import { cellKey, type CellKey } from "./matrix.js";
import { sensitiveTerms, type SensitiveTerm } from "./safety.js";

/** The version of the JSON shape above. */
export const TRANSPARENCY_VERSION = 1;

export const DATE_BASIS = "the time each report was received";

export const TRANSPARENCY_FORMATS = ["md", "html", "json"] as const;
export type TransparencyFormat = (typeof TRANSPARENCY_FORMATS)[number];

export interface Count {
  name: string;
  count: number;
}

export interface TransparencyEntry {
  title: string;
  summary: string | null;
  category: string;
  violation: "yes" | "no" | "unclear" | null;
  violation_text: string;
  actions: string[];
  action: string;
  reporter_informed: boolean;
}

export interface CellCount {
  key: CellKey;
  impact: "low" | "high";
  risk: "low" | "high";
  /** e.g. "low impact, high risk". */
  name: string;
  count: number;
}

export interface ResponseTime {
  deadline: DeadlineStatus["name"];
  what: string;
  /** Done by the deadline. */
  met: number;
  /** Done late, or not done and the deadline has passed. */
  missed: number;
  /** Not done, deadline still ahead. */
  pending: number;
  /** Cases the deadline does not apply to (e.g. no way to reach an anonymous reporter). */
  not_applicable: number;
}

export interface TransparencyReport {
  version: typeof TRANSPARENCY_VERSION;
  event: { name: string; starts_on: string | null; ends_on: string | null };
  generated_from: { since: string | null; until: string | null };
  policy_url: string | null;
  contact: string | null;
  visibility: string[];
  team: string[];
  entries: TransparencyEntry[];
  counts: {
    reports: number;
    cases: number;
    described: number;
    not_described: number;
    unresolved: number;
    by_category: Count[];
    by_violation: Count[];
    by_outcome: Count[];
    by_cell: CellCount[];
    unassessed: number;
    by_channel: Count[];
  };
  response_times: ResponseTime[];
  date_basis: string;
}

export interface TransparencyInput {
  config: Config;
  /** Roster names. */
  team: readonly string[];
  /** Every readable case with its records (any order). */
  cases: readonly { code: string; records: readonly CocRecord[] }[];
  /** Inclusive UTC dates (YYYY-MM-DD) on the date each case's first report was received. */
  since?: string | null | undefined;
  until?: string | null | undefined;
  /** The clock, for deadlines still pending. */
  now: Date;
}

export interface BuiltTransparency {
  report: TransparencyReport;
  /**
   * Names, contacts and handles from the reports of every readable case (not
   * only those in the date range: a person from an earlier case must not be
   * named either), for the safety check.
   */
  terms: SensitiveTerm[];
  /** The case codes counted (local use only; never in the report). */
  included: string[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function ofType<T extends CocRecord["type"]>(records: readonly CocRecord[], type: T): RecordOf<T>[] {
  return records.filter((r): r is RecordOf<T> => r.type === type);
}

function tally(names: readonly string[]): Count[] {
  const m = new Map<string, number>();
  for (const n of names) m.set(n, (m.get(n) ?? 0) + 1);
  return [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

function clean(s: string | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

const VIOLATION_TEXT = { yes: "yes", no: "no", unclear: "unclear" } as const;
const NOT_DETERMINED = "not determined";
const UNCATEGORISED = "uncategorised";

/** An action level in general terms: the ladder's own spelling, never the free-text detail. */
function generalLevel(level: string, config: Config): string {
  if (level.trim().toLowerCase() === FREE_TEXT_LEVEL) return "another measure";
  return ladderLevel(LADDERS[config.ladder], level)?.level ?? level.trim();
}

function deadlineWhat(name: DeadlineStatus["name"], config: Config, fallback: string): string {
  const d = config.deadlines;
  const hours = (h: number) => (h % 24 === 0 && h >= 48 ? `${h / 24} days` : `${h} h`);
  switch (name) {
    case "first-action":
      return `a first decision within ${hours(d.first_action_hours)} of the report`;
    case "acknowledge":
      return `the reporter acknowledged within ${hours(d.acknowledge_hours)}`;
    case "outcome":
      return `the reporter told the outcome within ${hours(d.outcome_days * 24)}`;
    case "ratify":
      return "an urgent decision taken alone ratified by at least two members within 24 h";
    default:
      return fallback;
  }
}

/**
 * Builds the report from the readable cases. Pure: no I/O, no clock but `now`.
 * @throws UserError for a malformed `since`/`until`, or `since` after `until`.
 */
export function buildTransparency(input: TransparencyInput): BuiltTransparency {
  const since = input.since ?? null;
  const until = input.until ?? null;
  for (const [flag, v] of [["since", since], ["until", until]] as const) {
    if (v !== null && !isDay(v)) throw new UserError(`${flag} must be a date such as 2026-06-01 (got "${v}")`);
  }
  if (since && until && since > until) throw new UserError(`since (${since}) is after until (${until})`);
  const { config } = input;

  const terms: SensitiveTerm[] = [];
  const counted: { code: string; records: CocRecord[]; received_at: string | null }[] = [];
  for (const c of input.cases) {
    if (c.records.length === 0) continue;
    terms.push(...sensitiveTerms(c.code, c.records));
    const records = sortRecords(c.records);
    const received = ofType(records, "report").map((r) => r.body.received_at ?? r.created_at).sort()[0] ?? null;
    const day = received?.slice(0, 10) ?? null;
    if ((since || until) && day === null) continue;
    if (since && day! < since) continue;
    if (until && day! > until) continue;
    counted.push({ code: c.code, records, received_at: received });
  }
  counted.sort((a, b) => (a.received_at ?? "").localeCompare(b.received_at ?? "") || a.code.localeCompare(b.code));

  const entries: TransparencyEntry[] = [];
  const categories: string[] = [];
  const violations: string[] = [];
  const outcomes: string[] = [];
  const channels: string[] = [];
  const cells = new Map<CellKey, number>();
  let reports = 0;
  let unresolved = 0;
  let unassessed = 0;
  const times = new Map<DeadlineStatus["name"], ResponseTime>();
  for (const name of ["first-action", "acknowledge", "outcome"] as const) {
    times.set(name, { deadline: name, what: deadlineWhat(name, config, name), met: 0, missed: 0, pending: 0, not_applicable: 0 });
  }

  for (const c of counted) {
    const summary = foldCase(c.code, c.records, config.deadlines, input.now);
    const reportRecords = ofType(c.records, "report");
    reports += reportRecords.length;
    for (const r of reportRecords) channels.push(r.body.channel ?? "not recorded");

    const resolution = ofType(c.records, "resolution").at(-1);
    if (!resolution) unresolved++;
    const category = clean(resolution?.body.transparency.category) ?? UNCATEGORISED;
    categories.push(category);

    const finalDecision = ofType(c.records, "decision").filter((d) => d.body.stage === "final").at(-1);
    const violation = finalDecision?.body.violation ?? null;
    const violationText = violation ? VIOLATION_TEXT[violation] : NOT_DETERMINED;
    violations.push(violationText);

    const hasDecision = ofType(c.records, "decision").length > 0;
    const levels = [...new Set(actionsInForce(c.records).map((a) => generalLevel(a.level, config)))];
    const outcome = levels.length > 0 ? levels : [hasDecision ? "no action" : "no decision yet"];
    outcomes.push(...outcome);

    if (summary.risk && summary.impact) {
      const key = cellKey(summary.impact, summary.risk);
      cells.set(key, (cells.get(key) ?? 0) + 1);
    } else unassessed++;

    const seen = new Set<string>();
    for (const d of summary.deadlines) {
      let t = times.get(d.name);
      if (!t) {
        t = { deadline: d.name, what: deadlineWhat(d.name, config, d.name), met: 0, missed: 0, pending: 0, not_applicable: 0 };
        times.set(d.name, t);
      }
      seen.add(d.name);
      if (d.met_at !== null) {
        if (Date.parse(d.met_at) <= Date.parse(d.due_at)) t.met++;
        else t.missed++;
      } else if (input.now.getTime() > Date.parse(d.due_at)) t.missed++;
      else t.pending++;
    }
    for (const name of ["first-action", "acknowledge", "outcome"] as const) if (!seen.has(name)) times.get(name)!.not_applicable++;

    if (resolution?.body.transparency.include) {
      const t = resolution.body.transparency;
      entries.push({
        title: clean(t.title) ?? (clean(t.category) ? `An incident: ${clean(t.category)}` : "An incident"),
        summary: clean(t.summary),
        category,
        violation,
        violation_text: violationText,
        actions: levels,
        action: outcome.join("; "),
        reporter_informed: Boolean(resolution.body.reporter_informed_at),
      });
    }
  }

  const by_cell: CellCount[] = (["low", "high"] as const).flatMap((impact) =>
    (["low", "high"] as const).map((risk) => {
      const key = cellKey(impact, risk);
      return { key, impact, risk, name: `${impact} impact, ${risk} risk`, count: cells.get(key) ?? 0 };
    }),
  );

  const report: TransparencyReport = {
    version: TRANSPARENCY_VERSION,
    event: { name: config.event.name, starts_on: config.event.starts_on ?? null, ends_on: config.event.ends_on ?? null },
    generated_from: { since, until },
    policy_url: clean(config.policy_url),
    contact: clean(config.contact),
    visibility: config.visibility.map((v) => v.trim()).filter(Boolean),
    team: [...input.team],
    entries,
    counts: {
      reports,
      cases: counted.length,
      described: entries.length,
      not_described: counted.length - entries.length,
      unresolved,
      by_category: tally(categories),
      by_violation: tally(violations),
      by_outcome: tally(outcomes),
      by_cell,
      unassessed,
      by_channel: tally(channels),
    },
    response_times: [...times.values()],
    date_basis: DATE_BASIS,
  };
  return { report, terms, included: counted.map((c) => c.code) };
}

export interface CollectedTransparency extends BuiltTransparency {
  /** Cases not encrypted to the caller: not counted (local use only). */
  restricted: string[];
  /** Files that could not be read; their cases are counted from what could be. */
  problems: Problem[];
}

/**
 * Reads every case of the workspace in one batch and builds the report over
 * those the caller can read.
 * @throws UserError as buildTransparency, or when the identity cannot be unlocked.
 */
export async function collectTransparency(ws: Workspace, opts: { since?: string | null | undefined; until?: string | null | undefined; now: Date }): Promise<CollectedTransparency> {
  const { cases, problems } = await ws.readCases();
  const built = buildTransparency({
    config: ws.config,
    team: ws.team.members.map((m) => m.name),
    cases: cases.map((c) => ({ code: c.code, records: c.records.map((r) => r.record) })),
    since: opts.since,
    until: opts.until,
    now: opts.now,
  });
  return {
    ...built,
    restricted: cases.filter((c) => c.records.length === 0 && c.notForYou.length > 0).map((c) => c.code),
    problems: [...problems, ...cases.flatMap((c) => c.problems)],
  };
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * A horizontal bar chart of `counts` as an inline SVG string: one
 * `<rect class="bar">` per entry, every text XML-escaped, no external
 * references (not even the SVG namespace URL: inline SVG in HTML needs none).
 */
export function barChartSvg(counts: readonly Count[], title: string): string {
  const width = 640;
  const labelWidth = 220;
  const barMax = 340;
  const row = 30;
  const top = 8;
  const height = Math.max(1, counts.length) * row + top * 2;
  const max = Math.max(1, ...counts.map((c) => c.count));
  const out = [`<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`, `<title id="chart-title">${escapeXml(title)}</title>`];
  if (counts.length === 0) {
    out.push(`<text x="0" y="${top + 19}" class="chart-empty">No reports in this period.</text>`);
  }
  counts.forEach((c, i) => {
    const y = top + i * row;
    const w = Math.max(2, Math.round((c.count / max) * barMax));
    const name = escapeXml(c.name);
    out.push(
      `<g class="bar-row">`,
      `<text x="${labelWidth - 10}" y="${y + 19}" text-anchor="end" class="chart-label">${escapeXml(truncate(c.name, 30))}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y + 4}" width="${w}" height="20" rx="3"><title>${name}: ${c.count}</title></rect>`,
      `<text x="${labelWidth + w + 8}" y="${y + 19}" class="chart-value">${c.count}</text>`,
      `</g>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}

/** The risk/impact grid of the counts, laid out for a table: impact rows, risk columns. */
export function matrixRows(report: TransparencyReport): { label: string; cells: { label: string; count: number }[] }[] {
  return (["low", "high"] as const).map((impact) => ({
    label: `${impact} impact`,
    cells: (["low", "high"] as const).map((risk) => {
      const key = cellKey(impact, risk);
      return { label: `${risk} risk`, count: report.counts.by_cell.find((c) => c.key === key)?.count ?? 0 };
    }),
  }));
}

/**
 * The report as text: JSON (stable, 2-space indented), or through
 * templates/transparency.md.hbs (not escaped) or transparency.html.hbs
 * (HTML-escaped; the chart is passed pre-escaped), the first found in `dirs`.
 * Templates get the report's fields plus `matrix.rows`, `policy_href` (the
 * policy URL when it is a web address, else null) and, for HTML, `chart_svg`.
 * @throws UserError for a missing or broken template, naming it.
 */
export async function renderTransparency(report: TransparencyReport, format: TransparencyFormat, opts: { dirs: readonly string[] }): Promise<string> {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  const view = {
    ...report,
    matrix: { rows: matrixRows(report) },
    // Only a web address becomes a link (never, say, a javascript: URL).
    policy_href: report.policy_url && /^https?:\/\//i.test(report.policy_url) ? report.policy_url : null,
    ...(format === "html" ? { chart_svg: trusted(barChartSvg(report.counts.by_category, "Cases by category")) } : {}),
  };
  const text = await render(`transparency.${format}.hbs`, view, { dirs: opts.dirs, escape: format === "html" });
  return text.endsWith("\n") ? text : `${text}\n`;
}
