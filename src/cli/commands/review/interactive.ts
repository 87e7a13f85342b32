/**
 * `coc review <case>` in a terminal: who is present, conflicts (committed
 * before anything of the case is shown), the report(s) and notes, related
 * cases, the caller's assessment, the matrix with every vote, meeting notes
 * and an optional interim decision (one commit).
 */
import {
  addRecords,
  caseMatrix,
  checkRules,
  consentLine,
  createdIds,
  effectiveConsent,
  declareConflicts,
  describeParts,
  foldCase,
  formatUtc,
  openCase,
  partiesOf,
  partWarnings,
  presentWarnings,
  relatedCases,
  ruleContext,
  selfRecusalWarning,
  validateBody,
  type AssessmentBody,
  type CaseFiles,
  type RecordPart,
  type Repo,
} from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import { CancelledError } from "../../errors.js";
import type { Io } from "../../io.js";
import { escapeTerminalLine as line } from "../../output/escape.js";
import { localTime } from "../../output/format.js";
import { renderMatrix } from "../../output/matrix.js";
import { renderValue } from "../../output/record.js";
import * as q from "../../prompts/review.js";
import { finish, reportRecusal } from "./messages.js";

/**
 * Runs the review meeting as questions. Cancelling after conflicts were
 * committed exits 130 saying so (the recusal stays: it protects the case).
 */
export async function reviewInteractively(io: Io, repo: Repo, code: string, files: CaseFiles, override?: string): Promise<number> {
  const p = io.ctx.prompter;
  const e = io.err;
  const now = io.now();
  const me = await repo.me();
  const source = "your answers";

  // (1) who is present
  const present = await q.askPresent(p, { me: me.name, members: ruleContext(repo, files).readers });
  const pw = presentWarnings(present);
  for (const n of pw.notice) io.warn(n);
  await confirmWarnings(io, pw.confirm, "Hold the review anyway?");

  // (2) conflicts, committed before anything of the case is shown
  const declared = await q.askConflicts(p, { me: me.name, present, parties: partiesOf(files.records.map((x) => x.record)) });
  if (declared.some((d) => d.member === me.name && d.kind === "hard")) await confirmWarnings(io, [selfRecusalWarning(code)], "Recuse yourself and lose access to this case?");
  const ids: string[] = [];
  let recused: string[] = [];
  if (declared.length > 0) {
    const bodies = declared.map((d, i) => validateBody("conflict", d, source, `conflicts[${i}]`));
    const result = await declareConflicts(repo, code, bodies, { now, source, prefix: "conflicts" });
    recused = result.recused;
    ids.push(...createdIds(result, bodies.length));
    reportRecusal(io, code, recused, result.recipients);
    if (recused.includes(me.name)) {
      io.info(`You are recused from case ${code}; the review goes on without you.`);
      return finish(io, code, recused, ids);
    }
    files = await openCase(repo, code);
  }

  try {
    const rules = ruleContext(repo, files);
    const stayed = present.filter((m) => !recused.includes(m) && !rules.outOfCase.includes(m));

    // (3) the report(s) and earlier notes; earlier assessments wait until the caller has given theirs
    // The reporter's consent first: it governs what the team may do next.
    const lines: string[] = ["", e.bold(line(consentLine(effectiveConsent(files.records.map((x) => x.record))))), e.bold(`Case ${code}`)];
    for (const { record } of files.records) {
      if (record.type !== "report" && record.type !== "note") continue;
      lines.push("", `${e.bold.underline(line(record.type))}  ${localTime(record.created_at)}  by ${line(record.author)}`, ...renderValue(record.body, e));
    }
    const earlier = files.records.filter((x) => x.record.type === "assessment").length;
    if (earlier > 0) lines.push("", e.dim(`${earlier} earlier assessment${earlier === 1 ? " is" : "s are"} shown with the matrix, after you give your own.`));
    io.info(lines.join("\n"));

    // (4) other cases that name the same people
    const related = await relatedCases(repo, code, now);
    if (related.length === 0) io.info("\nNo other case names the same people.");
    else {
      io.info(`\n${e.yellow("Other cases naming the same people:")}`);
      for (const c of related) io.info(`  ${e.bold(line(c.case))}  ${line(c.state)}  received ${localTime(c.received_at)}  (${line(c.names.join(", "))})`);
    }
    io.info("");

    // (5) the caller's own assessment (with a soft conflict, it counts only with a recorded reason)
    const soft = rules.soft ?? [];
    const answered: AssessmentBody = validateBody("assessment", await q.askAssessment(p), source, "assessment");
    const reason = soft.includes(me.name) ? (override ?? (await q.askOverride(p))) : override;
    const votes = !soft.includes(me.name) || Boolean(reason);
    const assessment: AssessmentBody = votes && reason && soft.includes(me.name) ? { ...answered, override: reason } : answered;

    // (6) the matrix: every vote so far plus this one (not yet written)
    const provisional = {
      coc: 1 as const,
      type: "assessment" as const,
      case: code,
      id: `${formatUtc(now).replace(/[-:]/g, "")}-assessment-zzzzzzzzzzzz`,
      author: me.name,
      created_at: formatUtc(now),
      recipients: [me.name],
      body: assessment,
    };
    const summary = foldCase(code, [...files.records.map((x) => x.record), provisional], repo.config.deadlines, now);
    const matrix = caseMatrix(summary, repo.config);
    io.info(`\n${await renderMatrix(io, repo, matrix, "text")}`);

    // (7) meeting notes, (8) an optional interim decision
    const parts: RecordPart[] = votes ? [{ type: "assessment", body: assessment, source, prefix: "assessment" }] : [];
    if (!votes) io.info("Your assessment is not recorded: with a soft conflict, a vote needs a reason.");
    const note = await q.askNote(p, { attendees: stayed });
    if (note) parts.push({ type: "note", body: validateBody("note", note, source, "note"), source, prefix: "note" });
    // Members with a soft conflict decide only with --override.
    const deciders = override ? stayed : stayed.filter((m) => !soft.includes(m));
    const decision = await q.askInterimDecision(p, { ladder: rules.ladder, deciders, suggestion: matrix.suggestion });
    if (decision) parts.push({ type: "decision", body: validateBody("decision", override && deciders.some((m) => soft.includes(m)) ? { ...decision, override } : decision, source, "decision"), source, prefix: "decision" });
    if (parts.length === 0) {
      io.info(`Nothing more to record for case ${e.bold(code)}.`);
      return finish(io, code, recused, ids);
    }
    for (const part of parts) checkRules(part.type, part.body, rules, source, part.prefix);
    await confirmWarnings(io, partWarnings(parts, rules), "Save it anyway?");
    await q.confirmSave(p, `${describeParts(parts)} (one commit), encrypted to ${rules.readers.join(", ")}`);

    const result = await addRecords(repo, code, parts, { now, message: `coc: review ${code}` });
    ids.push(...createdIds(result, parts.length));
    io.info(`Recorded ${describeParts(parts)} for case ${e.bold(code)} (one commit), encrypted to ${result.recipients.join(", ")}.`);
    return finish(io, code, recused, ids);
  } catch (err) {
    const name = (err as Error)?.name;
    if (ids.length > 0 && (err instanceof CancelledError || name === "ExitPromptError" || name === "AbortPromptError")) {
      // The conflict declarations are already committed (and must stay: the
      // recusal protects the case); say exactly what was and was not written.
      io.info(`coc: cancelled; the conflict declarations were recorded, nothing else was written`);
      return 130;
    }
    throw err;
  }
}
