/**
 * `coc review <case> --from <file|->`: the whole review from one YAML file,
 * validated (schema and rules) before anything is written, so a bad decision
 * never leaves a recusal committed behind it.
 */
import { addRecords, checkReviewSoftConflicts, createdIds, declareConflicts, describeParts, parseReviewFile, reviewWarnings, ruleContext, withOverride, type CaseFiles, type Repo } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import type { Io } from "../../io.js";
import { finish, reportRecusal } from "./messages.js";

/**
 * Records the conflicts of a review file (one commit), then its assessment,
 * note and decision (another).
 * @throws UserError naming the source and the field; UsageError for warnings without --yes when not interactive.
 */
export async function reviewFromFile(io: Io, repo: Repo, code: string, files: CaseFiles, from: string, override?: string): Promise<number> {
  const now = io.now();
  const me = await repo.me();
  const rules = ruleContext(repo, files);
  const { value, source } = await io.readFrom(from);
  const plan = withOverride(parseReviewFile(value, source, rules, code), override);
  // Refused before anything is written: a vote or decision of a member with a soft conflict (declared before or in this file) needs an override.
  checkReviewSoftConflicts(plan, rules, me.name, source);
  const warnings = reviewWarnings(plan, rules, me.name, code, source);
  for (const n of warnings.notice) io.warn(n);
  await confirmWarnings(io, warnings.confirm, "Record the review anyway?");

  const ids: string[] = [];
  let recused: string[] = [];
  if (plan.conflicts.length > 0) {
    const result = await declareConflicts(repo, code, plan.conflicts, { now, source, prefix: "conflicts" });
    recused = result.recused;
    ids.push(...createdIds(result, plan.conflicts.length));
    if (recused.length > 0) reportRecusal(io, code, recused, result.recipients);
    else io.info(`Recorded ${plan.conflicts.length} conflict declaration${plan.conflicts.length === 1 ? "" : "s"} for case ${io.err.bold(code)}.`);
  }
  if (recused.includes(me.name)) {
    io.info(`You are recused from case ${code}; nothing more is recorded by you.`);
    return finish(io, code, recused, ids);
  }
  if (plan.parts.length > 0) {
    const result = await addRecords(repo, code, plan.parts, { now, message: `coc: review ${code}` });
    ids.push(...createdIds(result, plan.parts.length));
    io.info(`Recorded ${describeParts(plan.parts)} for case ${io.err.bold(code)} (one commit), encrypted to ${result.recipients.join(", ")}.`);
  }
  return finish(io, code, recused, ids);
}
