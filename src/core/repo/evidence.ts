/**
 * Evidence files on disk: encrypting a new one, re-encrypting the existing
 * ones of a case together with its records, and the list of every file of a
 * case (records and evidence), for whatever must treat them all alike
 * (re-encryption, purge, escalation).
 *
 * An evidence file holds the file's bytes encrypted with age (so `age -d`
 * gives back the file); its signed `evidence` record beside it names it and
 * holds its SHA-256. Both are always encrypted to the same readers.
 */
import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { countStanzas, encrypt, NotARecipientError, type RecordDecrypter } from "../crypto/age.js";
import { removeEmptyCaseDirs } from "./debris.js";
import { MAX_EVIDENCE_FILE_BYTES } from "./evidence-path.js";
import type { RepoPaths } from "./layout.js";
import { MAX_STANZA_CAP, readRecordFile } from "./read.js";
import { checkRecordDestination } from "./stage.js";
import type { CaseFiles } from "./store.js";
import type { StagedRecord } from "./record-writes.js";

/** An evidence file to (re)write: where, to whom, and its plaintext (undefined: leave the file as it is). */
export interface BlobWrite {
  rel: string;
  keys: readonly string[];
  content: () => Promise<Uint8Array | undefined>;
}

/**
 * Every file of a case coc knows of, repository-relative and sorted: its
 * record files (readable, unverified, or encrypted to others) and its
 * evidence files. Files that could not be read (problems) are not included.
 */
export function caseFilePaths(files: Pick<CaseFiles, "records" | "unverified" | "notForYou" | "evidence">): string[] {
  return [...files.records.map((r) => r.file), ...files.unverified.map((r) => r.file), ...files.notForYou, ...(files.evidence ?? [])].sort();
}

/**
 * Decrypts an evidence file of this repository (a regular file, read without
 * following links, within the evidence size cap, and with no more recipient
 * stanzas than `maxStanzas`, checked before any decryption).
 * @returns the plaintext, or a one-line reason it could not be read.
 */
export async function readEvidenceFile(paths: RepoPaths, rel: string, decrypter: RecordDecrypter, maxStanzas: number = MAX_STANZA_CAP): Promise<{ bytes: Uint8Array } | { problem: string; notForYou?: boolean }> {
  const read = readRecordFile(join(paths.root, rel), MAX_EVIDENCE_FILE_BYTES);
  if ("problem" in read) return { problem: read.problem.replace("limit for a record file (a record is a few KB)", "limit for an evidence file") };
  try {
    if (countStanzas(read.bytes, maxStanzas) > maxStanzas) return { problem: `more than ${maxStanzas} recipient stanzas; not decrypted` };
  } catch (e) {
    return { problem: `not a readable age file (${(e as Error).message})` };
  }
  try {
    return { bytes: await decrypter.decrypt(read.bytes) };
  } catch (e) {
    const notForYou = e instanceof NotARecipientError;
    return { problem: notForYou ? "not encrypted to you" : `not a readable age file (${(e as Error).message})`, notForYou };
  }
}

/**
 * Every evidence file of a case, to be encrypted again to `keys` (with its
 * records). A file the caller cannot decrypt is left as it is (`coc verify`
 * names it), as records encrypted to others are.
 */
export function evidenceRewrites(paths: RepoPaths, files: Pick<CaseFiles, "evidence">, keys: readonly string[], decrypter: RecordDecrypter): BlobWrite[] {
  return (files.evidence ?? []).map((rel) => ({
    rel,
    keys,
    content: async () => {
      const read = await readEvidenceFile(paths, rel, decrypter);
      return "bytes" in read ? read.bytes : undefined;
    },
  }));
}

/**
 * Encrypts each evidence file into a hidden temp file beside where it goes,
 * one at a time (so only one file's plaintext is in memory). On failure no
 * temp file is left.
 */
export async function stageBlobs(paths: RepoPaths, blobs: readonly BlobWrite[]): Promise<StagedRecord[]> {
  const staged: StagedRecord[] = [];
  try {
    for (const b of blobs) {
      const plaintext = await b.content();
      if (plaintext === undefined) continue;
      await checkRecordDestination(paths, b.rel, { create: true });
      const final = join(paths.root, b.rel);
      const temp = join(final, "..", `.${randomBytes(6).toString("hex")}.tmp`);
      await writeFile(temp, await encrypt(plaintext, b.keys), { mode: 0o644, flag: "wx" });
      staged.push({ temp, final, rel: b.rel });
    }
  } catch (e) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    await removeEmptyCaseDirs(paths, blobs.map((b) => b.rel));
    throw e;
  }
  return staged;
}
