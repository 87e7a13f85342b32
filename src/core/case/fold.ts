/**
 * The state of a case, folded over its records in time order (DESIGN.md §3):
 * new → in-review → decided → resolved → closed, plus deadlines that make a
 * case overdue. Pure functions of the records, the config and a clock.
 */
import type { CocRecord, RecordOf } from "../records/schema.js";
import { outOfCase } from "./audience.js";
import { sortRecords } from "../records/order.js";
import { countedAssessments } from "./soft-conflicts.js";
import { appealDeadlines } from "./appeals.js";

export const STATES = ["new", "in-review", "decided", "resolved", "closed"] as const;
export type CaseState = (typeof STATES)[number];

export interface Deadlines {
  first_action_hours: number;
  acknowledge_hours: number;
  outcome_days: number;
  /** An appeal is filed within this many days (default 14; see ./appeals.ts). */
  appeal_days?: number | undefined;
  /** An appeal is decided within this many days of being received (default 14). */
  appeal_decision_days?: number | undefined;
}

/** One deadline of a case: when it is due, whether and when it was met. */
export interface DeadlineStatus {
  name: "first-action" | "acknowledge" | "outcome" | "ratify" | "appeal-window" | "appeal" | "check-in";
  /** What has to happen, in words. */
  what: string;
  due_at: string;
  met_at: string | null;
  overdue: boolean;
}

export interface CaseSummary {
  case: string;
  state: CaseState;
  /** When the first report was received (UTC). */
  received_at: string | null;
  reports: number;
  /** Members named in `exclude` of any report. */
  excluded: string[];
  /** Members recused through a conflict record. */
  recused: string[];
  /** Each reviewer's latest assessment. */
  votes: { author: string; risk: "low" | "high"; impact: "low" | "high" }[];
  /** The majority of the votes (a tie counts as high: err on the side of caution). */
  risk: "low" | "high" | null;
  impact: "low" | "high" | null;
  category: string | null;
  deadlines: DeadlineStatus[];
  overdue: boolean;
  /** One line per missed deadline, e.g. "no decision 12 h after the report". */
  overdue_reasons: string[];
}

function ofType<T extends CocRecord["type"]>(records: readonly CocRecord[], type: T): RecordOf<T>[] {
  return records.filter((r): r is RecordOf<T> => r.type === type);
}

function majority(values: ("low" | "high")[]): "low" | "high" | null {
  if (values.length === 0) return null;
  const high = values.filter((v) => v === "high").length;
  return high * 2 >= values.length ? "high" : "low";
}

const HOUR = 3600_000;

function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * HOUR).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The actions of the decision in force: the latest final decision, else the latest interim one. */
export function actionsInForce(records: readonly CocRecord[]): RecordOf<"decision">["body"]["actions"] {
  const decisions = ofType(sortRecords(records), "decision");
  const finals = decisions.filter((d) => d.body.stage === "final");
  const current = finals.at(-1) ?? decisions.at(-1);
  return current?.body.actions ?? [];
}

/** The behavioural plan of the decision in force, if it has one. */
export function planInForce(records: readonly CocRecord[]): RecordOf<"decision">["body"]["plan"] {
  const decisions = ofType(sortRecords(records), "decision");
  const current = decisions.filter((d) => d.body.stage === "final").at(-1) ?? decisions.at(-1);
  return current?.body.plan;
}

/** The actions in force that no follow-up marks done yet, with their index. */
export function pendingActions(records: readonly CocRecord[]): { index: number; level: string }[] {
  const done = ofType(records, "followup").filter((f) => f.body.done_at !== undefined);
  return actionsInForce(records)
    .map((a, index) => ({ index, level: a.level }))
    .filter(({ index, level }) => !done.some((f) => f.body.action === index || (typeof f.body.action === "string" && f.body.action.trim().toLowerCase() === level.trim().toLowerCase())));
}

function allActionsDone(records: readonly CocRecord[]): boolean {
  return pendingActions(records).length === 0;
}

function hoursLabel(hours: number): string {
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : `${hours} h`;
}

/**
 * Folds a case's records (any order) into its summary.
 * @param now the clock, for deadlines.
 */
export function foldCase(code: string, records: readonly CocRecord[], deadlines: Deadlines, now: Date): CaseSummary {
  const sorted = sortRecords(records);
  const reports = ofType(sorted, "report");
  const assessments = ofType(sorted, "assessment");
  const notes = ofType(sorted, "note");
  const decisions = ofType(sorted, "decision");
  const resolutions = ofType(sorted, "resolution");

  const receivedTimes = reports.map((r) => r.body.received_at ?? r.created_at).sort();
  const received_at = receivedTimes[0] ?? null;

  const { excluded, recused } = outOfCase(sorted);
  const out = new Set([...excluded, ...recused]);

  const latestVote = new Map<string, RecordOf<"assessment">>();
  // A member with a soft conflict votes only with a recorded override (./soft-conflicts.ts).
  for (const a of countedAssessments(sorted)) latestVote.set(a.author, a);
  const votes = [...latestVote.values()].map((a) => ({ author: a.author, risk: a.body.risk, impact: a.body.impact }));

  const resolution = resolutions.at(-1);
  let state: CaseState = "new";
  if (assessments.length > 0 || notes.length > 0) state = "in-review";
  if (decisions.length > 0) state = "decided";
  if (resolution) {
    state = "resolved";
    if (resolution.body.reporter_informed_at && allActionsDone(sorted)) state = "closed";
  }

  const statuses: DeadlineStatus[] = [];
  const reasons: string[] = [];
  if (received_at) {
    const firstDecision = decisions[0]?.created_at ?? null;
    statuses.push({
      name: "first-action",
      what: `a first decision within ${hoursLabel(deadlines.first_action_hours)} of the report`,
      due_at: addHours(received_at, deadlines.first_action_hours),
      met_at: firstDecision,
      overdue: false,
    });
    // Acknowledgement and outcome deadlines only apply when the reporter can be reached.
    const reachable = reports.some((r) => !r.body.reporter.anonymous || r.body.reporter.contact);
    if (reachable) {
      const informed = resolutions.map((r) => r.body.reporter_informed_at).filter((t): t is string => !!t).sort()[0] ?? null;
      const contact = notes.find((n) => n.body.kind === "reporter-contact")?.created_at ?? null;
      const acknowledged = [contact, informed].filter((t): t is string => !!t).sort()[0] ?? null;
      statuses.push({
        name: "acknowledge",
        what: `the reporter acknowledged within ${hoursLabel(deadlines.acknowledge_hours)}`,
        due_at: addHours(received_at, deadlines.acknowledge_hours),
        met_at: acknowledged,
        overdue: false,
      });
      statuses.push({
        name: "outcome",
        what: `the reporter told the outcome within ${hoursLabel(deadlines.outcome_days * 24)}`,
        due_at: addHours(received_at, deadlines.outcome_days * 24),
        met_at: informed,
        overdue: false,
      });
    }
    // An urgent decision by one member must be ratified by a decision of two.
    for (const [i, d] of decisions.entries()) {
      if (!d.body.urgent) continue;
      // Only members who stand in the case ratify: a recused or excluded one named in decided_by does not count.
      const ratified = decisions.slice(i + 1).find((later) => !later.body.urgent && later.body.decided_by.filter((m) => !out.has(m)).length >= 2);
      statuses.push({
        name: "ratify",
        what: `the urgent decision by ${d.body.urgent.acted_alone.join(", ")} ratified by at least two members`,
        due_at: d.body.urgent.ratify_by,
        met_at: ratified?.created_at ?? null,
        overdue: false,
      });
    }
    const appeals = appealDeadlines(sorted, deadlines);
    statuses.push(...appeals);
    // The plan's check-ins: met by a follow-up naming them; due whatever the case's state (a plan runs after it closes).
    const followups = ofType(sorted, "followup");
    for (const [i, c] of (planInForce(sorted)?.check_ins ?? []).entries()) {
      const met = followups.find((f) => f.body.check_in === i);
      statuses.push({ name: "check-in", what: `check-in ${i}: ${c.what}`, due_at: c.due, met_at: met ? (met.body.done_at ?? met.created_at) : null, overdue: false });
    }
    for (const s of statuses) {
      // The appeal window is a limit for the appellant, never a task of the team's; a closed case is overdue only on an appeal or a check-in.
      if (s.name === "appeal-window" || (state === "closed" && s.name !== "appeal" && s.name !== "check-in")) continue;
      if (s.met_at === null && now.getTime() > Date.parse(s.due_at)) {
        s.overdue = true;
        reasons.push(`${s.name}: ${s.what} (due ${s.due_at})`);
      }
    }
  }

  return {
    case: code,
    state,
    received_at,
    reports: reports.length,
    excluded,
    recused,
    votes,
    risk: majority(votes.map((v) => v.risk)),
    impact: majority(votes.map((v) => v.impact)),
    category: resolution?.body.transparency.category ?? null,
    deadlines: statuses,
    overdue: reasons.length > 0,
    overdue_reasons: reasons,
  };
}
