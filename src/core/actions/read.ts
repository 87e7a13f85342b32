/**
 * Reading cases: the list, one case, and a case about to be written to.
 */
import { UserError } from "../errors.js";
import { caseAudience, type Audience } from "../case/audience.js";
import { actionsInForce, foldCase, planInForce, type CaseSummary } from "../case/fold.js";
import { casePeople } from "../case/consequences.js";
import type { RuleContext } from "../case/rules.js";
import { escalationAdvice, type EscalationAdvice } from "../case/escalation.js";
import { softConflicts } from "../case/soft-conflicts.js";
import type { CocRecord } from "../records/schema.js";
import { LADDERS } from "../repo/config.js";
import { assertCaseCode, randomCaseCode } from "../repo/codes.js";
import type { Repo } from "../repo/repo.js";
import { caseExists, type CaseFiles, type Problem, type StoredRecord, type UnverifiedRecord } from "../repo/store.js";

/**
 * A case as listed: its summary; or `restricted` when it is not encrypted to
 * the caller; or `unreadable` when none of its files could be read at all.
 */
export interface ListedCase {
  case: string;
  restricted: boolean;
  unreadable: boolean;
  /** Records that do not count (unsigned, or not signed by their author): the case is flagged. */
  unverified: number;
  /** The state from the verified records; null when restricted, unreadable, or none is verified. */
  summary: CaseSummary | null;
  /** Why the case should go to the oversight people, when it should (../case/escalation.ts). */
  escalation: EscalationAdvice | null;
}

/** Every case with its state; unreadable files are returned as problems, never thrown. */
export async function listCases(repo: Repo, now: Date): Promise<{ cases: ListedCase[]; problems: Problem[] }> {
  const { cases, problems } = await repo.readCases();
  const listed: ListedCase[] = cases.map((c) => {
    const readable = c.records.length + c.unverified.length;
    const restricted = readable === 0 && c.notForYou.length > 0;
    const unreadable = readable === 0 && !restricted;
    return {
      case: c.code,
      restricted,
      unreadable,
      unverified: c.unverified.length,
      summary: c.records.length === 0 ? null : foldCase(c.code, c.records.map((r) => r.record), repo.config.deadlines, now),
      escalation: c.records.length === 0 ? null : adviceFor(repo, c.code, c.records.map((r) => r.record)),
    };
  });
  return { cases: listed, problems: [...problems, ...cases.flatMap((c) => c.problems)] };
}

export interface ShownCase {
  summary: CaseSummary;
  records: StoredRecord[];
  /** Readable records that do not count, with why. */
  unverified: UnverifiedRecord[];
  notForYou: string[];
  problems: Problem[];
}

/**
 * One case, record by record in time order.
 * @throws UserError for an unknown case or one the caller cannot read.
 */
export async function showCase(repo: Repo, code: string, now: Date): Promise<ShownCase> {
  const files = await readExisting(repo, code);
  return {
    summary: foldCase(code, files.records.map((r) => r.record), repo.config.deadlines, now),
    records: files.records,
    unverified: files.unverified,
    notForYou: files.notForYou,
    problems: files.problems,
  };
}

/**
 * Reads a case that must exist and be readable by the caller.
 * @throws UserError for a malformed or unknown code, a case not encrypted to the caller, or one with no readable record.
 */
export async function readExisting(repo: Repo, code: string): Promise<CaseFiles> {
  assertCaseCode(code);
  if (!(await caseExists(repo.paths, code))) throw new UserError(`unknown case code ${code}`, [], "unknown-case");
  const [files] = (await repo.readCases([code])).cases;
  const readable = (files?.records.length ?? 0) + (files?.unverified.length ?? 0);
  if (!files || (readable === 0 && files.notForYou.length > 0)) throw new UserError(`you are not a recipient of case ${code}`);
  if (readable === 0) {
    const first = files.problems[0];
    throw new UserError(first ? `case ${code} has no readable record: ${first.file}: ${first.message}` : `case ${code} has no records`);
  }
  return files;
}

/**
 * Reads a case the caller can write to: it exists, they can read it, and
 * none of its files is broken (a record must never be written next to one
 * we cannot account for).
 * @throws UserError otherwise.
 */
export async function openCase(repo: Repo, code: string): Promise<CaseFiles> {
  const files = await readExisting(repo, code);
  const p = files.problems[0];
  if (p) throw new UserError(`case ${code} has an unreadable record (${p.file}: ${p.message}); fix it before adding to the case`);
  if (!files.records.some((r) => r.record.type === "report")) {
    throw new UserError(`case ${code} has no verified report (its records are unsigned, or not signed by their authors), so who may read it cannot be decided; a lead can vouch for them with: coc verify --vouch`);
  }
  return files;
}

/** Who may read a case now (see ../case/audience.ts), from the roster and the records in hand. */
export function audienceOf(repo: Repo, files: CaseFiles | undefined): Audience {
  return caseAudience(repo.roster(), files?.records.map((r) => r.record) ?? [], {}, repo.rejoined(), repo.oversight.people);
}

/** Whether a case (its verified records) should be escalated, and to whom (../case/escalation.ts). */
export function adviceFor(repo: Repo, code: string, records: readonly CocRecord[]): EscalationAdvice | null {
  const audience = caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people);
  return escalationAdvice(code, { members: repo.team.members, audience, soft: softConflicts(records), oversight: repo.oversight.people });
}

/** The context the record rules need for a case (see ../case/rules.ts). */
export function ruleContext(repo: Repo, files: CaseFiles): RuleContext {
  const records = files.records.map((r) => r.record);
  const audience = caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people);
  const roster = repo.roster();
  return {
    roster,
    outOfCase: [...audience.excluded, ...audience.recused],
    // Members only: the oversight people a case was escalated to read it, but do not take part in its records.
    readers: audience.readers.filter((n) => roster.includes(n)),
    soft: softConflicts(records),
    ladder: LADDERS[repo.config.ladder],
    actions: actionsInForce(records),
    checkIns: planInForce(records)?.check_ins ?? [],
    people: casePeople(records),
    platforms: repo.config.platforms,
  };
}

/** An unused case code. @throws UserError after 100 collisions. */
export async function freshCode(repo: Repo): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const code = randomCaseCode();
    if (!(await caseExists(repo.paths, code))) return code;
  }
  throw new UserError("could not find an unused case code");
}
