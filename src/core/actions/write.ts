/**
 * Writing to a case: new records, and the re-encryption of every record of
 * the case when its audience changed, in one transaction and one commit.
 */
import { audienceChange } from "../case/audience.js";
import type { CocRecord } from "../records/schema.js";
import { sortRecords } from "../records/order.js";
import type { Repo } from "../repo/repo.js";
import type { CaseFiles, PendingWrite } from "../repo/store.js";

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
 * re-encrypts every existing record of it to `readers`; all in one commit.
 * Must run inside `repo.write`, after `repo.ensureTrusted()`.
 */
export async function writeCase(repo: Repo, code: string, files: CaseFiles | undefined, readers: string[], creates: CocRecord[], message: string, author: string): Promise<WriteResult> {
  const keys = repo.keysFor(readers);
  const previous = files?.records.at(-1)?.record.recipients ?? readers;
  const { removed, changed } = audienceChange(previous, readers);
  const rewrites: PendingWrite[] = changed && files ? files.records.map(({ record }) => ({ record: { ...record, recipients: readers } as CocRecord, keys })) : [];
  const { written, committed } = await repo.commit({
    writes: [...rewrites, ...creates.map((record) => ({ record, keys }))],
    message,
    as: { member: author },
  });
  const before = rewrites.length > 0 ? rewrites.map((w) => w.record) : (files?.records.map((r) => r.record) ?? []);
  return { case: code, files: written, recipients: readers, removedFromCase: removed, committed, records: sortRecords([...before, ...creates]) };
}

/** The record ids a write created: the last `count` files (earlier ones are re-encryptions). */
export function createdIds(result: Pick<WriteResult, "files">, count: number): string[] {
  return count === 0 ? [] : result.files.slice(-count).map((f) => f.replace(/^.*\//, "").replace(/\.age$/, ""));
}
