/**
 * Who may write in a case (DESIGN.md §7): a verified record counts only when
 * its author stood in the case when they wrote it. A member the case
 * excludes, a recused member, or one it was never given to cannot read it,
 * but knows the readers' public keys and can sign with their own key: what
 * they write that way verifies, and must still change nothing (not the
 * decision in force, the register, the state, the deadlines, the public
 * text, nor who reads the case). Pure: ./audience.ts and the reading of
 * cases (../repo/read-cases.ts) ask it.
 */
import type { CocRecord, ConflictBody } from "../records/schema.js";
import { sortRecords } from "../records/order.js";

/**
 * How far past the reader's clock a record may be dated and still count: far
 * more than any clock is off by, so a wrong clock never hides the team's
 * newest records, while a record dated years ahead waits.
 */
const FUTURE_SLACK_MS = 30 * 86_400_000;

/**
 * The records whose date puts them in force over earlier ones (the latest
 * decision, resolution, consent change, vote…). Conflicts, escalations,
 * summaries and evidence decide who reads the case: a clock that is wrong
 * by days must not drop a recusal from what this clone encrypts to.
 */
const IN_FORCE_BY_DATE = new Set<string>(["assessment", "note", "decision", "followup", "resolution", "consent", "appeal", "appeal_outcome"]);

/**
 * Whether a conflict declaration recuses: a conflict does unless it says
 * otherwise; "no conflict" says nothing, so it never lifts an earlier
 * recusal (declared, say, on a clone that had not pulled the recusal yet).
 * Only an explicit `recused: false` lifts one.
 */
export function recusalOf(body: Pick<ConflictBody, "conflict" | "recused"> & { kind?: ConflictBody["kind"] }): boolean | undefined {
  // A soft conflict keeps access: it recuses only when it says so.
  return body.recused ?? (body.conflict && body.kind !== "soft" ? true : undefined);
}

/**
 * A case's founding readers, worked out record by record: the readers its
 * first report was written for (for a case that predates signatures, those
 * a lead vouched for), less anyone a later report was not written for
 * (unless recused then: a report leaves a recused member out). Shared by
 * {@link uncountedRecords} and ./audience.ts, which must agree.
 * @param sorted the records in order (../records/order.ts).
 * @returns the set, which `take` keeps up to date as each record is walked
 * (true for a report or a vouch, which it has taken in; false for any other
 * record), and whether a member counts at a record: one removed and added
 * again counts only from records dated after their removal.
 */
export function foundingReaders(
  sorted: readonly CocRecord[],
  rejoined: ReadonlyMap<string, string>,
): { founders: Set<string>; since: (member: string, r: CocRecord) => boolean; take: (r: CocRecord, recused: ReadonlySet<string>) => boolean } {
  const since = (m: string, r: CocRecord) => !rejoined.has(m) || r.created_at > rejoined.get(m)!;
  const founding = sorted.find((r) => r.type === "report");
  const vouch = sorted.find((r): r is Extract<CocRecord, { type: "vouch" }> => r.type === "vouch");
  const first = founding?.readers ? founding : vouch;
  const founders = new Set<string>((founding?.readers ?? vouch?.body.readers ?? []).filter((m) => !first || since(m, first)));
  const take = (r: CocRecord, recused: ReadonlySet<string>): boolean => {
    if (r.type === "report") {
      if (r !== founding && r.readers) for (const m of founders) if (!r.readers.includes(m) && !recused.has(m)) founders.delete(m);
      return true;
    }
    if (r.type === "vouch") {
      if (!founding?.readers) for (const m of r.body.readers) if (since(m, r)) founders.add(m);
      return true;
    }
    return false;
  };
  return { founders, since, take };
}

/**
 * Why a verified record does not count. `innocent`: it may come from an
 * honest member (written on a clone that had not pulled their recusal yet,
 * or on a clock far ahead), not only from someone forging; a record by a
 * member the case excludes, or never gave to, cannot (coc lets nobody write
 * in a case they cannot read).
 */
export interface Uncounted {
  why: string;
  innocent: boolean;
}

/**
 * The verified records of a case that do not count, each with why. A report
 * or a vouch always counts (their own rules are in ./audience.ts); any other
 * record counts only when its author, when writing it, was given the case (a reader of its first report,
 * or shared it since) and was not recused, and the case does not exclude
 * them now (a member a report names never writes in it, even with a record
 * dated before that report). A conflict declaration that does not count
 * recuses nobody and shares with nobody, so an excluded member cannot take
 * the case from the members who read it, and a recused one cannot give it to
 * anyone; a recused member's recusal of another member still counts (it only
 * narrows who reads, and may come from a clone that had not pulled the first).
 * A record's date is its author's word: a recused member who dates a record
 * before their recusal is not caught here (as for a report, see
 * ./audience.ts), but a later record of the team's supersedes it.
 * A decision, resolution, consent change or other record that is in force
 * by its date does not count while dated more than 30 days after `now` (when
 * given) either: a date is its writer's word, and a decision, a
 * resolution or a consent change dated in 2030 would otherwise stay in force
 * over everything the team records until then (the reporter's withdrawal of
 * consent, a new decision).
 * @param records the case's verified records (any order).
 * @param rejoined members removed and added again (name → removed_at): a
 * case opened before their removal was not given to them.
 */
export function uncountedRecords(records: readonly CocRecord[], rejoined: ReadonlyMap<string, string> = new Map(), now?: Date): Map<string, Uncounted> {
  const sorted = sortRecords(records);
  // Later than 30 days past the reader's clock: not yet.
  const latest = now ? new Date(now.getTime() + FUTURE_SLACK_MS).toISOString().replace(/\.\d{3}Z$/, "Z") : undefined;
  const { founders, since, take } = foundingReaders(sorted, rejoined);
  const shared = new Set<string>();
  const excludedNow = new Set(sorted.flatMap((r) => (r.type === "report" ? r.body.exclude : [])));
  const recused = new Set<string>();
  const out = new Map<string, Uncounted>();
  for (const r of sorted) {
    if (take(r, recused)) continue;
    const a = r.author;
    // A recusal only ever narrows who reads: one declared by a member the case was given to counts even while
    // they are recused themselves (written on a clone that had not pulled their own recusal yet). Dropping it
    // would leave the member it recuses reading the case; counting it costs at most a recusal another reader lifts.
    const narrows = r.type === "conflict" && r.body.member !== a && recusalOf(r.body) === true;
    const why: Uncounted | undefined = latest !== undefined && IN_FORCE_BY_DATE.has(r.type) && r.created_at > latest
      ? { why: `dated ${r.created_at}, in the future: it counts from then`, innocent: true }
      : excludedNow.has(a)
      ? { why: `written by ${a}, whom the case excludes`, innocent: false }
      : recused.has(a) && !narrows
        ? { why: `written by ${a} while recused from the case`, innocent: true }
        : !founders.has(a) && !shared.has(a)
          ? { why: `written by ${a}, who could not read the case then`, innocent: false }
          : undefined;
    if (why) {
      out.set(r.id, why);
      continue;
    }
    if (r.type !== "conflict") continue;
    const recusal = recusalOf(r.body);
    if (recusal === true) recused.add(r.body.member);
    else if (recusal === false && a !== r.body.member) recused.delete(r.body.member);
    // A recused author's declaration counts only as a recusal: it shares with nobody (once lifted, it would give them the case).
    if (r.body.conflict === false && !recused.has(a) && since(r.body.member, r)) shared.add(r.body.member);
  }
  return out;
}
