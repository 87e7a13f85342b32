/**
 * `coc review <case>`: the review meeting, run by each reviewer on their own
 * clone. Conflicts of interest come first and are committed (the case
 * re-encrypted without anyone recused) before anything of the case is shown;
 * then the report(s) and notes, other cases naming the same people, the
 * caller's own assessment, the matrix with every vote, meeting notes and an
 * optional interim decision. The caller's assessment, note and decision are
 * separate records in one commit, so two reviewers never conflict in git.
 */
import type { Command } from "commander";
import type { RuleContext } from "../../core/records/rules.js";
import type { AssessmentBody, ConflictBody, DecisionBody, NoteBody } from "../../core/records/schema.js";
import type { CaseFiles } from "../../core/repo/store.js";
import type { RecordPart, Workspace } from "../../core/repo/workspace.js";
import type { Registrar } from "../program.js";
import type { Session } from "../session.js";

const FILE_KEYS = ["present", "conflicts", "assessment", "note", "decision"] as const;

/** What one review records, validated. */
interface ReviewPlan {
  present: string[] | undefined;
  conflicts: ConflictBody[];
  parts: RecordPart[];
}

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("review")
    .description("the review meeting: who is present, conflicts, the report, related cases, your assessment, the matrix, notes, an interim decision")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the review as YAML from a file or stdin instead of asking")
    .addHelpText(
      "after",
      `
Each reviewer runs it on their own clone; every part is its own record, so
reviews from several clones never conflict in git. Conflicts are recorded
first: anyone recused is cut out of the case (re-encrypted) before the rest.

Examples:
  coc review quiet-otter-42
  coc review quiet-otter-42 --from review.yaml --json

The --from file holds any of these (each optional; bodies as in README: Record formats):
  present: [alice, bob, carol]
  conflicts:
    - { member: carol, conflict: true, reason: friend of the reported person }
  assessment: { risk: high, impact: low, in_scope: true, violation: yes, rationale: ... }
  note: { kind: meeting, text: ..., attendees: [alice, bob] }
  decision:
    stage: interim
    actions: [{ level: demand the behaviour stops }]
    decided_by: [alice, bob]`,
    );
  cmd.action(
    r.action(cmd, async (s, code: string) => {
      const flags = cmd.opts<{ from?: string }>();
      if (!flags.from) s.requirePrompting("review", ["--from <file|->"]);
      const ws = await s.workspace();
      const files = await ws.openCase(code);
      return flags.from ? reviewFromFile(s, ws, code, files, flags.from) : reviewInteractively(s, ws, code, files);
    }),
  );
}

/** Members who can read the case now: its recipients on the roster, minus anyone recused or excluded. */
function caseMembers(ws: Workspace, files: CaseFiles, rules: RuleContext): string[] {
  const recipients = files.records.at(-1)?.record.recipients ?? [];
  return ws.team.members.map((m) => m.name).filter((n) => recipients.includes(n) && !rules.outOfCase.includes(n));
}

/** Record ids of the files a write created (the last `count` of them; earlier ones are re-encryptions). */
function createdIds(files: readonly string[], count: number): string[] {
  return count === 0 ? [] : files.slice(-count).map((f) => f.replace(/^.*\//, "").replace(/\.age$/, ""));
}

/** The warnings about who is present: an even number only warns; fewer than two needs a confirmation. */
function presentWarnings(present: readonly string[]): { notice: string[]; confirm: string[] } {
  const n = present.length;
  if (n < 2) return { notice: [], confirm: [`${n === 0 ? "nobody is" : `only ${present[0]} is`} present: a review should be held by at least two team members`] };
  if (n % 2 === 0) return { notice: [`${n} people are present: an odd number is preferred, so that a vote cannot tie`], confirm: [] };
  return { notice: [], confirm: [] };
}

function selfRecusalWarning(code: string): string {
  return `you declare a conflict for yourself: case ${code} will be re-encrypted without you and you will no longer be able to read it`;
}

function describeParts(parts: readonly RecordPart[]): string {
  const names = parts.map((p) => (p.type === "assessment" ? "your assessment" : p.type === "note" ? "the meeting notes" : p.type === "decision" ? "the interim decision" : p.type));
  return names.length <= 1 ? (names[0] ?? "nothing") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

function reportRecusal(s: Session, code: string, recused: readonly string[], recipients: readonly string[]): void {
  if (recused.length === 0) return;
  s.info(`Recused ${recused.join(", ")} from case ${s.err.bold(code)}: every record re-encrypted without them (one commit). Who can read it now: ${recipients.join(", ")}.`);
  s.info(s.err.dim("Copies they pulled before stay readable to them: git history keeps old ciphertexts."));
}

function finish(s: Session, code: string, recused: string[], ids: string[]): number {
  if (s.json) s.printJson({ case: code, recused, records: ids });
  return 0;
}

// ------------------------------------------------------------------ --from

/**
 * Reads and validates a whole review file (strict: unknown keys refused;
 * members of `present` must be able to read the case; each body through its
 * record schema with its field prefix).
 * @throws UserError naming the source and the field.
 */
async function readReviewFile(value: unknown, source: string, ws: Workspace, code: string, members: readonly string[]): Promise<ReviewPlan> {
  const { UserError } = await import("../../errors.js");
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UserError(`${source}: expected a mapping with any of ${FILE_KEYS.join(", ")}`);
  }
  const file = value as Record<string, unknown>;
  const unknown = Object.keys(file).filter((k) => !(FILE_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new UserError(`${source}: unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")} (a review file holds ${FILE_KEYS.join(", ")})`);
  }

  let present: string[] | undefined;
  if (file["present"] !== undefined) {
    if (!Array.isArray(file["present"])) throw new UserError(`${source}: present: expected a list of team members`);
    present = [];
    for (const [i, name] of (file["present"] as unknown[]).entries()) {
      if (typeof name !== "string") throw new UserError(`${source}: present[${i}]: expected a team member name`);
      if (!ws.member(name)) throw new UserError(`${source}: present[${i}]: "${name}" is not a team member (see \`coc team list\`)`);
      if (!members.includes(name)) throw new UserError(`${source}: present[${i}]: "${name}" cannot read case ${code} (recused, excluded, or joined after it was opened)`);
      if (present.includes(name)) throw new UserError(`${source}: present[${i}]: "${name}" is listed twice`);
      present.push(name);
    }
  }

  let conflicts: ConflictBody[] = [];
  if (file["conflicts"] !== undefined) {
    if (!Array.isArray(file["conflicts"])) throw new UserError(`${source}: conflicts: expected a list of conflict declarations ({member, conflict, reason, recused})`);
    conflicts = (file["conflicts"] as unknown[]).map((c, i) => ws.validateBody("conflict", c, source, `conflicts[${i}]`));
  }

  const parts: RecordPart[] = [];
  for (const type of ["assessment", "note", "decision"] as const) {
    if (file[type] === undefined) continue;
    parts.push({ type, body: ws.validateBody(type, file[type], source, type), source, prefix: type });
  }
  if (conflicts.length === 0 && parts.length === 0) {
    throw new UserError(`${source}: nothing to record: give at least one of conflicts, assessment, note, decision`);
  }
  return { present, conflicts, parts };
}

async function reviewFromFile(s: Session, ws: Workspace, code: string, files: CaseFiles, from: string): Promise<number> {
  const { UserError } = await import("../../errors.js");
  const { checkRules, decisionWarnings, noteWarnings } = await import("../../core/records/rules.js");
  const now = s.ctx.now();
  const me = await ws.me();
  const rules = ws.ruleContext(files);
  const { value, source } = await s.readFrom(from);
  const plan = await readReviewFile(value, source, ws, code, caseMembers(ws, files, rules));

  // Every rule is checked before anything is written: a bad decision must
  // not leave a recusal committed behind it.
  plan.conflicts.forEach((b, i) => checkRules("conflict", b, rules, source, `conflicts[${i}]`));
  for (const part of plan.parts) checkRules(part.type, part.body, rules, source, part.prefix);
  const recusing = plan.conflicts.filter((c) => c.conflict && (c.recused ?? c.conflict)).map((c) => c.member);
  const self = plan.conflicts.findIndex((c) => c.member === me.name && c.conflict && (c.recused ?? c.conflict));
  if (self >= 0 && plan.parts.length > 0) {
    throw new UserError(`${source}: conflicts[${self}]: you recuse yourself, so you cannot also record ${describeParts(plan.parts)}; record the conflict alone (or use \`coc recuse\`)`);
  }

  const confirm: string[] = [];
  if (plan.present) {
    const w = presentWarnings(plan.present);
    for (const n of w.notice) s.warn(n);
    confirm.push(...w.confirm);
  }
  if (self >= 0) confirm.push(selfRecusalWarning(code));
  const after: RuleContext = { ...rules, outOfCase: [...rules.outOfCase, ...recusing] };
  for (const part of plan.parts) {
    if (part.type === "decision") confirm.push(...decisionWarnings(part.body as DecisionBody, after));
    if (part.type === "note") confirm.push(...noteWarnings(part.body as NoteBody));
  }
  await s.confirmWarnings(confirm, "Record the review anyway?");

  const ids: string[] = [];
  let recused: string[] = [];
  if (plan.conflicts.length > 0) {
    const result = await ws.declareConflicts(code, plan.conflicts, { now, source, prefix: "conflicts" });
    recused = result.recused;
    ids.push(...createdIds(result.files, plan.conflicts.length));
    if (recused.length > 0) reportRecusal(s, code, recused, result.recipients);
    else s.info(`Recorded ${plan.conflicts.length} conflict declaration${plan.conflicts.length === 1 ? "" : "s"} for case ${s.err.bold(code)}.`);
  }
  if (recused.includes(me.name)) {
    s.info(`You are recused from case ${code}; nothing more is recorded by you.`);
    return finish(s, code, recused, ids);
  }
  if (plan.parts.length > 0) {
    const result = await ws.addRecords(code, plan.parts, { now, message: `coc: review ${code}` });
    ids.push(...createdIds(result.files, plan.parts.length));
    s.info(`Recorded ${describeParts(plan.parts)} for case ${s.err.bold(code)} (one commit), encrypted to ${result.recipients.join(", ")}.`);
  }
  return finish(s, code, recused, ids);
}

// ------------------------------------------------------------------ interactive

/** The people named in a case's reports, for the conflict check: "Pat Example (reported)". */
function partiesOf(files: CaseFiles): string[] {
  const out: string[] = [];
  for (const { record } of files.records) {
    if (record.type !== "report") continue;
    const r = record.body.reporter;
    if (!r.anonymous && r.name?.trim()) out.push(`${r.name.trim()} (reporter)`);
    for (const p of record.body.incident.people) if (p.name?.trim()) out.push(`${p.name.trim()}${p.role ? ` (${p.role})` : ""}`);
  }
  return [...new Set(out)];
}

async function reviewInteractively(s: Session, ws: Workspace, code: string, files: CaseFiles): Promise<number> {
  const { CancelledError } = await import("../../errors.js");
  const { LADDERS } = await import("../../core/repo/config.js");
  const { checkRules, decisionWarnings, noteWarnings } = await import("../../core/records/rules.js");
  const { foldCase } = await import("../../core/records/state.js");
  const { formatUtc } = await import("../../core/records/schema.js");
  const { caseMatrix } = await import("../../core/reports/matrix.js");
  const { renderMatrix } = await import("../output/matrix.js");
  const { renderValue } = await import("../output/record.js");
  const { escapeTerminalLine: line } = await import("../output/escape.js");
  const { localTime } = await import("../output/format.js");
  const q = await import("../prompts/review.js");
  const p = s.ctx.prompter;
  const e = s.err;
  const now = s.ctx.now();
  const me = await ws.me();
  const source = "your answers";

  // (1) who is present
  const present = await q.askPresent(p, { me: me.name, members: caseMembers(ws, files, ws.ruleContext(files)) });
  const pw = presentWarnings(present);
  for (const n of pw.notice) s.warn(n);
  await s.confirmWarnings(pw.confirm, "Hold the review anyway?");

  // (2) conflicts, committed before anything of the case is shown
  const declared = await q.askConflicts(p, { me: me.name, present, parties: partiesOf(files) });
  if (declared.some((d) => d.member === me.name)) await s.confirmWarnings([selfRecusalWarning(code)], "Recuse yourself and lose access to this case?");
  const ids: string[] = [];
  let recused: string[] = [];
  if (declared.length > 0) {
    const bodies = declared.map((d, i) => ws.validateBody("conflict", d, source, `conflicts[${i}]`));
    const result = await ws.declareConflicts(code, bodies, { now, source, prefix: "conflicts" });
    recused = result.recused;
    ids.push(...createdIds(result.files, bodies.length));
    reportRecusal(s, code, recused, result.recipients);
    if (recused.includes(me.name)) {
      s.info(`You are recused from case ${code}; the review goes on without you.`);
      return finish(s, code, recused, ids);
    }
    files = await ws.openCase(code);
  }

  try {
    const rules = ws.ruleContext(files);
    const stayed = present.filter((m) => !recused.includes(m) && !rules.outOfCase.includes(m));

    // (3) the report(s) and earlier notes; earlier assessments wait until the caller has given theirs
    const lines: string[] = ["", e.bold(`Case ${code}`)];
    for (const { record } of files.records) {
      if (record.type !== "report" && record.type !== "note") continue;
      lines.push("", `${e.bold.underline(line(record.type))}  ${localTime(record.created_at)}  by ${line(record.author)}`, ...renderValue(record.body, e));
    }
    const earlier = files.records.filter((x) => x.record.type === "assessment").length;
    if (earlier > 0) lines.push("", e.dim(`${earlier} earlier assessment${earlier === 1 ? " is" : "s are"} shown with the matrix, after you give your own.`));
    s.info(lines.join("\n"));

    // (4) other cases that name the same people
    const related = await ws.relatedCases(code, now);
    if (related.length === 0) s.info("\nNo other case names the same people.");
    else {
      s.info(`\n${e.yellow("Other cases naming the same people:")}`);
      for (const c of related) s.info(`  ${e.bold(line(c.case))}  ${line(c.state)}  received ${localTime(c.received_at)}  (${line(c.names.join(", "))})`);
    }
    s.info("");

    // (5) the caller's own assessment
    const assessment: AssessmentBody = ws.validateBody("assessment", await q.askAssessment(p), source, "assessment");

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
    const summary = foldCase(code, [...files.records.map((x) => x.record), provisional], ws.config.deadlines, now);
    const matrix = caseMatrix(summary, ws.config);
    s.info(`\n${await renderMatrix(s, ws, matrix, "text")}`);

    // (7) meeting notes, (8) an optional interim decision
    const parts: RecordPart[] = [{ type: "assessment", body: assessment, source, prefix: "assessment" }];
    const note = await q.askNote(p, { attendees: stayed });
    if (note) parts.push({ type: "note", body: ws.validateBody("note", note, source, "note"), source, prefix: "note" });
    const decision = await q.askInterimDecision(p, { ladder: LADDERS[ws.config.ladder], deciders: stayed, suggestion: matrix.suggestion });
    if (decision) parts.push({ type: "decision", body: ws.validateBody("decision", decision, source, "decision"), source, prefix: "decision" });
    for (const part of parts) checkRules(part.type, part.body, rules, source, part.prefix);
    const warnings = parts.flatMap((part) =>
      part.type === "decision" ? decisionWarnings(part.body as DecisionBody, rules) : part.type === "note" ? noteWarnings(part.body as NoteBody) : [],
    );
    await s.confirmWarnings(warnings, "Save it anyway?");
    await q.confirmSave(p, `${describeParts(parts)} (one commit), encrypted to ${caseMembers(ws, files, rules).join(", ")}`);

    const result = await ws.addRecords(code, parts, { now, message: `coc: review ${code}`, files });
    ids.push(...createdIds(result.files, parts.length));
    s.info(`Recorded ${describeParts(parts)} for case ${e.bold(code)} (one commit), encrypted to ${result.recipients.join(", ")}.`);
    return finish(s, code, recused, ids);
  } catch (err) {
    const name = (err as Error)?.name;
    if (ids.length > 0 && (err instanceof CancelledError || name === "ExitPromptError" || name === "AbortPromptError")) {
      // The conflict declarations are already committed (and must stay: the
      // recusal protects the case); say exactly what was and was not written.
      s.info(`coc: cancelled; the conflict declarations were recorded, nothing else was written`);
      return 130;
    }
    throw err;
  }
}
