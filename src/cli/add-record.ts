/**
 * What `coc note`, `coc decide`, `coc followup` and `coc resolve` share: the
 * body comes from `--from` or from the questions (never both, and questions
 * only in a terminal), is validated by the record schema and the team's rules
 * before any warning is shown, and is written as one record in one commit
 * with a message that carries no content.
 */
import { basename } from "node:path";
import type { CaseFiles } from "../core/repo/store.js";
import type { Member } from "../core/repo/config.js";
import type { Workspace } from "../core/repo/workspace.js";
import { checkRules, type RuleContext } from "../core/records/rules.js";
import type { BodyOf, CocRecord } from "../core/records/schema.js";
import type { Session } from "./session.js";

export type AddedType = "note" | "decision" | "followup" | "resolution";

/** What the question flow of a command gets to work with. */
export interface AskContext {
  ws: Workspace;
  files: CaseFiles;
  rules: RuleContext;
  me: Member;
  /** Members who can read the case: its recipients, minus anyone recused or excluded. */
  members: string[];
  now: Date;
}

export interface AddRecordSpec<T extends AddedType> {
  /** The command name, for usage errors. */
  command: string;
  type: T;
  code: string;
  from?: string | undefined;
  /** Asks the questions; only called when prompting is allowed. */
  ask: (c: AskContext) => Promise<unknown>;
  /** Adjusts a valid body before the rules are checked (e.g. `--urgent`). */
  finish?: (body: BodyOf<T>, c: { me: () => Promise<Member>; rules: RuleContext; now: Date }) => Promise<BodyOf<T>> | BodyOf<T>;
  /** The process rules that only warn. */
  warnings?: (body: BodyOf<T>, rules: RuleContext) => string[];
  /** The question asked (in a terminal) to go on despite the warnings. */
  question?: string;
}

export interface AddedRecord<T extends AddedType> {
  ws: Workspace;
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
export async function addRecord<T extends AddedType>(s: Session, spec: AddRecordSpec<T>): Promise<AddedRecord<T>> {
  if (!spec.from) s.requirePrompting(spec.command, ["--from <file|->"]);
  const ws = await s.workspace();
  const now = s.ctx.now();
  const files = await ws.openCase(spec.code);
  const rules = ws.ruleContext(files);

  let input: unknown;
  let source: string;
  if (spec.from) {
    ({ value: input, source } = await s.readFrom(spec.from));
  } else {
    const me = await ws.me();
    const recipients = files.records.at(-1)?.record.recipients ?? [];
    const members = ws.team.members.map((m) => m.name).filter((n) => recipients.includes(n) && !rules.outOfCase.includes(n));
    input = await spec.ask({ ws, files, rules, me, members, now });
    source = "your answers";
  }

  let body = ws.validateBody(spec.type, input, source);
  if (spec.finish) body = await spec.finish(body, { me: () => ws.me(), rules, now });
  // Refuse what is wrong before asking anyone to confirm what is merely unusual.
  checkRules(spec.type, body, rules, source);
  if (spec.warnings) await s.confirmWarnings(spec.warnings(body, rules), spec.question ?? `Record this ${spec.type} anyway?`);

  const result = await ws.addRecords(spec.code, [{ type: spec.type, body, source }], { now, message: `coc: ${spec.type} ${spec.code}`, files });
  const id = basename(result.files.at(-1)!, ".age");
  if (s.json) s.printJson({ case: spec.code, id });
  s.info(`Recorded the ${spec.type} ${id} in case ${s.err.bold(spec.code)}, encrypted to ${result.recipients.join(", ")}.`);
  return { ws, code: spec.code, id, body, recipients: result.recipients, now, records: result.records };
}
