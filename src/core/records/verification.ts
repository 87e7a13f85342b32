/**
 * Which records count (DESIGN.md §7). A record is verified when its signature
 * checks against the signing key its `author` has on the roster the user
 * confirmed, or when a verified vouch record of a lead names it with the hash
 * of its canonical bytes. Everything else is unverified: shown with a
 * warning, and never used for state, readers, recusals, exclusions,
 * decisions, deadlines, votes or public text.
 */
import { createHash } from "node:crypto";
import { canonicalBytes } from "./canonical.js";
import type { CocRecord, RecordOf } from "./schema.js";
import { verifyRecordAsync } from "./signature.js";

/** A member as the user confirmed them: whose key checks whose records. */
export interface TrustedMember {
  name: string;
  roles: readonly string[];
  signing_key?: string | undefined;
  /** A former member: only records dated before this time (UTC) verify. */
  removed_at?: string | undefined;
}

/** The hash a vouch record names a record by. */
export function vouchHash(record: CocRecord): string {
  return createHash("sha256").update(canonicalBytes(record)).digest("hex");
}

/**
 * The key `record`'s signature must check against: its author's signing key
 * on the confirmed roster (a former member's only for records dated before
 * they left). Undefined when there is none.
 */
export function signingKeyFor(record: { author: string; created_at: string }, members: readonly TrustedMember[]): string | undefined {
  const m = members.find((x) => x.name === record.author && (x.removed_at === undefined || record.created_at <= x.removed_at));
  return m?.signing_key;
}

/** Why `record` (already known not to verify by its own signature) is not verified. */
function reasonFor(record: CocRecord, members: readonly TrustedMember[]): string {
  const m = members.find((x) => x.name === record.author && x.removed_at === undefined);
  const former = members.find((x) => x.name === record.author && x.removed_at !== undefined);
  if (!record.signature) return "unsigned";
  if (!m && former) return `signed by ${record.author} after they left the team (${former.removed_at})`;
  if (!m) return `signed, but ${record.author} is not on the roster you confirmed`;
  if (!m.signing_key) return `${record.author} has no signing key on the roster you confirmed`;
  return `not signed by ${record.author}'s key`;
}

/** Signature verdicts known from an earlier check of the same record bytes against the same members (the read cache). */
export interface KnownVerdicts<T> {
  get(item: T): boolean | undefined;
  set(item: T, ok: boolean): void;
}

/**
 * Sorts one case's records into verified and unverified. Signatures are
 * checked on the thread pool, all at once; with `known`, a verdict it holds
 * is used instead of checking again, and new verdicts are handed to it.
 */
export async function verifyRecords<T extends { record: CocRecord }>(
  records: readonly T[],
  members: readonly TrustedMember[],
  known?: KnownVerdicts<T>,
): Promise<{ verified: T[]; unverified: (T & { reason: string })[] }> {
  const keyOf = (record: CocRecord) => signingKeyFor(record, members);
  const ok = await Promise.all(
    records.map(async (item) => {
      const cached = known?.get(item);
      if (cached !== undefined) return cached;
      const { record } = item;
      const key = keyOf(record);
      const verdict = record.signature && key ? await verifyRecordAsync(record, record.signature, key) : false;
      known?.set(item, verdict);
      return verdict;
    }),
  );
  const signed = records.filter((_, i) => ok[i]);
  // A lead's vouch, itself verified, covers records with the hash it names.
  const leads = new Set(members.filter((m) => m.roles.includes("lead") && m.removed_at === undefined).map((m) => m.name));
  const vouched = new Map<string, string>();
  for (const { record } of signed) {
    if (record.type !== "vouch" || !leads.has(record.author)) continue;
    for (const r of (record as RecordOf<"vouch">).body.records) vouched.set(r.id, r.sha256);
  }
  const verified: T[] = [];
  const unverified: (T & { reason: string })[] = [];
  records.forEach((r, i) => {
    if (ok[i] || vouched.get(r.record.id) === vouchHash(r.record)) verified.push(r);
    else unverified.push({ ...r, reason: reasonFor(r.record, members) });
  });
  return { verified, unverified };
}
