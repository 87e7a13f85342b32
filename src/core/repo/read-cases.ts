/**
 * Reading cases as a command sees them: every record file of the given cases
 * (or of all) read in one batch, through the user's read cache when it pays,
 * and each case's records sorted into verified and unverified
 * (../records/verification.ts).
 */
import type { RecordDecrypter } from "../crypto/age.js";
import { uncountedRecords } from "../case/standing.js";
import { canonicalText } from "../records/canonical.js";
import type { CocRecord } from "../records/schema.js";
import { signingKeyFor, verifyRecords, type TrustedMember } from "../records/verification.js";
import { verifyRecord } from "../records/signature.js";
import { checkedHash, type SignatureCheck } from "./read-wire.js";
import { ReadThreads } from "./read-pool.js";
import { ReadCache } from "./cache.js";
import type { RepoPaths } from "./layout.js";
import { readLimits } from "./read.js";
import { listCaseCodes, readCases, type CaseFiles, type Problem, type StoredRecord } from "./store.js";

/** Opening the cache costs about as much as decrypting a few hundred records: not worth it for a case or two. */
const CACHE_MIN_CASES = 20;

/** What reading needs of an open repository. */
export interface ReadContext {
  paths: RepoPaths;
  gitDir: () => Promise<string>;
  decrypter: RecordDecrypter;
  /** The members whose keys check signatures (the confirmed roster). */
  members: readonly TrustedMember[];
  /** The roster's size, for the stanza cap. */
  roster: number;
  /** Members removed and added again (name → removed_at), for who stood in a case (../case/standing.ts). */
  rejoined?: ReadonlyMap<string, string> | undefined;
  /** The command's clock: a record dated well after it does not count yet (../case/standing.ts). */
  now?: Date | undefined;
  /** Worker threads at most for decrypting many files (COC_THREADS); undefined for one per core. */
  threads?: number | undefined;
  /**
   * Whether another coc command is changing the clone: a file removed while
   * being read is then left out rather than reported (see ./store.ts readCases).
   * Without it (`coc verify`), such a file is always a problem.
   */
  changing?: (() => Promise<boolean>) | undefined;
}

/**
 * COC_THREADS as a number of worker threads: a whole number from 0 (read on
 * the main thread only) up to 16 (more is taken as 16); anything else means the default.
 */
export function readThreads(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,3}$/.test(value.trim()) ? Math.min(Number(value.trim()), MAX_THREADS) : undefined;
}

/** COC_THREADS at most: more threads than this only cost memory and start-up. */
const MAX_THREADS = 16;

/** The worker's verdict on `record`'s signature, if it checked exactly this record with its author's key; else undefined. */
function matches(record: CocRecord, sig: SignatureCheck, members: readonly TrustedMember[]): boolean | undefined {
  const key = signingKeyFor(record, members);
  if (!key || !record.signature) return undefined;
  try {
    return checkedHash(canonicalText(record), key, record.signature) === sig.checked ? sig.ok : undefined;
  } catch {
    return undefined; // not canonical: verifyRecords says why
  }
}

/** `record`'s signature checked here and now (as verifyRecords would, without the thread pool). */
function checkNow(record: CocRecord, members: readonly TrustedMember[]): boolean {
  const key = signingKeyFor(record, members);
  return Boolean(record.signature && key && verifyRecord(record, record.signature, key));
}

/**
 * Reads every case (or the given ones); bad files are problems, never
 * thrown. A file whose exact bytes the user's read cache knows is neither
 * decrypted nor checked again: used for a read of every case or of many,
 * unless `opts.cache` says otherwise (`coc verify` turns it off).
 */
export async function readVerified(ctx: ReadContext, codes: readonly string[] | undefined, opts: { cache?: boolean }): Promise<{ cases: CaseFiles[]; problems: Problem[] }> {
  const listed = codes ? { codes: [...codes], problems: [] } : await listCaseCodes(ctx.paths);
  const useCache = opts.cache ?? (!codes || codes.length >= CACHE_MIN_CASES);
  const cache = useCache ? await ReadCache.open(await ctx.gitDir(), ctx.decrypter, ctx.members) : ReadCache.none();
  // Worker threads, started only if there turn out to be many files to decrypt.
  const threads = new ReadThreads(ctx.decrypter, { members: [...ctx.members] }, ctx.threads);
  try {
    return await readAndVerify(ctx, codes, listed, cache, threads);
  } finally {
    await threads.close();
  }
}

async function readAndVerify(
  ctx: ReadContext,
  codes: readonly string[] | undefined,
  listed: { codes: string[]; problems: Problem[] },
  cache: ReadCache,
  threads: ReadThreads,
): Promise<{ cases: CaseFiles[]; problems: Problem[] }> {
  // Signature checks a worker thread made while decrypting: a verdict counts only for a record with
  // the same canonical text, key and signature (./read-pool.ts); compared as each record arrives, and
  // kept in the cache (which has just remembered the record: ./read-many.ts) as one checked here is, so
  // that verifyRecords takes it as known and the next listing does not check it again.
  const onRecord = (outcome: { file: string; record: CocRecord }, sig?: SignatureCheck | "check-now") => {
    const v = sig === "check-now" ? checkNow(outcome.record, ctx.members) : sig && matches(outcome.record, sig, ctx.members);
    if (v !== undefined) cache.setSigned(outcome.file, v);
  };
  // The stanza cap follows the team's size (a record lists at most the roster).
  const cases = await readCases(ctx.paths, listed.codes, ctx.decrypter, readLimits(ctx.roster), cache, { onRecord, threads, changing: ctx.changing });
  const known = { get: (r: StoredRecord) => cache.signed(r.file), set: (r: StoredRecord, ok: boolean) => cache.setSigned(r.file, ok) };
  await Promise.all(
    cases.map(async (c) => {
      const { verified, unverified } = await verifyRecords(c.records, ctx.members, known);
      // A verified record whose author did not stand in the case (excluded, recused, never given it) does not count either.
      const uncounted = uncountedRecords(verified.map((r) => r.record), ctx.rejoined, ctx.now);
      c.records = verified.filter((r) => !uncounted.has(r.record.id));
      c.unverified = [
        ...unverified,
        ...verified.filter((r) => uncounted.has(r.record.id)).map((r) => ({ ...r, reason: uncounted.get(r.record.id)!.why, outsider: true as const, innocent: uncounted.get(r.record.id)!.innocent })),
      ];
    }),
  );
  // Written in the background by a worker, when one was started.
  await cache.save(!codes, threads);
  return { cases, problems: listed.problems };
}
