/**
 * Reading and writing record files under `cases/`. Files are read straight
 * from the work tree (no git process per record) and decrypted in one batch
 * with the identity unlocked once; writes are atomic (temp file, rename) and
 * only ever hold ciphertext.
 */
import { randomBytes } from "node:crypto";
import { readdir, rm, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { encrypt, type RecordDecrypter } from "../crypto/age.js";
import { serializeRecord } from "../records/record.js";
import { readMany, type ReadJob } from "./read.js";
import { RECORD_ID, type CocRecord } from "../records/schema.js";
import { compareRecords } from "../records/order.js";
import { isCaseCode } from "./codes.js";
import { caseDir, type RepoPaths } from "./layout.js";

/** A record read from disk, with where it came from. */
export interface StoredRecord {
  /** Path relative to the repository root, e.g. cases/quiet-otter-42/2026...-report-k3f9.age */
  file: string;
  record: CocRecord;
}

/** A file that could not be read, with a one-line reason. */
export interface Problem {
  file: string;
  message: string;
}

/** What was read of one case. */
export interface CaseFiles {
  code: string;
  records: StoredRecord[];
  /** Files encrypted to others but not to the caller. */
  notForYou: string[];
  problems: Problem[];
}

const RECORD_FILE = new RegExp(`^(${RECORD_ID.source.slice(1, -1)})\\.age$`);

/** The case codes present under `cases/` (sorted); odd entries are reported as problems. */
export async function listCaseCodes(paths: RepoPaths): Promise<{ codes: string[]; problems: Problem[] }> {
  let entries;
  try {
    entries = await readdir(paths.cases, { withFileTypes: true });
  } catch {
    return { codes: [], problems: [] };
  }
  const codes: string[] = [];
  const problems: Problem[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    if (e.isDirectory() && isCaseCode(e.name)) codes.push(e.name);
    else problems.push({ file: `cases/${e.name}`, message: "not a case directory (expected a code such as quiet-otter-42)" });
  }
  return { codes: codes.sort(), problems };
}

/** True when the case directory exists. */
export async function caseExists(paths: RepoPaths, code: string): Promise<boolean> {
  try {
    await readdir(caseDir(paths, code));
    return true;
  } catch {
    return false;
  }
}

async function caseFileNames(paths: RepoPaths, code: string): Promise<{ ids: string[]; problems: Problem[] }> {
  const dir = caseDir(paths, code);
  const ids: string[] = [];
  const problems: Problem[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (name.startsWith(".")) continue; // temp files of an interrupted write
    const m = RECORD_FILE.exec(name);
    if (m) ids.push(m[1]!);
    else problems.push({ file: `cases/${code}/${name}`, message: "unexpected file (record files are named <time>-<type>-<rand>.age)" });
  }
  return { ids, problems };
}

/**
 * Reads and decrypts every record of the given cases in one batch, with the
 * identity unlocked once. Never throws for a bad file: each becomes a Problem
 * (or a not-for-you entry).
 */
export async function readCases(paths: RepoPaths, codes: readonly string[], decrypter: RecordDecrypter): Promise<CaseFiles[]> {
  const cases = await Promise.all(
    codes.map(async (code) => {
      const { ids, problems } = await caseFileNames(paths, code);
      return { code, ids, files: { code, records: [], notForYou: [], problems } as CaseFiles };
    }),
  );
  const byCode = new Map(cases.map((c) => [c.code, c.files]));
  const jobs: ReadJob[] = cases.flatMap((c) =>
    c.ids.map((id) => {
      const file = `cases/${c.code}/${id}.age`;
      return { file, abs: join(paths.root, file), code: c.code, id };
    }),
  );
  for (const outcome of await readMany(jobs, decrypter)) {
    const c = byCode.get(outcome.code)!;
    if (outcome.kind === "record") c.records.push({ file: outcome.file, record: outcome.record });
    else if (outcome.kind === "not-for-you") c.notForYou.push(outcome.file);
    else c.problems.push({ file: outcome.file, message: outcome.message });
  }
  for (const c of cases) {
    c.files.records.sort((a, b) => compareRecords(a.record, b.record));
    c.files.problems.sort((a, b) => a.file.localeCompare(b.file));
    c.files.notForYou.sort();
  }
  return cases.map((c) => c.files);
}

/** A file to be written: its record and the age recipients (public keys) it is encrypted to. */
export interface PendingWrite {
  record: CocRecord;
  keys: readonly string[];
}

/** The repository-relative path of a record file. */
export function recordPath(record: Pick<CocRecord, "case" | "id">): string {
  return `cases/${record.case}/${record.id}.age`;
}

/** A record encrypted into a hidden temp file next to where it will go. */
export interface StagedRecord {
  temp: string;
  final: string;
  rel: string;
}

/**
 * Encrypts every record into a hidden temp file in its case directory
 * (ciphertext only); nothing is in place yet. On failure, no temp file is left.
 */
export async function stageRecords(paths: RepoPaths, writes: readonly PendingWrite[]): Promise<StagedRecord[]> {
  const staged: StagedRecord[] = [];
  try {
    for (const w of writes) {
      const dir = caseDir(paths, w.record.case);
      await mkdir(dir, { recursive: true });
      const rel = recordPath(w.record);
      const final = join(paths.root, rel);
      const temp = join(dir, `.${w.record.id}.${randomBytes(4).toString("hex")}.tmp`);
      const ciphertext = await encrypt(serializeRecord(w.record), w.keys);
      await writeFile(temp, ciphertext, { mode: 0o644, flag: "wx" });
      staged.push({ temp, final, rel });
    }
  } catch (e) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw e;
  }
  return staged;
}
