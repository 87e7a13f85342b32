/**
 * What `coc note`, `coc decide`, `coc followup` and `coc resolve` share: the
 * body comes from `--from` or from the questions (never both, and questions
 * only in a terminal), is validated by the record schema and the team's rules
 * before any warning is shown, and is written as one record in one commit
 * with a message that carries no content.
 */
import { addRecords, checkRules, createdIds, openCase, ruleContext, validateBody, type BodyOf, type CaseFiles, type CocRecord, type Member, type Repo, type RuleContext } from "../core/index.js";
import { confirmWarnings } from "./confirm.js";
import type { Io } from "./io.js";
import { openRepo } from "./open.js";
import { sayNotShared } from "./output/not-shared.js";

export type AddedType = "note" | "decision" | "followup" | "resolution";

/** What the question flow of a command gets to work with. */
export interface AskContext {
  repo: Repo;
  files: CaseFiles;
  rules: RuleContext;
  me: Member;
  /** Members who can read the case now. */
  members: readonly string[];
  now: Date;
}

export interface AddRecordSpec<T extends AddedType> {
  /** The command name, for usage errors. */
  command: string;
  type: T;
  code: string;
  from?: string | undefined;
  /** The body given as flags (instead of --from or the questions). */
  given?: unknown;
  /** The flags that give the body instead of --from, for the usage error without a terminal. */
  flags?: string;
  /** Asks the questions; only called when prompting is allowed. */
  ask: (c: AskContext) => Promise<unknown>;
  /** Adjusts a valid body before the rules are checked (e.g. `--urgent`). */
  finish?: (body: BodyOf<T>, c: { me: Member; rules: RuleContext; now: Date }) => BodyOf<T>;
  /** The process rules that only warn. */
  warnings?: (body: BodyOf<T>, rules: RuleContext) => string[];
  /** The question asked (in a terminal) to go on despite the warnings. */
  question?: string;
}

export interface AddedRecord<T extends AddedType> {
  repo: Repo;
  code: string;
  id: string;
  body: BodyOf<T>;
  recipients: string[];
  now: Date;
  /** The case's records after this one was added. */
  records: CocRecord[];
}

/**
 * Adds one record to a case and prints the confirmation (stderr) and, with
 * `--json`, `{case, id}` (stdout).
 * @throws UsageError without --from when prompting is not possible, or for warnings without --yes when not interactive.
 * @throws UserError for an invalid body (naming the source and the field) or a case the caller cannot write to.
 */
export async function addRecord<T extends AddedType>(io: Io, spec: AddRecordSpec<T>): Promise<AddedRecord<T>> {
  if (!spec.from && spec.given === undefined) io.requirePrompting(spec.command, ["--from <file|->", ...(spec.flags ? [`or ${spec.flags}`] : [])]);
  const repo = await openRepo(io);
  const now = io.now();
  const files = await openCase(repo, spec.code);
  const rules = ruleContext(repo, files);
  const me = await repo.me();

  let input: unknown;
  let source: string;
  if (spec.given !== undefined) {
    input = spec.given;
    source = "the flags";
  } else if (spec.from) {
    ({ value: input, source } = await io.readFrom(spec.from));
  } else {
    input = await spec.ask({ repo, files, rules, me, members: rules.readers, now });
    source = "your answers";
  }

  let body = validateBody(spec.type, input, source);
  if (spec.finish) body = spec.finish(body, { me, rules, now });
  // Refuse what is wrong before asking anyone to confirm what is merely unusual.
  checkRules(spec.type, body, rules, source);
  if (spec.warnings) await confirmWarnings(io, spec.warnings(body, rules), spec.question ?? `Record this ${spec.type} anyway?`);

  const result = await addRecords(repo, spec.code, [{ type: spec.type, body, source }], { now, message: `coc: ${spec.type} ${spec.code}` });
  const id = createdIds(result, 1)[0]!;
  if (io.json) io.printJson({ case: spec.code, id });
  io.info(`Recorded the ${spec.type} ${id} in case ${io.err.bold(spec.code)}, encrypted to ${result.recipients.join(", ")}.`);
  await sayNotShared(io, repo);
  return { repo, code: spec.code, id, body, recipients: result.recipients, now, records: result.records };
}
