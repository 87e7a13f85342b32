/**
 * The rules a record must follow beyond its schema, which need the team and
 * the case: members named must be on the roster, decision levels must come
 * from the team's ladder (or be free text), a follow-up must name an action
 * that exists. And the process rules that only warn (DESIGN.md, issue 3):
 * decisions by fewer than two members, conversations with a reported person
 * held by fewer than two.
 */
import { UserError } from "../errors.js";
import { checkSoftConflicts } from "./soft-conflicts.js";
import { durationEnd } from "./duration.js";
import { formatUtc, type DecisionBody, type FollowupBody, type NoteBody, type RecordType } from "../records/schema.js";

/** A level of a resolution ladder. */
export interface LadderLevel {
  level: string;
  temporary?: boolean;
  /** A level that never ends on its own (a permanent ban): in the register without an end. */
  permanent?: boolean;
}

/** The level name that marks a free-text action (its `detail` says what). */
export const FREE_TEXT_LEVEL = "other";

export interface RuleContext {
  /** Names on the roster. */
  roster: readonly string[];
  /** Members recused from (or excluded from) the case. */
  outOfCase: readonly string[];
  /** Members who can read the case now (its audience). */
  readers: readonly string[];
  /** Members with a soft conflict: they keep access but do not decide or vote (./soft-conflicts.ts). */
  soft?: readonly string[] | undefined;
  /** The team's ladder. */
  ladder: readonly LadderLevel[];
  /** The actions of the decision in force (for follow-ups). */
  actions: readonly { level: string }[];
  /** The check-ins of the plan of the decision in force (for follow-ups). */
  checkIns?: readonly { due: string; what: string }[];
  /** The people of the case's reports, in report order (for an action's `subject`). */
  people?: readonly { name?: string | undefined; role?: string | undefined }[];
  /** The platforms of config.yaml (for an action's `platforms`). */
  platforms?: readonly string[] | undefined;
}

function checkMembers(names: readonly string[], field: string, ctx: RuleContext, source: string): void {
  names.forEach((n, i) => {
    if (!ctx.roster.includes(n)) throw new UserError(`${source}: ${field}[${i}]: "${n}" is not a team member`, [], "unknown-member");
  });
}

function checkMember(name: string | undefined, field: string, ctx: RuleContext, source: string): void {
  if (name !== undefined && !ctx.roster.includes(name)) throw new UserError(`${source}: ${field}: "${name}" is not a team member`, [], "unknown-member");
}

/** A member the case excludes or recuses never decides it, nor agrees to its decision as lead. */
function checkInCase(names: readonly string[], field: string, ctx: RuleContext, source: string): void {
  names.forEach((n, i) => {
    if (ctx.outOfCase.includes(n)) throw new UserError(`${source}: ${field}${field.endsWith("decided_by") ? `[${i}]` : ""}: ${n} is recused or excluded from the case and cannot decide it`);
  });
}

/** The ladder level an action names, matched without regard to case. */
export function ladderLevel(ladder: readonly LadderLevel[], level: string): LadderLevel | undefined {
  const wanted = level.trim().toLowerCase();
  return ladder.find((l) => l.level.toLowerCase() === wanted);
}

/**
 * Checks a body against the team and the case.
 * @param prefix field prefix for messages (e.g. "decision" inside a review file).
 * @throws UserError naming the source and the field.
 */
export function checkRules(type: RecordType, body: unknown, ctx: RuleContext, source: string, prefix = ""): void {
  const f = (field: string) => (prefix ? `${prefix}.${field}` : field);
  switch (type) {
    case "conflict": {
      const b = body as { member: string; kind?: string; recused?: boolean };
      checkMember(b.member, f("member"), ctx, source);
      if (b.kind === "soft" && b.recused === true) throw new UserError(`${source}: ${f("recused")}: a soft conflict keeps access to the case; declare a hard conflict (kind: hard) to recuse`);
      break;
    }
    case "note": {
      const b = body as NoteBody;
      checkMembers(b.participants, f("participants"), ctx, source);
      checkMembers(b.attendees, f("attendees"), ctx, source);
      break;
    }
    case "decision": {
      const b = body as DecisionBody;
      checkMembers(b.decided_by, f("decided_by"), ctx, source);
      checkInCase(b.decided_by, f("decided_by"), ctx, source);
      checkInCase(b.lead_agreement ? [b.lead_agreement.by] : [], f("lead_agreement.by"), ctx, source);
      checkSoftConflicts("decision", b, "", ctx.soft ?? [], source, prefix);
      checkMember(b.lead_agreement?.by, f("lead_agreement.by"), ctx, source);
      if (b.urgent) checkMembers(b.urgent.acted_alone, f("urgent.acted_alone"), ctx, source);
      b.actions.forEach((a, i) => {
        const field = f(`actions[${i}]`);
        checkMember(a.owner, `${field}.owner`, ctx, source);
        if (a.level.trim().toLowerCase() === FREE_TEXT_LEVEL) {
          if (!a.detail?.trim()) throw new UserError(`${source}: ${field}.detail: a free-text action (level "${FREE_TEXT_LEVEL}") needs a detail saying what`);
          return;
        }
        const level = ladderLevel(ctx.ladder, a.level);
        if (!level) {
          throw new UserError(
            `${source}: ${field}.level: "${a.level}" is not a level of the team's ladder (${ctx.ladder.map((l) => l.level).join(", ")}); use level "${FREE_TEXT_LEVEL}" with a detail for anything else`,
          );
        }
        if (level.temporary && !a.duration?.trim() && !a.ends_at) throw new UserError(`${source}: ${field}.duration: "${level.level}" is temporary: say for how long (e.g. "12 months")`);
        // The register must know when a temporary consequence ends: a duration it can count, or ends_at.
        if (level.temporary && !a.ends_at && durationEnd(a.starts_at ?? "2000-01-01T00:00:00Z", a.duration ?? "") === null) {
          throw new UserError(`${source}: ${field}.duration: "${a.duration ?? ""}" is not a duration such as "12 months" or "6 weeks": give one, or ends_at, so the register knows when it ends`);
        }
        if (level.temporary && a.permanent) throw new UserError(`${source}: ${field}.permanent: "${level.level}" is temporary, it cannot be permanent`);
      });
      b.actions.forEach((a, i) => {
        const rung = a.level.trim().toLowerCase() === FREE_TEXT_LEVEL ? undefined : ladderLevel(ctx.ladder, a.level);
        checkConsequence(a, Boolean(rung?.temporary || rung?.permanent), f(`actions[${i}]`), ctx, source);
      });
      break;
    }
    case "followup": {
      const b = body as FollowupBody;
      if (b.check_in !== undefined) {
        const n = ctx.checkIns?.length ?? 0;
        if (b.check_in >= n) throw new UserError(`${source}: ${f("check_in")}: there is no check-in ${b.check_in} (the plan of the decision in force has ${n}, numbered from 0)`);
        break;
      }
      if (typeof b.action === "number" && b.action >= ctx.actions.length) {
        throw new UserError(`${source}: ${f("action")}: there is no action ${b.action} (the decision in force has ${ctx.actions.length} action${ctx.actions.length === 1 ? "" : "s"}, numbered from 0)`);
      }
      if (typeof b.action === "string" && !ctx.actions.some((a) => a.level.trim().toLowerCase() === (b.action as string).trim().toLowerCase())) {
        throw new UserError(`${source}: ${f("action")}: no action of the decision in force is "${b.action}"`);
      }
      break;
    }
    default:
      break;
  }
}

/** The structured parts of a consequence: whom, where, when. */
function checkConsequence(a: DecisionBody["actions"][number], registeredLevel: boolean, field: string, ctx: RuleContext, source: string): void {
  if (a.ends_at && a.permanent) throw new UserError(`${source}: ${field}.ends_at: a permanent action has no end; give ends_at or permanent: true, not both`);
  if (a.ends_at && a.starts_at && Date.parse(a.ends_at) <= Date.parse(a.starts_at)) throw new UserError(`${source}: ${field}.ends_at: ${a.ends_at} is not after starts_at ${a.starts_at}`);
  if (a.platforms?.length) {
    if (a.scope === "event") throw new UserError(`${source}: ${field}.platforms: an action with scope "event" applies to no online platform; use scope online or both`);
    const known = ctx.platforms ?? [];
    const norm = (s: string) => s.trim().toLowerCase();
    a.platforms.forEach((p, i) => {
      if (!known.some((k) => norm(k) === norm(p))) {
        throw new UserError(`${source}: ${field}.platforms[${i}]: "${p}" is not one of the team's platforms (${known.join(", ") || "none yet"}); list it under platforms in .coc/config.yaml`);
      }
    });
  }
  if (ctx.people === undefined) return;
  const people = ctx.people;
  if (typeof a.subject === "number" && a.subject >= people.length) {
    throw new UserError(`${source}: ${field}.subject: there is no person ${a.subject} (the reports name ${people.length}, numbered from 0)`);
  }
  if (typeof a.subject === "string") {
    const wanted = a.subject.trim().toLowerCase();
    if (!people.some((p) => p.name?.trim().toLowerCase() === wanted)) throw new UserError(`${source}: ${field}.subject: no person of the case's reports is named "${a.subject}"`);
  }
  const registered = registeredLevel || a.scope !== undefined || a.platforms?.length || a.starts_at || a.ends_at || a.permanent;
  if (registered && a.subject === undefined && people.filter((p) => p.role?.trim().toLowerCase() === "reported").length !== 1) {
    throw new UserError(`${source}: ${field}.subject: say whom it applies to (the index of a person in the reports, from 0, or their name): the reports do not name exactly one reported person`);
  }
}

/** Conversations with a reported person should be held by two team members. */
export function noteWarnings(body: NoteBody): string[] {
  if ((body.kind === "reported-contact" || body.kind === "conversation") && body.participants.length < 2) {
    return [`a conversation${body.kind === "reported-contact" ? " with the reported person" : ""} should be held by two team members; participants: ${body.participants.join(", ") || "none"}`];
  }
  return [];
}

/** A decision should be taken by at least two members who are not recused. */
export function decisionWarnings(body: DecisionBody, ctx: RuleContext): string[] {
  // checkRules refuses recused or excluded members in decided_by.
  const deciders = body.decided_by.filter((m) => !ctx.outOfCase.includes(m));
  const out: string[] = [];
  if (deciders.length < 2 && !body.urgent) out.push(`a decision should be taken by at least two members who are not recused; decided by: ${deciders.join(", ") || "nobody"}`);
  return out;
}

/** How long a decision of two members has to ratify an urgent one. */
export const RATIFY_HOURS = 24;

/**
 * An urgent decision (`--urgent`): taken by fewer than two members because it
 * could not wait, it records who acted alone and must be ratified by a
 * decision of two within {@link RATIFY_HOURS}. A decision of two (or more)
 * members who can decide is not urgent: it is returned as it is, with
 * `ignored` set.
 */
export function markUrgent(body: DecisionBody, ctx: Pick<RuleContext, "outOfCase">, me: string, now: Date): { body: DecisionBody; ignored: boolean } {
  if (body.urgent) return { body, ignored: false };
  const deciders = body.decided_by.filter((m) => !ctx.outOfCase.includes(m));
  if (deciders.length >= 2) return { body, ignored: true };
  const acted = body.decided_by.length > 0 ? body.decided_by : [me];
  const ratify = formatUtc(new Date(now.getTime() + RATIFY_HOURS * 3600_000));
  return { body: { ...body, urgent: { acted_alone: acted, ratify_by: ratify } }, ignored: false };
}

/**
 * Who is present at a review: fewer than two must be confirmed; an even
 * number only warns (an odd number is preferred, so a vote cannot tie).
 */
export function presentWarnings(present: readonly string[]): { notice: string[]; confirm: string[] } {
  const n = present.length;
  if (n < 2) return { notice: [], confirm: [`${n === 0 ? "nobody is" : `only ${present[0]} is`} present: a review should be held by at least two team members`] };
  if (n % 2 === 0) return { notice: [`${n} people are present: an odd number is preferred, so that a vote cannot tie`], confirm: [] };
  return { notice: [], confirm: [] };
}

/** The warning before a member recuses themselves. */
export function selfRecusalWarning(code: string): string {
  return `you declare a conflict for yourself: case ${code} will be re-encrypted without you and you will no longer be able to read it`;
}
