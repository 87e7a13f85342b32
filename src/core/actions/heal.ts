/**
 * Re-encrypting what is still encrypted to someone who may no longer read
 * it: a record written on a clone that had not seen a recusal, exclusion or
 * removal yet. `coc sync` runs it after every merge and before pushing;
 * `coc recuse` and `coc team remove` run it when the member is already out.
 */
import { caseAudience, readersOf } from "../case/audience.js";
import type { Repo } from "../repo/repo.js";
import { rosterChanged } from "../repo/trust.js";
import type { PendingWrite } from "../repo/store.js";
import { reencryptions } from "./write.js";
import { evidenceRewrites, type BlobWrite } from "../repo/evidence.js";

export interface HealResult {
  /** Cases whose stale files were re-encrypted. */
  healed: string[];
  /** The files written. */
  files: string[];
  /** Members some file was encrypted to who may no longer read it, by case. */
  removed: Record<string, string[]>;
  /** Cases the caller can read none of (someone who can must sync to check them). */
  unreadable: string[];
  /**
   * Cases left as they are that hold a file still encrypted to someone who
   * may no longer read it, where the case's readers include someone whose key
   * waits for confirmation (a roster change arrived): re-encrypting them needs it confirmed.
   */
  waiting: string[];
  committed: boolean;
}

/**
 * Re-encrypts, in one commit as `member`, every readable file of the given
 * cases (or of every case) that is still encrypted to someone outside the
 * case's audience, to that audience (`caseAudience` over its verified
 * records). Must run inside `repo.write`; never asks about trust: a case
 * that needs a re-encryption while some of its readers wait for confirmation
 * is left as it is and named in `waiting` (see {@link confirmedReaders}).
 */
export async function reencryptStale(repo: Repo, member: string, codes?: readonly string[]): Promise<HealResult> {
  const { cases } = await repo.readCases(codes);
  const writes: PendingWrite[] = [];
  const blobs: BlobWrite[] = [];
  const decrypter = await repo.decrypter();
  const healed: string[] = [];
  const removed: Record<string, string[]> = {};
  const unreadable: string[] = [];
  const waiting: string[] = [];
  const roster = repo.roster();
  const { confirmed, unconfirmedDrop } = await confirmedReaders(repo);
  for (const c of cases) {
    if (c.records.length + c.unverified.length === 0) {
      if (c.notForYou.length > 0) unreadable.push(c.code);
      continue;
    }
    const audience = caseAudience(roster, c.records.map((r) => r.record), {}, repo.rejoined(), repo.oversight.people);
    // Stale only for someone outside the audience: a member or oversight person whose key waits for
    // confirmation is never taken away (that would undo the team's work, a case shared with a new member)
    // and never added either (a key nobody confirmed): such a case is re-encrypted only once it is confirmed.
    const keys = (names: readonly string[]) => repo.keysFor(names);
    if (reencryptions(c, (id) => readersOf(audience, id), keys, "removed").length === 0) continue;
    const readersFor = (id: string) => readersOf(audience, id);
    const gone = new Set([...c.records, ...c.unverified].flatMap(({ record }) => record.recipients.filter((n) => !readersFor(record.id).includes(n))));
    const readers = confirmed(audience.readers);
    // Nor is a confirmed reader taken away by a roster change nobody confirmed (one that drops them).
    if (readers.length < audience.readers.length || [...gone].some((n) => unconfirmedDrop.has(n))) {
      waiting.push(c.code);
      continue;
    }
    if (readers.length === 0) continue;
    const rewrites = reencryptions(c, readersFor, keys, "removed");
    removed[c.code] = [...gone].sort();
    writes.push(...rewrites);
    blobs.push(...evidenceRewrites(repo.paths, c, repo.keysFor(readers), decrypter));
    healed.push(c.code);
  }
  if (writes.length === 0) return { healed, files: [], removed, unreadable, waiting, committed: false };
  const { written, committed } = await repo.commit({
    writes,
    blobs,
    message: `coc: re-encrypt ${healed.join(", ")} without ${[...new Set(Object.values(removed).flat())].sort().join(", ")}`,
    as: { member },
  });
  return { healed, files: written, removed, unreadable, waiting, committed };
}

/**
 * Readers whose keys this user confirmed: all of them once the roster is
 * trusted; while a roster change waits for confirmation (it arrived with the
 * sync), only members whose key is the one pinned. A case whose readers are
 * not all confirmed is not re-encrypted (see {@link reencryptStale}), so a
 * re-encryption never reaches a key nobody confirmed, nor takes a case away
 * from someone the team gave it to.
 */
async function confirmedReaders(repo: Repo): Promise<{ confirmed: (names: readonly string[]) => string[]; unconfirmedDrop: Set<string> }> {
  const state = await repo.trustState();
  if (state.kind !== "changed" || !rosterChanged(state.diff)) return { confirmed: (names) => [...names], unconfirmedDrop: new Set() };
  const pinned = new Set([
    ...state.pinned.members.filter((p) => repo.member(p.name)?.recipient === p.recipient).map((p) => p.name),
    ...(state.pinned.oversight ?? []).filter((p) => repo.overseer(p.name)?.recipient === p.recipient).map((p) => p.name),
  ]);
  // Confirmed people the waiting change drops or gives another key.
  const unconfirmedDrop = new Set([...state.pinned.members, ...(state.pinned.oversight ?? [])].map((p) => p.name).filter((n) => !pinned.has(n)));
  return { confirmed: (names) => names.filter((n) => pinned.has(n)), unconfirmedDrop };
}
