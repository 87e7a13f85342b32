/** Builds the transparency report (its shape: ./transparency-types.ts). */
import { UserError } from "../errors.js";
import type { Config } from "../repo/config.js";
import { LADDERS } from "../repo/config.js";
import { FREE_TEXT_LEVEL, ladderLevel } from "../case/rules.js";
import type { CocRecord, RecordOf } from "../records/schema.js";
import { actionsInForce, foldCase, type DeadlineStatus } from "../case/fold.js";
import { consentAllows, effectiveConsent } from "../case/consent.js";
import { byCodeUnits, sortRecords } from "../records/order.js";
import { cellKey, type CellKey } from "./matrix.js";
import { sensitiveTerms, type SensitiveTerm } from "./safety.js";

import type { Count, ResponseTime, TransparencyEntry, TransparencyReport, CellCount } from "./transparency-types.js";
import { DATE_BASIS, TRANSPARENCY_VERSION } from "./transparency-types.js";

export * from "./transparency-types.js";

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
  /** Cases to describe although the reporter has not agreed (`--override`, recorded as a note in each). */
  overridden?: ReadonlySet<string> | undefined;
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
  /** The case of each entry, in order (local use only: the check's messages). */
  entryCases: string[];
  /** The cases of each category, outcome level and title (local use only: the check's messages). */
  casesOf: Map<string, string[]>;
  /** Cases the team chose to describe whose reporter has not agreed: counted, not described (local use only). */
  withoutConsent: string[];
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
  return [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || byCodeUnits(a.name, b.name));
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
    case "appeal":
      return `an appeal decided within ${d.appeal_decision_days} days`;
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
  counted.sort((a, b) => byCodeUnits(a.received_at ?? "", b.received_at ?? "") || byCodeUnits(a.code, b.code));

  const entries: TransparencyEntry[] = [];
  const entryCases: string[] = [];
  const casesOf = new Map<string, string[]>();
  const from = (value: string, code: string) => casesOf.set(value, [...new Set([...(casesOf.get(value) ?? []), code])]);
  const categories: string[] = [];
  const violations: string[] = [];
  const outcomes: string[] = [];
  const channels: string[] = [];
  const cells = new Map<CellKey, number>();
  const withoutConsent: string[] = [];
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
    // Without the reporter's agreement a case is counted but never described: not even its category's words.
    const agreed = consentAllows(effectiveConsent(c.records), "transparency") || (input.overridden?.has(c.code) ?? false);
    if (resolution?.body.transparency.include && !agreed) withoutConsent.push(c.code);
    const category = (agreed ? clean(resolution?.body.transparency.category) : null) ?? UNCATEGORISED;
    categories.push(category);
    from(category, c.code);

    const finalDecision = ofType(c.records, "decision").filter((d) => d.body.stage === "final").at(-1);
    const violation = finalDecision?.body.violation ?? null;
    const violationText = violation ? VIOLATION_TEXT[violation] : NOT_DETERMINED;
    violations.push(violationText);

    const hasDecision = ofType(c.records, "decision").length > 0;
    const levels = [...new Set(actionsInForce(c.records).map((a) => generalLevel(a.level, config)))];
    const outcome = levels.length > 0 ? levels : [hasDecision ? "no action" : "no decision yet"];
    outcomes.push(...outcome);
    for (const o of outcome) from(o, c.code);

    if (summary.risk && summary.impact) {
      const key = cellKey(summary.impact, summary.risk);
      cells.set(key, (cells.get(key) ?? 0) + 1);
    } else unassessed++;

    const seen = new Set<string>();
    for (const d of summary.deadlines) {
      // The appeal window is the appellant's limit, not a response time of the team's.
      if (d.name === "appeal-window") continue;
      if (d.name === "check-in") continue;
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

    if (resolution?.body.transparency.include && agreed) {
      const t = resolution.body.transparency;
      entryCases.push(c.code);
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
  return { report, terms, included: counted.map((c) => c.code), entryCases, casesOf, withoutConsent };
}
