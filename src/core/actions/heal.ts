/**
 * Re-encrypting what is still encrypted to someone who may no longer read
 * it: a record written on a clone that had not seen a recusal, exclusion or
 * removal yet. `coc sync` runs it after every merge and before pushing;
 * `coc recuse` and `coc team remove` run it when the member is already out.
 */
import { caseAudience } from "../case/audience.js";
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
  committed: boolean;
}

/**
 * Re-encrypts, in one commit as `member`, every readable file of the given
 * cases (or of every case) that is still encrypted to someone outside the
 * case's audience, to that audience (`caseAudience` over its verified
 * records). Must run inside `repo.write`; never asks about trust (see {@link confirmedReaders}).
 */
export async function reencryptStale(repo: Repo, member: string, codes?: readonly string[]): Promise<HealResult> {
  const { cases } = await repo.readCases(codes);
  const writes: PendingWrite[] = [];
  const blobs: BlobWrite[] = [];
  const decrypter = await repo.decrypter();
  const healed: string[] = [];
  const removed: Record<string, string[]> = {};
  const unreadable: string[] = [];
  const roster = repo.roster();
  const confirmed = await confirmedReaders(repo);
  for (const c of cases) {
    if (c.records.length + c.unverified.length === 0) {
      if (c.notForYou.length > 0) unreadable.push(c.code);
      continue;
    }
    const { readers: audience } = caseAudience(roster, c.records.map((r) => r.record), {}, repo.rejoined());
    const readers = confirmed(audience);
    if (readers.length === 0) continue;
    const rewrites = reencryptions(c, readers, repo.keysFor(readers), "removed");
    if (rewrites.length === 0) continue;
    const gone = new Set([...c.records, ...c.unverified].flatMap(({ record }) => record.recipients.filter((n) => !readers.includes(n))));
    removed[c.code] = [...gone].sort();
    writes.push(...rewrites);
    blobs.push(...evidenceRewrites(repo.paths, c, repo.keysFor(readers), decrypter));
    healed.push(c.code);
  }
  if (writes.length === 0) return { healed, files: [], removed, unreadable, committed: false };
  const { written, committed } = await repo.commit({
    writes,
    blobs,
    message: `coc: re-encrypt ${healed.join(", ")} without ${[...new Set(Object.values(removed).flat())].sort().join(", ")}`,
    as: { member },
  });
  return { healed, files: written, removed, unreadable, committed };
}

/**
 * Readers whose keys this user confirmed: all of them once the roster is
 * trusted; while a roster change waits for confirmation (it arrived with the
 * sync), only members whose key is the one pinned, so a re-encryption never
 * reaches a key nobody confirmed. It only ever narrows who reads.
 */
async function confirmedReaders(repo: Repo): Promise<(names: readonly string[]) => string[]> {
  const state = await repo.trustState();
  if (state.kind !== "changed" || !rosterChanged(state.diff)) return (names) => [...names];
  const pinned = new Set(state.pinned.members.filter((p) => repo.member(p.name)?.recipient === p.recipient).map((p) => p.name));
  return (names) => names.filter((n) => pinned.has(n));
}
