/**
 * A review (`coc review`): who is present, conflict declarations, and the
 * reviewer's own assessment, notes and interim decision. The file form is one
 * schema; the rules that need the team and the case are checked here too,
 * all before anything is written (a bad decision must not leave a recusal
 * committed behind it).
 */
import * as z from "zod";
import { UserError } from "../errors.js";
import { recusalOf } from "../case/standing.js";
import { checkSoftConflicts } from "../case/soft-conflicts.js";
import { checkRules, decisionWarnings, noteWarnings, presentWarnings, selfRecusalWarning, type RuleContext } from "../case/rules.js";
import { validate } from "../records/document.js";
import { lazy } from "../records/fields.js";
import { BODY_SCHEMAS, memberName, type ConflictBody, type DecisionBody, type NoteBody } from "../records/schema.js";
import type { RecordPart } from "./records.js";

const FILE_KEYS = ["present", "conflicts", "assessment", "note", "decision"] as const;

/** A review file: each part optional (built on first use, like the record schemas). */
const reviewFileSchema = lazy(() =>
  z.strictObject(
    {
      present: z.array(memberName, { error: "expected a list of team members" }).optional(),
      conflicts: z.array(BODY_SCHEMAS.conflict, { error: "expected a list of conflict declarations ({member, conflict, reason, recused})" }).optional(),
      assessment: BODY_SCHEMAS.assessment.optional(),
      note: BODY_SCHEMAS.note.optional(),
      decision: BODY_SCHEMAS.decision.optional(),
    },
    { error: `expected a mapping with any of ${FILE_KEYS.join(", ")}` },
  ),
);

/** What one review records, validated. */
export interface ReviewPlan {
  present: string[] | undefined;
  conflicts: ConflictBody[];
  parts: RecordPart[];
}

/**
 * Reads a whole review file: its schema, then the rules (members of `present`
 * on the roster, able to read the case, listed once; every body against the
 * team and the case).
 * @throws UserError naming the source and the field.
 */
export function parseReviewFile(value: unknown, source: string, ctx: RuleContext, code: string): ReviewPlan {
  let file: z.output<ReturnType<typeof reviewFileSchema>>;
  try {
    file = validate(reviewFileSchema(), value, source);
  } catch (e) {
    if (e instanceof UserError && /^[^:]+: unknown fields? /.test(e.message)) throw new UserError(`${e.message} (a review file holds ${FILE_KEYS.join(", ")})`, e.details);
    throw e;
  }
  const present = file.present;
  present?.forEach((name, i) => {
    if (!ctx.roster.includes(name)) throw new UserError(`${source}: present[${i}]: "${name}" is not a team member`, [], "unknown-member");
    if (!ctx.readers.includes(name)) throw new UserError(`${source}: present[${i}]: "${name}" cannot read case ${code} (recused, excluded, or joined after it was opened)`);
    if (present.indexOf(name) !== i) throw new UserError(`${source}: present[${i}]: "${name}" is listed twice`);
  });
  const conflicts = file.conflicts ?? [];
  const parts: RecordPart[] = [];
  for (const type of ["assessment", "note", "decision"] as const) {
    if (file[type] !== undefined) parts.push({ type, body: file[type], source, prefix: type });
  }
  if (conflicts.length === 0 && parts.length === 0) throw new UserError(`${source}: nothing to record: give at least one of conflicts, assessment, note, decision`);
  conflicts.forEach((b, i) => checkRules("conflict", b, ctx, source, `conflicts[${i}]`));
  // A member this review recuses decides nothing in it either.
  const after = { ...ctx, outOfCase: [...ctx.outOfCase, ...recusing(conflicts)] };
  for (const part of parts) checkRules(part.type, part.body, after, source, part.prefix);
  return { present, conflicts, parts };
}

/** A plan with `--override <reason>` set on its assessment and decision (a reason in the file wins). */
export function withOverride(plan: ReviewPlan, override: string | undefined): ReviewPlan {
  if (!override) return plan;
  const parts = plan.parts.map((p) => (p.type === "assessment" || p.type === "decision" ? { ...p, body: { override, ...(p.body as object) } } : p));
  return { ...plan, parts };
}

/**
 * Refuses a review whose assessment (the caller's vote) or decision involves
 * a member with a soft conflict, declared before or in this review, without
 * an override: checked before anything is written.
 * @throws UserError naming the source and the field.
 */
export function checkReviewSoftConflicts(plan: ReviewPlan, ctx: RuleContext, me: string, source: string): void {
  const declared = plan.conflicts.filter((c) => c.conflict && c.kind === "soft").map((c) => c.member);
  const soft = [...new Set([...(ctx.soft ?? []), ...declared])];
  for (const part of plan.parts) checkSoftConflicts(part.type, part.body, me, soft, source, part.prefix);
}

/** The members a plan recuses. */
export function recusing(conflicts: readonly ConflictBody[]): string[] {
  return conflicts.filter((c) => c.conflict && recusalOf(c)).map((c) => c.member);
}

/**
 * What a review should warn about: `notice` is only shown, `confirm` needs a
 * yes. Rules for the decision are checked as they will be after the recusals.
 * @throws UserError when the reviewer recuses themselves and records more than the conflict.
 */
export function reviewWarnings(plan: ReviewPlan, ctx: RuleContext, me: string, code: string, source: string): { notice: string[]; confirm: string[] } {
  const self = plan.conflicts.findIndex((c) => c.member === me && c.conflict && recusalOf(c));
  if (self >= 0 && plan.parts.length > 0) {
    throw new UserError(`${source}: conflicts[${self}]: you recuse yourself, so you cannot also record ${describeParts(plan.parts)}; record the conflict alone (or use \`coc recuse\`)`);
  }
  const notice: string[] = [];
  const confirm: string[] = [];
  if (plan.present) {
    const w = presentWarnings(plan.present);
    notice.push(...w.notice);
    confirm.push(...w.confirm);
  }
  if (self >= 0) confirm.push(selfRecusalWarning(code));
  confirm.push(...partWarnings(plan.parts, { ...ctx, outOfCase: [...ctx.outOfCase, ...recusing(plan.conflicts)] }));
  return { notice, confirm };
}

/** The process warnings of a review's notes and decisions. */
export function partWarnings(parts: readonly RecordPart[], ctx: RuleContext): string[] {
  return parts.flatMap((part) =>
    part.type === "decision" ? decisionWarnings(part.body as DecisionBody, ctx) : part.type === "note" ? noteWarnings(part.body as NoteBody) : [],
  );
}

/** "your assessment, the meeting notes and the interim decision". */
export function describeParts(parts: readonly Pick<RecordPart, "type">[]): string {
  const names = parts.map((p) => (p.type === "assessment" ? "your assessment" : p.type === "note" ? "the meeting notes" : p.type === "decision" ? "the interim decision" : p.type));
  return names.length <= 1 ? (names[0] ?? "nothing") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
