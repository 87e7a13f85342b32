/**
 * Appeals, as data: the window in which the people involved may appeal the
 * decision in force, the deadline of each appeal's outcome, and the rules an
 * appeal and its outcome follow.
 *
 * - The window (`appeal-window`) runs `appeal_days` (default 14) from when
 *   the reported person was told the final decision (the resolution's
 *   `reported_informed_at`), or from the final decision itself when nobody
 *   recorded telling them. It is the appellant's limit, never a task of the
 *   team's: it never makes a case overdue; a late appeal only warns.
 * - Each appeal is to be decided (`appeal`) within `appeal_decision_days`
 *   (default 14) of being received: an appeal without an outcome after that
 *   makes the case overdue, even a closed one.
 */
import { UserError } from "../errors.js";
import type { AppealBody, AppealOutcomeBody, CocRecord, RecordOf } from "../records/schema.js";
import { sortRecords } from "../records/order.js";
import { outOfCase } from "./audience.js";

/** The appeal settings of config.yaml `deadlines` (./fold.ts Deadlines holds them too). */
export interface AppealDays {
  appeal_days?: number | undefined;
  appeal_decision_days?: number | undefined;
}

/** An appeal deadline, in the shape of ./fold.ts DeadlineStatus. */
export interface AppealDeadline {
  name: "appeal-window" | "appeal";
  what: string;
  due_at: string;
  met_at: string | null;
  overdue: boolean;
}

const DAY = 86_400_000;
const DEFAULT_DAYS = 14;

const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString().replace(/\.\d{3}Z$/, "Z");

function finalDecision(sorted: readonly CocRecord[]): RecordOf<"decision"> | undefined {
  return sorted.filter((r): r is RecordOf<"decision"> => r.type === "decision" && r.body.stage === "final").at(-1);
}

/** When the appeal window of the decision in force opened (UTC), or null without a final decision. */
export function appealWindowOpened(records: readonly CocRecord[]): string | null {
  const sorted = sortRecords(records);
  const decision = finalDecision(sorted);
  if (!decision) return null;
  const told = sorted
    .filter((r): r is RecordOf<"resolution"> => r.type === "resolution")
    .map((r) => r.body.reported_informed_at)
    .filter((t): t is string => t !== undefined && t >= decision.created_at)
    .sort()[0];
  return told ?? decision.created_at;
}

/** Each appeal with the outcome that decided it (an outcome names its appeal, or decides the oldest one still open before it). */
export function appealsOf(records: readonly CocRecord[]): { appeal: RecordOf<"appeal">; outcome: RecordOf<"appeal_outcome"> | undefined }[] {
  const sorted = sortRecords(records);
  const out: { appeal: RecordOf<"appeal">; outcome: RecordOf<"appeal_outcome"> | undefined }[] = [];
  for (const r of sorted) {
    if (r.type === "appeal") out.push({ appeal: r, outcome: undefined });
    if (r.type === "appeal_outcome") {
      const target = r.body.appeal ? out.find((a) => a.appeal.id === r.body.appeal && !a.outcome) : out.find((a) => !a.outcome);
      if (target) target.outcome = r;
    }
  }
  return out;
}

/** The appeal deadlines of a case (see the module comment), not yet marked overdue. */
export function appealDeadlines(records: readonly CocRecord[], deadlines: AppealDays): AppealDeadline[] {
  const out: AppealDeadline[] = [];
  const windowDays = deadlines.appeal_days ?? DEFAULT_DAYS;
  const decideDays = deadlines.appeal_decision_days ?? DEFAULT_DAYS;
  const opened = appealWindowOpened(records);
  const appeals = appealsOf(records);
  if (opened) {
    const filed = appeals.map((a) => a.appeal.body.received_at ?? a.appeal.created_at).filter((t) => t >= opened).sort()[0] ?? null;
    out.push({ name: "appeal-window", what: `an appeal may be filed within ${windowDays} days of the final decision`, due_at: plusDays(opened, windowDays), met_at: filed, overdue: false });
  }
  for (const { appeal, outcome } of appeals) {
    const received = appeal.body.received_at ?? appeal.created_at;
    out.push({ name: "appeal", what: `the appeal received ${received} decided within ${decideDays} days`, due_at: plusDays(received, decideDays), met_at: outcome ? (outcome.body.decided_at ?? outcome.created_at) : null, overdue: false });
  }
  return out;
}

/**
 * Checks an appeal against the team's settings and the case.
 * @param grounds the grounds config.yaml allows (`appeal_grounds`).
 * @throws UserError naming the source and field: a ground not on the list, or a case with no final decision to appeal.
 */
export function checkAppeal(body: AppealBody, records: readonly CocRecord[], grounds: readonly string[], source: string): void {
  body.grounds.forEach((g, i) => {
    if (!grounds.some((x) => x.toLowerCase() === g.trim().toLowerCase())) throw new UserError(`${source}: grounds[${i}]: "${g}" is not one of the team's appeal grounds (${grounds.join(", ")}; config.yaml appeal_grounds)`);
  });
  if (!finalDecision(sortRecords(records))) throw new UserError(`${source}: the case has no final decision to appeal yet`);
}

/** Warnings for an appeal: filed after the window closed. */
export function appealWarnings(body: AppealBody, records: readonly CocRecord[], deadlines: AppealDays, now: Date): string[] {
  const opened = appealWindowOpened(records);
  if (!opened) return [];
  const due = plusDays(opened, deadlines.appeal_days ?? DEFAULT_DAYS);
  const received = body.received_at ?? now.toISOString();
  return received > due ? [`the appeal was received after the appeal window closed (${due}, ${deadlines.appeal_days ?? DEFAULT_DAYS} days after the final decision)`] : [];
}

/**
 * Checks an appeal outcome: there is an appeal open for it, and who decided
 * it are members or oversight people.
 * @throws UserError naming the source and field.
 */
export function checkAppealOutcome(body: AppealOutcomeBody, records: readonly CocRecord[], roster: readonly string[], overseers: readonly string[], source: string): void {
  const open = appealsOf(records).filter((a) => !a.outcome);
  if (open.length === 0) throw new UserError(`${source}: the case has no appeal waiting for an outcome (record one with coc appeal)`);
  if (body.appeal && !open.some((a) => a.appeal.id === body.appeal)) throw new UserError(`${source}: appeal: ${body.appeal} is not an appeal of this case waiting for an outcome`);
  const { excluded, recused } = outOfCase(records);
  body.decided_by.forEach((n, i) => {
    if (!roster.includes(n) && !overseers.includes(n)) throw new UserError(`${source}: decided_by[${i}]: "${n}" is neither a team member nor an oversight person`, [], "unknown-member");
    // As for the decision itself: a member the case names, or who is recused, never decides it (nor its appeal).
    if (excluded.includes(n) || recused.includes(n)) throw new UserError(`${source}: decided_by[${i}]: ${n} is ${excluded.includes(n) ? "excluded from" : "recused in"} the case and cannot decide its appeal`);
  });
}

/**
 * An appeal is decided by members who did not take the original decision, or
 * by oversight people: a warning otherwise (it is recorded anyway).
 */
export function appealOutcomeWarnings(body: AppealOutcomeBody, records: readonly CocRecord[], overseers: readonly string[]): string[] {
  const original = finalDecision(sortRecords(records))?.body.decided_by ?? [];
  const again = body.decided_by.filter((n) => original.includes(n));
  if (again.length === 0 || body.decided_by.some((n) => overseers.includes(n))) return [];
  return [`${again.join(", ")} took the original decision and now decide${again.length === 1 ? "s" : ""} the appeal, without any oversight person: an appeal should be decided by members who did not take the decision, or by the oversight people (coc oversight list)`];
}
