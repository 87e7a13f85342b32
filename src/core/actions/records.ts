/**
 * Adding records of any type but report (notes, decisions, follow-ups,
 * resolutions, assessments) to a case.
 */
import { UserError } from "../errors.js";
import { caseAudience } from "../case/audience.js";
import { checkRules } from "../case/rules.js";
import { checkSoftConflicts } from "../case/soft-conflicts.js";
import { validate } from "../records/document.js";
import { makeRecord } from "../records/record.js";
import { BODY_SCHEMAS, type BodyOf, type CocRecord, type RecordType } from "../records/schema.js";
import { newRecordId } from "../repo/codes.js";
import type { Repo } from "../repo/repo.js";
import { openCase, ruleContext } from "./read.js";
import { writeCase, type WriteResult } from "./write.js";

/** A record to add: its type and schema-valid body, and where it came from (for messages). */
export interface RecordPart {
  type: Exclude<RecordType, "report">;
  body: unknown;
  source: string;
  /** Field prefix in messages, e.g. "decision" for a part of a review file. */
  prefix?: string | undefined;
}

/**
 * Validates a body read from `--from` or built by prompts against its record schema.
 * @param prefix field path to prepend in messages (e.g. "assessment" for a part of a review file).
 * @throws UserError naming the source and the field.
 */
export function validateBody<T extends RecordType>(type: T, input: unknown, source: string, prefix = ""): BodyOf<T> {
  return validate(BODY_SCHEMAS[type], input, source, prefix) as BodyOf<T>;
}

/**
 * Adds records to a case, each its own file, all in one commit, encrypted to
 * the case's readers. Bodies must already be schema-valid; the team rules are
 * checked here, on the case as it is under the lock.
 * @throws UserError for a rule broken (naming the field), an unconfirmed
 * roster, or a case the caller cannot write to.
 */
export async function addRecords(repo: Repo, code: string, parts: readonly RecordPart[], opts: { now: Date; message: string }): Promise<WriteResult> {
  return repo.write(async () => {
    const me = await repo.me();
    const files = await openCase(repo, code);
    const ctx = ruleContext(repo, files);
    for (const part of parts) checkRules(part.type, part.body, ctx, part.source, part.prefix);
    // A member with a soft conflict votes only with a recorded override (decisions are checked by checkRules).
    for (const part of parts) checkSoftConflicts(part.type, part.body, me.name, ctx.soft ?? [], part.source, part.prefix);
    await repo.ensureTrusted();
    const { readers } = caseAudience(repo.roster(), files.records.map((r) => r.record), {}, repo.rejoined(), repo.oversight.people);
    if (!readers.includes(me.name)) throw new UserError(`you are not a recipient of case ${code}`);
    const records = parts.map((part) =>
      makeRecord({ type: part.type, case: code, id: newRecordId(part.type, opts.now), author: me.name, created_at: opts.now, recipients: readers, body: part.body as never }),
    );
    return writeCase(repo, code, files, readers, records as CocRecord[], opts.message, me.name);
  });
}
