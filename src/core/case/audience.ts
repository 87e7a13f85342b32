/**
 * A case's audience: the one place that says who may read a case (DESIGN.md
 * §7). Every command that encrypts, re-encrypts, shares or verifies asks it;
 * nothing else computes readers. Pure: the roster and the records in, names
 * out.
 */
import type { CocRecord, ConflictBody } from "../records/schema.js";
import { sortRecords } from "../records/order.js";

/** Who may read a case, and who is kept out of it and why. */
export interface Audience {
  /** Members the case is encrypted to, in roster order. */
  readers: string[];
  /** Members a report excludes (exclusions only ever grow). */
  excluded: string[];
  /** Members recused through a conflict declaration. */
  recused: string[];
}

/** A change being made, to see the audience after it. */
export interface AudienceChange {
  /** Further exclusions (a new report's `exclude`). */
  exclude?: readonly string[];
  /** Further recusals (conflict declarations being recorded). */
  recuse?: readonly string[];
  /** A member being given the case (a share). */
  share?: string;
}

/**
 * Whether a conflict declaration recuses: a conflict does unless it says
 * otherwise; "no conflict" says nothing, so it never lifts an earlier
 * recusal (declared, say, on a clone that had not pulled the recusal yet).
 * Only an explicit `recused: false` lifts one.
 */
export function recusalOf(body: Pick<ConflictBody, "conflict" | "recused">): boolean | undefined {
  return body.recused ?? (body.conflict ? true : undefined);
}

/** A declaration with its recusal default written out, as it is stored. */
export function withRecusalDefault<T extends Pick<ConflictBody, "conflict" | "recused">>(body: T): T {
  return body.recused === undefined && body.conflict ? { ...body, recused: true } : body;
}

/**
 * Members kept out of a case by its records: exclusions of its reports (they
 * only grow), recusals of its conflict declarations. A recusal is lifted only
 * by an explicit `recused: false` from another member: never by the recused
 * member themselves, never by a bare "no conflict".
 * @param records the case's verified records only.
 */
export function outOfCase(records: readonly CocRecord[]): { excluded: string[]; recused: string[] } {
  const sorted = sortRecords(records);
  const excluded = new Set<string>();
  const recused = new Set<string>();
  for (const r of sorted) {
    if (r.type === "report") for (const m of r.body.exclude) excluded.add(m);
    if (r.type === "conflict") {
      const recusal = recusalOf(r.body);
      if (recusal === true) recused.add(r.body.member);
      else if (recusal === false && r.author !== r.body.member) recused.delete(r.body.member);
    }
  }
  return { excluded: [...excluded].sort(), recused: [...recused].sort() };
}

/**
 * Who was given a case, before exclusions and recusals: the readers its
 * first report was written for (signed by its author; for a case that
 * predates signatures, the readers a lead vouched for), plus everyone a
 * verified "no conflict" declaration by a reader shared it with.
 */
function givenTo(sorted: readonly CocRecord[], rejoined: ReadonlyMap<string, string>): Set<string> {
  // A member removed and added again gets only what was given to them after their removal.
  const since = (m: string, r: CocRecord) => !rejoined.has(m) || r.created_at > rejoined.get(m)!;
  const founding = sorted.find((r) => r.type === "report");
  const vouch = sorted.find((r): r is Extract<CocRecord, { type: "vouch" }> => r.type === "vouch");
  const first = founding?.readers ? founding : vouch;
  const given = new Set<string>((founding?.readers ?? vouch?.body.readers ?? []).filter((m) => !first || since(m, first)));
  for (const r of sorted) {
    if (r.type === "vouch" && !founding?.readers) for (const m of r.body.readers) if (since(m, r)) given.add(m);
    if (r.type === "conflict" && r.body.conflict === false && given.has(r.author) && since(r.body.member, r)) given.add(r.body.member);
  }
  return given;
}

/**
 * Who may read a case after `change`: for a new case (no records), the
 * roster; for an existing one, the members on the roster it was given to
 * (see {@link givenTo}), plus a member it is being shared with; minus every
 * exclusion and recusal, old and new. Re-encryption only ever removes
 * readers: the only things that add one are a share and the roster.
 * @param roster names on the confirmed roster, in roster order.
 * @param records the case's verified records only (a record's own
 * `recipients` never decides anything).
 * @param rejoined members on the roster who were removed before (name →
 * `removed_at`): records dated up to their removal give them nothing, so a
 * member added again reads only cases given to them since (new, or shared).
 */
export function caseAudience(roster: readonly string[], records: readonly CocRecord[], change: AudienceChange = {}, rejoined: ReadonlyMap<string, string> = new Map()): Audience {
  const out = outOfCase(records);
  const excluded = [...new Set([...out.excluded, ...(change.exclude ?? [])])].sort();
  const recused = [...new Set([...out.recused, ...(change.recuse ?? [])])].sort();
  const sorted = sortRecords(records);
  const given = sorted.length === 0 ? new Set(roster) : givenTo(sorted, rejoined);
  if (change.share) given.add(change.share);
  const readers = roster.filter((n) => given.has(n) && !excluded.includes(n) && !recused.includes(n));
  return { readers, excluded, recused };
}

/** Who reads a case now and who would stop reading it: the difference a re-encryption makes. */
export function audienceChange(before: readonly string[], after: readonly string[]): { removed: string[]; added: string[]; changed: boolean } {
  const removed = before.filter((n) => !after.includes(n));
  const added = after.filter((n) => !before.includes(n));
  return { removed, added, changed: removed.length + added.length > 0 };
}
