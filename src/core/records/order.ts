/** The order of a case's records: the same on every machine. */
import type { CocRecord } from "./schema.js";

// Records written in the same second (a review writes several at once) are
// ordered by the natural order of the process, then by id, so the order is
// the same on every machine.
const TYPE_ORDER = ["report", "conflict", "assessment", "note", "decision", "followup", "resolution", "vouch", "purge", "evidence", "escalation", "summary", "appeal", "appeal_outcome", "consent"];

/**
 * Compares two strings by character codes, never by a locale's collation
 * (`localeCompare` follows the machine's language: Estonian puts z between s
 * and t), so that everything coc sorts comes out in the same order on every
 * member's machine. Times are all written `YYYY-MM-DDTHH:MM:SSZ`, so this is
 * also time order. About ten times quicker, too (a listing sorts 5,000
 * records), and it never loads the locale's collation (8 ms the first time).
 */
export function byCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Compares records by time, then type (report first, resolution last), then id. */
export function compareRecords(a: Pick<CocRecord, "created_at" | "id" | "type">, b: Pick<CocRecord, "created_at" | "id" | "type">): number {
  return byCodeUnits(a.created_at, b.created_at) || TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || byCodeUnits(a.id, b.id);
}

/** Sorts records in time order (see {@link compareRecords}). */
export function sortRecords<T extends Pick<CocRecord, "created_at" | "id" | "type">>(records: readonly T[]): T[] {
  return [...records].sort(compareRecords);
}

