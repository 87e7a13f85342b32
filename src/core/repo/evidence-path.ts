/**
 * Where a case's evidence files live: beside its records, one file per
 * evidence record, named after that record's id (never after the original
 * file name): `cases/<code>/<evidence-record-id>.file.age`.
 */
import { RECORD_ID } from "../records/schema.js";

/** An evidence file's name inside its case directory; group 1 is the evidence record's id. */
export const EVIDENCE_FILE = new RegExp(`^(${RECORD_ID.source.slice(1, -1)})\\.file\\.age$`);

/** The repository-relative path of the evidence file of the evidence record `id` in case `code`. */
export function evidencePath(code: string, id: string): string {
  return `cases/${code}/${id}.file.age`;
}

/** The largest evidence file coc reads back (the configured cap can be at most 100 MB, plus age's overhead). */
export const MAX_EVIDENCE_FILE_BYTES = 101 * 1024 * 1024;
