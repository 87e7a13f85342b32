/**
 * Soft conflicts (CNCF's distinction): a member with a soft conflict keeps
 * access to the case and may take part in the discussion, but does not
 * decide it and does not vote in the matrix, unless the team records why
 * they do anyway (an `override` in the decision or assessment, signed with
 * it). A hard conflict recuses (../case/audience.ts). A conflict record
 * without a `kind` is hard, as every conflict was before kinds existed.
 */
import { UserError } from "../errors.js";
import type { AssessmentBody, CocRecord, DecisionBody } from "../records/schema.js";
import { sortRecords } from "../records/order.js";
import { outOfCase } from "./audience.js";

/**
 * The members with a soft conflict in a case now: the latest declaration
 * about each member decides (a later "no conflict" or hard conflict ends it).
 * @param records the case's verified records only.
 */
export function softConflicts(records: readonly CocRecord[]): string[] {
  const soft = new Set<string>();
  for (const r of sortRecords(records)) {
    if (r.type !== "conflict") continue;
    if (r.body.conflict && r.body.kind === "soft" && r.body.recused !== true) soft.add(r.body.member);
    else soft.delete(r.body.member);
  }
  return [...soft].sort();
}

/**
 * Refuses a decision naming, or an assessment written by, a member with a
 * soft conflict, unless the body carries an `override` (the reason).
 * @param author who writes the record (the voter, for an assessment).
 * @throws UserError naming the source, the field and the member.
 */
export function checkSoftConflicts(type: string, body: unknown, author: string, soft: readonly string[], source: string, prefix = ""): void {
  const f = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const how = `give --override "<reason>" (or override: in the file) to record why they take part anyway`;
  if (type === "decision") {
    const b = body as DecisionBody;
    if (b.override) return;
    const i = b.decided_by.findIndex((m) => soft.includes(m));
    if (i >= 0) throw new UserError(`${source}: ${f(`decided_by[${i}]`)}: ${b.decided_by[i]} has a soft conflict in this case: they may take part in the discussion but not decide; ${how}`);
  }
  if (type === "assessment") {
    const b = body as AssessmentBody;
    if (!b.override && soft.includes(author)) throw new UserError(`${source}: ${f("risk")}: you (${author}) have a soft conflict in this case: you may take part in the discussion but not vote in the matrix; ${how}`);
  }
}

/**
 * The assessments that count as votes: never one by a member the case
 * excludes or recuses now (a vote cast before a recusal is withdrawn with
 * it; one the reported member wrote into their own case never counts), nor
 * one by a member with a soft conflict at the time, unless overridden.
 */
export function countedAssessments(records: readonly CocRecord[]): Extract<CocRecord, { type: "assessment" }>[] {
  const sorted = sortRecords(records);
  const { excluded, recused } = outOfCase(sorted);
  const out = new Set([...excluded, ...recused]);
  return sorted.filter((r, i): r is Extract<CocRecord, { type: "assessment" }> => r.type === "assessment" && !out.has(r.author) && (r.body.override !== undefined || !softConflicts(sorted.slice(0, i)).includes(r.author)));
}
