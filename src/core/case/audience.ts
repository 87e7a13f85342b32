/**
 * A case's audience: the one place that says who may read a case (DESIGN.md
 * §7). Every command that encrypts, re-encrypts, shares or verifies asks it;
 * nothing else computes readers. Pure: the roster and the records in, names
 * out.
 */
import type { CocRecord, ConflictBody } from "../records/schema.js";
import { sortRecords } from "../records/order.js";
import { foundingReaders, recusalOf, uncountedRecords } from "./standing.js";

/** Who may read a case, and who is kept out of it and why. */
export interface Audience {
  /** Who the case is encrypted to: members in roster order, then the oversight people it was escalated to. */
  readers: string[];
  /** Members a report excludes (exclusions only ever grow). */
  excluded: string[];
  /** Members recused through a conflict declaration. */
  recused: string[];
  /** The oversight people among the readers (a verified escalation gave them the case). */
  escalated: string[];
  /** Record id → oversight people who read that record only (a summary record): see {@link readersOf}. */
  extra: Record<string, string[]>;
}

/** An oversight person as the audience rules need them (from the confirmed .coc/oversight.yaml). */
export interface Overseer {
  name: string;
  recipient: string;
  /** When they were added to the oversight list (UTC): an escalation dated before gives them nothing. */
  added_at: string;
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

/** A declaration with its recusal default written out, as it is stored (a conflict without a kind is hard, as before kinds existed). */
export function withRecusalDefault<T extends Pick<ConflictBody, "conflict" | "recused"> & { kind?: ConflictBody["kind"] }>(body: T): T {
  return body.recused === undefined && body.conflict && body.kind !== "soft" ? { ...body, recused: true } : body;
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
 * predates signatures, the readers a lead vouched for) that every later
 * report was written for too (or who were recused then), plus everyone a
 * verified "no conflict" declaration by a reader shared it with. A report's
 * date is its author's word: a member who joined later and back-dates a
 * report naming themselves before the real one is still missing from the
 * readers the real one was written for, so it gives them nothing.
 */
function givenTo(sorted: readonly CocRecord[], rejoined: ReadonlyMap<string, string>): Set<string> {
  // A member removed and added again gets only what was given to them after their removal (`since`).
  const { founders, since, take } = foundingReaders(sorted, rejoined);
  const shared = new Set<string>();
  const recused = new Set<string>();
  for (const r of sorted) {
    if (take(r, recused) || r.type !== "conflict") continue;
    const recusal = recusalOf(r.body);
    if (recusal === true) recused.add(r.body.member);
    else if (recusal === false && r.author !== r.body.member) recused.delete(r.body.member);
    // A recused member's recusal of another counts (./standing.ts) but shares with nobody.
    if (r.body.conflict === false && (founders.has(r.author) || shared.has(r.author)) && !recused.has(r.author) && since(r.body.member, r)) shared.add(r.body.member);
  }
  return new Set([...founders, ...shared]);
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
 * @param oversight the confirmed oversight list; nobody on it reads a case
 * unless a verified escalation record gives it to them.
 */
export function caseAudience(
  roster: readonly string[],
  records: readonly CocRecord[],
  change: AudienceChange = {},
  rejoined: ReadonlyMap<string, string> = new Map(),
  oversight: readonly Overseer[] = [],
): Audience {
  // A record whose author did not stand in the case changes nobody's access (./standing.ts).
  const uncounted = uncountedRecords(records, rejoined);
  const sorted = sortRecords(uncounted.size === 0 ? records : records.filter((r) => !uncounted.has(r.id)));
  const team = teamAudience(roster, sorted, change, rejoined);
  const { escalated, extra } = oversightReaders(roster, sorted, rejoined, oversight, [...team.excluded, ...team.recused]);
  const readers = [...team.readers, ...oversight.filter((p) => escalated.has(p.name)).map((p) => p.name)];
  return { ...team, readers, escalated: readers.filter((n) => escalated.has(n)), extra };
}

/** The team's part of the audience: members given the case, minus exclusions and recusals. */
function teamAudience(roster: readonly string[], sorted: readonly CocRecord[], change: AudienceChange, rejoined: ReadonlyMap<string, string>): Pick<Audience, "readers" | "excluded" | "recused"> {
  const out = outOfCase(sorted);
  const excluded = [...new Set([...out.excluded, ...(change.exclude ?? [])])].sort();
  const recused = [...new Set([...out.recused, ...(change.recuse ?? [])])].sort();
  const given = sorted.length === 0 ? new Set(roster) : givenTo(sorted, rejoined);
  if (change.share) given.add(change.share);
  const readers = roster.filter((n) => given.has(n) && !excluded.includes(n) && !recused.includes(n));
  return { readers, excluded, recused };
}

/**
 * The oversight people a case's escalation and summary records give it (or
 * one record of it) to. Such a record counts only when its author could
 * read the case when it was written (a report came before it and the author
 * was among the readers then) and is not excluded from or recused in the case
 * now (a member the report names or a recused member cannot hand it to
 * someone of their choosing, even with a record back-dated to before the
 * exclusion or recusal: the team escalates again if it must; a member
 * removed from the team since still counts, as they were a member then); and, for each person it names, only when they
 * are on the confirmed oversight list with the key the record names, added
 * no later than the record (someone appointed later, or removed and added
 * again, gets only what is escalated to them after).
 */
function oversightReaders(
  roster: readonly string[],
  sorted: readonly CocRecord[],
  rejoined: ReadonlyMap<string, string>,
  oversight: readonly Overseer[],
  outNow: readonly string[],
): { escalated: Set<string>; extra: Record<string, string[]> } {
  const escalated = new Set<string>();
  const extra: Record<string, string[]> = {};
  if (oversight.length === 0) return { escalated, extra };
  sorted.forEach((r, i) => {
    if (r.type !== "escalation" && r.type !== "summary") return;
    const before = sorted.slice(0, i);
    if (!before.some((x) => x.type === "report") || outNow.includes(r.author)) return;
    // A member removed from the team since counts as on it then (their signature verifies only on records dated before their removal).
    const then = roster.includes(r.author) ? roster : [...roster, r.author];
    if (!teamAudience(then, before, {}, rejoined).readers.includes(r.author)) return;
    const names = r.body.to.filter((t) => oversight.some((p) => p.name === t.name && p.recipient === t.recipient && p.added_at <= r.created_at)).map((t) => t.name);
    if (r.type === "escalation") names.forEach((n) => escalated.add(n));
    else if (names.length > 0) extra[r.id] = names;
  });
  return { escalated, extra };
}

/** Who one record of a case is encrypted to: the case's readers, and for a summary record the oversight people it was written for. */
export function readersOf(audience: Pick<Audience, "readers" | "extra">, recordId: string): string[] {
  const more = (audience.extra[recordId] ?? []).filter((n) => !audience.readers.includes(n));
  return [...audience.readers, ...more];
}

/** Who reads a case now and who would stop reading it: the difference a re-encryption makes. */
export function audienceChange(before: readonly string[], after: readonly string[]): { removed: string[]; added: string[]; changed: boolean } {
  const removed = before.filter((n) => !after.includes(n));
  const added = after.filter((n) => !before.includes(n));
  return { removed, added, changed: removed.length + added.length > 0 };
}
