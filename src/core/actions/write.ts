/**
 * Writing to a case: new records, and the re-encryption of every record of
 * the case when its audience changed, in one transaction and one commit.
 */
import { UserError } from "../errors.js";
import { audienceChange } from "../case/audience.js";
import type { Signer } from "../crypto/age.js";
import { formatMemberKey } from "../crypto/signing.js";
import { signRecord } from "../records/signature.js";
import type { CocRecord } from "../records/schema.js";
import { sortRecords } from "../records/order.js";
import type { Repo } from "../repo/repo.js";
import type { CaseFiles, PendingWrite } from "../repo/store.js";
import { evidenceRewrites, type BlobWrite } from "../repo/evidence.js";

export interface WriteResult {
  case: string;
  /** Files written: the re-encrypted ones first, then the new ones. */
  files: string[];
  recipients: string[];
  /** Members whose earlier copies were re-encrypted away (a new exclusion or recusal). */
  removedFromCase: string[];
  committed: boolean;
  /** The case's records after the change, in time order (no need to read them again). */
  records: CocRecord[];
}

/**
 * Writes `creates` (new records) to a case and, when its readers changed,
 * re-encrypts every existing record and evidence file of it to `readers`;
 * all in one commit. `blobs` are new evidence files (of `creates`).
 * Must run inside `repo.write`, after `repo.ensureTrusted()`.
 */
export async function writeCase(
  repo: Repo,
  code: string,
  files: CaseFiles | undefined,
  readers: string[],
  creates: CocRecord[],
  message: string,
  author: string,
  blobs: readonly BlobWrite[] = [],
): Promise<WriteResult> {
  const signer = await signerFor(repo, author);
  const signed = creates.map((record) => ({ ...record, signature: signRecord(record, signer) }) as CocRecord);
  const keys = repo.keysFor(readers);
  // Every file of the case, verified or not: a record still encrypted to someone who may no longer read the case is re-encrypted too.
  const rewrites = files ? reencryptions(files, readers, keys, "changed") : [];
  const previous = files?.records.at(-1)?.record.recipients ?? readers;
  const { removed } = audienceChange(previous, readers);
  const { written, committed } = await repo.commit({
    writes: [...rewrites, ...signed.map((record) => ({ record, keys }))],
    blobs: [...(files && rewrites.length > 0 ? evidenceRewrites(repo.paths, files, keys, await repo.decrypter()) : []), ...blobs],
    message,
    as: { member: author },
  });
  const verified = new Set(files?.records.map((r) => r.record.id));
  const before = (rewrites.length > 0 ? rewrites.map((w) => w.record) : (files?.records.map((r) => r.record) ?? [])).filter((r) => verified.has(r.id));
  return { case: code, files: written, recipients: readers, removedFromCase: removed, committed, records: sortRecords([...before, ...signed]) };
}

/**
 * Every file of a case (verified or not) re-encrypted to `readers`, when one
 * of them is encrypted to someone else: on "changed", any difference; on
 * "removed", only someone who may no longer read it (a recusal, exclusion or
 * removal the file's writer had not seen). Empty when nothing is stale.
 */
export function reencryptions(files: Pick<CaseFiles, "records" | "unverified">, readers: readonly string[], keys: readonly string[], when: "changed" | "removed"): PendingWrite[] {
  const existing = [...files.records, ...files.unverified];
  const stale = existing.some(({ record }) => (when === "changed" ? audienceChange(record.recipients, readers).changed : audienceChange(record.recipients, readers).removed.length > 0));
  return stale ? existing.map(({ record }) => ({ record: { ...record, recipients: [...readers] } as CocRecord, keys })) : [];
}

/**
 * The caller's signing key, checked against the one the roster holds for them.
 * @throws UserError when the roster has no signing key for them, or another one.
 */
async function signerFor(repo: Repo, author: string): Promise<Signer> {
  const signer = (await repo.decrypter()).signingKey();
  const held = repo.member(author)?.signing_key;
  if (!held) throw new UserError(`${author} has no signing key on the roster, so records written now would not count`, [], "no-signing-key", { name: author, key: formatMemberKey(repo.member(author)!.recipient, signer.publicKey) });
  if (held !== signer.publicKey) throw new UserError(`your identity's signing key (${signer.publicKey}) is not the one the roster holds for ${author} (${held}); nothing was written`);
  return signer;
}

/** The record ids a write created: the last `count` files (earlier ones are re-encryptions). */
export function createdIds(result: Pick<WriteResult, "files">, count: number): string[] {
  return count === 0 ? [] : result.files.slice(-count).map((f) => f.replace(/^.*\//, "").replace(/\.age$/, ""));
}
