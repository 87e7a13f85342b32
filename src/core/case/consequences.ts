/**
 * The register of consequences (issue 14): the actions in force of a case
 * that say where they apply (`scope`), or whose ladder level is temporary or
 * permanent, each with the person it applies to (by name and identifiers
 * from the report: contact, handles), where, from when and until when. Never
 * the reason, the description, or anyone else from the case. Pure.
 */
import { UserError } from "../errors.js";
import type { CocRecord, RecordOf } from "../records/schema.js";
import { sortRecords } from "../records/order.js";
import { durationEnd } from "./duration.js";
import { FREE_TEXT_LEVEL, ladderLevel, type LadderLevel } from "./rules.js";

type Action = RecordOf<"decision">["body"]["actions"][number];
type ReportPerson = RecordOf<"report">["body"]["incident"]["people"][number];

/** One consequence in the register. */
export interface Consequence {
  case: string;
  /** The person it applies to, as the report names them, with their identifiers. */
  person: { name: string | null; contact: string | null; handles: string[] };
  level: string;
  scope: "event" | "online" | "both" | null;
  platforms: string[];
  /** UTC. */
  from: string;
  /** UTC; null when permanent. */
  until: string | null;
  permanent: boolean;
}

/** The people of a case's reports, in report order: what an action's `subject` index counts. */
export function casePeople(records: readonly CocRecord[]): ReportPerson[] {
  return sortRecords(records).flatMap((r) => (r.type === "report" ? r.body.incident.people : []));
}

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * The person an action applies to: its `subject` (an index or a name), or,
 * without one, the only person the reports name with the role "reported".
 * @returns undefined when it cannot be told.
 */
export function subjectOf(action: Pick<Action, "subject">, people: readonly ReportPerson[]): ReportPerson | undefined {
  const s = action.subject;
  if (typeof s === "number") return people[s];
  if (typeof s === "string") return people.find((p) => p.name !== undefined && norm(p.name) === norm(s));
  const reported = people.filter((p) => p.role?.trim().toLowerCase() === "reported");
  return reported.length === 1 ? reported[0] : undefined;
}

/** True when an action belongs in the register: it says where it applies, or its level is temporary or permanent. */
export function isRegistered(action: Action, ladder: readonly LadderLevel[]): boolean {
  const level = ladderLevel(ladder, action.level);
  return action.scope !== undefined || action.permanent === true || Boolean(level?.temporary) || Boolean(level?.permanent);
}

/**
 * When an action starts and ends: `starts_at`, else when the decision was
 * made; `ends_at`, else the end of its duration, else nothing (permanent when
 * `permanent` or a permanent level says so).
 * @throws UserError for a temporary action whose end cannot be told.
 */
export function actionSpan(action: Action, decidedAt: string, ladder: readonly LadderLevel[], where: string): { from: string; until: string | null; permanent: boolean } {
  const from = action.starts_at ?? decidedAt;
  const level = ladderLevel(ladder, action.level);
  if (action.ends_at) return { from, until: action.ends_at, permanent: false };
  const end = action.duration ? durationEnd(from, action.duration) : null;
  if (end) return { from, until: end, permanent: false };
  if (action.permanent || level?.permanent) return { from, until: null, permanent: true };
  if (level?.temporary) throw new UserError(`${where}: "${action.level}" is temporary: give ends_at, or a duration such as "12 months"`);
  return { from, until: null, permanent: true };
}

/** The consequences of one case: the registered actions of its decision in force. */
export function caseConsequences(code: string, records: readonly CocRecord[], ladder: readonly LadderLevel[]): Consequence[] {
  const decisions = sortRecords(records).filter((r): r is RecordOf<"decision"> => r.type === "decision");
  const decision = decisions.filter((d) => d.body.stage === "final").at(-1) ?? decisions.at(-1);
  if (!decision) return [];
  const people = casePeople(records);
  return decision.body.actions.flatMap((a, i) => {
    if (!isRegistered(a, ladder)) return [];
    let span;
    try {
      span = actionSpan(a, decision.created_at, ladder, `case ${code} actions[${i}]`);
    } catch {
      // A decision from before the register needed an end: keep it listed, with no end, rather than drop it.
      span = { from: a.starts_at ?? decision.created_at, until: null, permanent: false };
    }
    const p = subjectOf(a, people);
    return [
      {
        case: code,
        person: { name: p?.name?.trim() || null, contact: p?.contact?.trim() || null, handles: (p?.handles ?? []).map((h) => h.trim()).filter(Boolean) },
        // A free-text action's detail may say more than the register should: it shows as "another measure".
        level: a.level.trim().toLowerCase() === FREE_TEXT_LEVEL ? "another measure" : (ladderLevel(ladder, a.level)?.level ?? a.level.trim()),
        scope: a.scope ?? null,
        platforms: a.platforms ?? [],
        ...span,
      },
    ];
  });
}

/** True when a consequence is in force at `at`. */
export function activeAt(c: Consequence, at: Date): boolean {
  const t = at.getTime();
  return Date.parse(c.from) <= t && (c.until === null || t < Date.parse(c.until));
}
