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
import type { DeadlineStatus } from "../case/fold.js";
import type { CellKey } from "./matrix.js";

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

