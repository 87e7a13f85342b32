/**
 * Reading cases as a command sees them: every record file of the given cases
 * (or of all) read in one batch, through the user's read cache when it pays,
 * and each case's records sorted into verified and unverified
 * (../records/verification.ts).
 */
import type { RecordDecrypter } from "../crypto/age.js";
import { canonicalText } from "../records/canonical.js";
import { signingKeyFor, verifyRecords, type TrustedMember } from "../records/verification.js";
import { checkedHash, type SignatureCheck } from "./read-pool.js";
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
  /** Worker threads at most for decrypting many files (COC_THREADS); undefined for one per core. */
  threads?: number | undefined;
}

/**
 * COC_THREADS as a number of worker threads: a whole number from 0 (read on
 * the main thread only) up; anything else means the default.
 */
export function readThreads(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : undefined;
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
  // The stanza cap follows the team's size (a record lists at most the roster).
  // Signature checks a worker thread made while decrypting: used only for a record with the same canonical text, key and signature (./read-pool.ts).
  const hints = new Map<string, SignatureCheck>();
  const onRecord = (outcome: { file: string }, sig?: SignatureCheck) => void (sig && hints.set(outcome.file, sig));
  const cases = await readCases(ctx.paths, listed.codes, ctx.decrypter, readLimits(ctx.roster), cache, { members: ctx.members, onRecord, workers: ctx.threads });
  const hinted = (r: StoredRecord): boolean | undefined => {
    const sig = hints.get(r.file);
    const key = signingKeyFor(r.record, ctx.members);
    if (!sig || !key || !r.record.signature) return undefined;
    try {
      return checkedHash(canonicalText(r.record), key, r.record.signature) === sig.checked ? sig.ok : undefined;
    } catch {
      return undefined; // not canonical: verifyRecords says why
    }
  };
  const known = { get: (r: StoredRecord) => cache.signed(r.file) ?? hinted(r), set: (r: StoredRecord, ok: boolean) => cache.setSigned(r.file, ok) };
  await Promise.all(
    cases.map(async (c) => {
      const { verified, unverified } = await verifyRecords(c.records, ctx.members, known);
      c.records = verified;
      c.unverified = unverified;
    }),
  );
  await cache.save(!codes);
  return { cases, problems: listed.problems };
}
