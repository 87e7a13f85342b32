/**
 * Records as documents: building the envelope, the one serializer and the
 * strict parser (DESIGN.md §3).
 */
import { UserError } from "../errors.js";
import { parseYaml, validate } from "./document.js";
import { FORMAT_VERSION, formatUtc, recordSchema, type BodyOf, type CocRecord, type RecordOf, type RecordType } from "./schema.js";

/** Builds a record envelope around an already validated body. */
export function makeRecord<T extends RecordType>(fields: {
  type: T;
  case: string;
  id: string;
  author: string;
  created_at: Date;
  recipients: readonly string[];
  body: BodyOf<T>;
}): RecordOf<T> {
  // `readers` is what the author encrypts it to: signed, it founds a case's audience (../case/audience.ts).
  return {
    coc: FORMAT_VERSION,
    type: fields.type,
    case: fields.case,
    id: fields.id,
    author: fields.author,
    created_at: formatUtc(fields.created_at),
    recipients: [...fields.recipients],
    readers: [...fields.recipients],
    body: fields.body,
  } as unknown as RecordOf<T>;
}

/**
 * The text of a record (the plaintext that gets encrypted), in YAML's
 * JSON-compatible flow style: a valid YAML 1.2 document (YAML 1.2 is a
 * superset of JSON) that {@link parseRecord} reads some 30 times faster than
 * block style, which is what keeps `coc list` over thousands of records under
 * two seconds. Key order is fixed; the output ends with a newline.
 */
export function serializeRecord(record: CocRecord): string {
  const { coc, type, case: code, id, author, created_at, recipients, readers, body, signature } = record;
  return `${JSON.stringify({ coc, type, case: code, id, author, created_at, recipients, readers, body, signature }, null, 2)}\n`;
}

/**
 * Parses record text: the JSON-compatible flow style we write takes a fast
 * path; anything else (block style written by hand and encrypted with the age
 * CLI, or a text that is not valid JSON) goes through the full YAML 1.2
 * parser, which also gives the line-numbered error messages.
 *
 * The fast path accepts only what the YAML parser would read the same way:
 * JSON is YAML 1.2 (core schema), except that JSON.parse keeps the last of
 * two equal keys where YAML (as coc reads it) refuses the document; so a
 * text with a repeated key goes to the YAML parser, which names it.
 */
function parseRecordText(text: string, source: string): unknown {
  if (text.trimStart().startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      // not JSON after all: let the YAML parser read it or explain what is wrong
    }
    if (value !== undefined && keySeparators(text) === keyCount(value, 0, source)) return value;
  }
  try {
    const value = parseYaml(text, source);
    checkDepth(value, 0, source);
    return value;
  } catch (e) {
    // A parser that recursed past the stack: the same one line as a JSON text nested too deeply.
    if (e instanceof RangeError) throw tooDeep(source);
    throw e;
  }
}

/** Far deeper than any record schema (a few levels); a text nested deeper is refused before anything walks it. */
const MAX_NESTING = 64;

/** Refuses a value nested deeper than MAX_NESTING (before the schema check walks it). */
function checkDepth(value: unknown, depth: number, source: string): void {
  if (value === null || typeof value !== "object") return;
  if (depth > MAX_NESTING) throw tooDeep(source);
  for (const v of Object.values(value)) checkDepth(v, depth + 1, source);
}

function tooDeep(source: string): UserError {
  return new UserError(`${source}: nested more than ${MAX_NESTING} levels deep (a record is a few levels deep)`);
}

/** The `:` outside strings in JSON text: one per key of every object in it. */
function keySeparators(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) n++;
    else if (c === 0x22) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    }
  }
  return n;
}

/** The keys of every object in a parsed JSON value: fewer than {@link keySeparators} when a key was repeated. */
function keyCount(value: unknown, depth: number, source: string): number {
  if (depth > MAX_NESTING) throw tooDeep(source);
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + keyCount(v, depth + 1, source), 0);
  if (value === null || typeof value !== "object") return 0;
  let n = 0;
  for (const v of Object.values(value)) n += 1 + keyCount(v, depth + 1, source);
  return n;
}

/** Records validated without zod's compiled fast path at the start of a process (see parseRecord). */
const INTERPRETED_RECORDS = 50;
let parsedRecords = 0;

/**
 * Parses and validates the plaintext of a record file.
 * @param source the file, for messages.
 * @param expected the case and id implied by the file's place; a record that
 * claims another case or id is refused (it was moved or tampered with).
 * @throws UserError naming the source and the field.
 */
export function parseRecord(text: string, source: string, expected?: { case: string; id: string }): CocRecord {
  // The first records of a process go through zod's interpreted path: compiling the fast path costs
  // more than it saves for the few records most commands read (`show`, a note); a listing's many use it.
  const record = validate(recordSchema(), parseRecordText(text, source), source, "", parsedRecords++ < INTERPRETED_RECORDS);
  if (expected && record.case !== expected.case) {
    throw new UserError(`${source}: record says case "${record.case}" but sits in cases/${expected.case}/`);
  }
  if (expected && record.id !== expected.id) {
    throw new UserError(`${source}: record id "${record.id}" does not match its file name`);
  }
  return record;
}
