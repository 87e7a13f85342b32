/**
 * Reading record files under `cases/` (writing them: ./record-writes.ts).
 * Files are read straight from the work tree (no git process per record) and
 * decrypted in one batch with the identity unlocked once.
 *
 * Everything under `cases/` may have been pushed by anyone with access to the
 * remote (DESIGN.md §7 "Files under cases/"): only regular files in real
 * directories are read, and only within the caps of ./read.ts; a symlink (to a
 * file or a directory), a FIFO, a socket or a device is a Problem, never
 * opened through, never decrypted, and never written through or over.
 */
import { readdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { RecordDecrypter } from "../crypto/age.js";
import { describeKind, readLimits, type ReadJob, type ReadLimits } from "./read.js";
import { readMany, type ReadManyOptions } from "./read-many.js";
import { dirStateSync } from "./stage.js";
import { RECORD_ID, type CocRecord } from "../records/schema.js";
import { byCodeUnits, compareRecords } from "../records/order.js";
import { isCaseCode } from "./codes.js";
import { caseDir, type RepoPaths } from "./layout.js";
import type { ReadCache } from "./cache.js";
import { EVIDENCE_FILE } from "./evidence-path.js";

/** A record read from disk, with where it came from. */
export interface StoredRecord {
  /** Path relative to the repository root, e.g. cases/quiet-otter-42/2026...-report-k3f9.age */
  file: string;
  record: CocRecord;
}

/** A record that does not count (DESIGN.md §7): shown with a warning, never used for state, readers or decisions. */
export interface UnverifiedRecord extends StoredRecord {
  /** Why, in a few words: "unsigned", "not signed by alice's key"… */
  reason: string;
  /** Signed by its author, who did not stand in the case when writing it (../case/standing.ts): a vouch cannot make it count. */
  outsider?: true;
  /** For an outsider's record: whether an honest member may have written it (see ../case/standing.ts `Uncounted`). */
  innocent?: boolean;
}

/** A file that could not be read, with a one-line reason. */
export interface Problem {
  file: string;
  message: string;
}

/** What was read of one case. */
export interface CaseFiles {
  code: string;
  /** The verified records (signed by their author's key on the confirmed roster, or vouched for), in time order. */
  records: StoredRecord[];
  /** Readable records that are not verified: they never count. */
  unverified: UnverifiedRecord[];
  /** Files encrypted to others but not to the caller. */
  notForYou: string[];
  problems: Problem[];
  /** The case's evidence files (`cases/<code>/<id>.file.age`, regular files; not decrypted here). */
  evidence?: string[];
}

const RECORD_FILE = new RegExp(`^(${RECORD_ID.source.slice(1, -1)})\\.age$`);

/** The case codes present under `cases/` (sorted); odd entries are reported as problems. */
export async function listCaseCodes(paths: RepoPaths): Promise<{ codes: string[]; problems: Problem[] }> {
  const root = dirStateSync(paths.cases);
  if (root.kind === "missing") return { codes: [], problems: [] };
  if (root.kind === "other") return { codes: [], problems: [{ file: "cases", message: `${root.what}; coc reads only real directories` }] };
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
    // A directory entry's type is the entry's own (as lstat sees it): a symlinked directory is a symlink here.
    if (e.isDirectory() && isCaseCode(e.name)) codes.push(e.name);
    else if (!e.isDirectory() && !e.isFile()) problems.push({ file: `cases/${e.name}`, message: `${describeKind(e)}; coc reads only real directories` });
    else problems.push({ file: `cases/${e.name}`, message: "not a case directory (expected a code such as quiet-otter-42)" });
  }
  return { codes: codes.sort(), problems: problems.sort((a, b) => byCodeUnits(a.file, b.file)) };
}

/**
 * True when something is at the case's place under `cases/` (by `lstat`: a
 * symlink counts, and is refused when the case is read).
 */
export async function caseExists(paths: RepoPaths, code: string): Promise<boolean> {
  return (dirStateSync(caseDir(paths, code))).kind !== "missing";
}

function caseFileNames(paths: RepoPaths, code: string, root: ReturnType<typeof dirStateSync>): { ids: string[]; problems: Problem[]; evidence: string[]; gone?: true } {
  const ids: string[] = [];
  const problems: Problem[] = [];
  const evidence: string[] = [];
  // Neither cases/ nor the case directory may be a link: the files below would belong elsewhere.
  if (root.kind === "other") return { ids, evidence, problems: [{ file: "cases", message: `${root.what}; coc reads only real directories` }] };
  const dir = caseDir(paths, code);
  const own = dirStateSync(dir);
  if (own.kind === "other") return { ids, evidence, problems: [{ file: `cases/${code}`, message: `${own.what}; coc reads only real directories` }] };
  // Removed since cases/ was listed (another coc command undoing a new case, say): see readCases.
  const removed = { ids, evidence, problems: [{ file: `cases/${code}`, message: "removed while it was being read" }], gone: true as const };
  if (own.kind === "missing") return removed;
  let listing;
  try {
    listing = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return removed;
    throw e;
  }
  const entries = listing.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".")) continue; // temp files of an interrupted write
    const file = `cases/${code}/${e.name}`;
    // The entry's own type (lstat's view): a symlink, FIFO, socket or device is never opened.
    // A regular file is opened without following links and checked again on the descriptor (./read.ts).
    if (!e.isFile()) {
      problems.push({ file, message: `${describeKind(e)}; coc reads only regular files` });
      continue;
    }
    const m = RECORD_FILE.exec(e.name);
    if (m) ids.push(m[1]!);
    else if (EVIDENCE_FILE.test(e.name)) evidence.push(file);
    else problems.push({ file, message: "unexpected file (record files are named <time>-<type>-<rand>.age)" });
  }
  return { ids, problems, evidence };
}

/**
 * Reads and decrypts every record of the given cases in one batch, with the
 * identity unlocked once. Never throws for a bad file: each becomes a Problem
 * (or a not-for-you entry). Only regular files in real directories are read,
 * and none beyond the caps of `limits` is decrypted (pass
 * `readLimits(rosterSize)`; without it, the stanza cap of the smallest team).
 * With `cache`, a file whose bytes the user's cache knows is not decrypted again (./cache.ts).
 * A file (or a case directory) removed since its directory was listed is a
 * problem, "removed while it was being read", unless `changing` says another
 * coc command is changing the clone (undoing a killed change, say), which
 * the command has said: then it is left out, as if listed a moment later,
 * and so is a case all of whose files went that way. Without `changing`
 * (`coc verify`), it stays a problem.
 */
export async function readCases(
  paths: RepoPaths,
  codes: readonly string[],
  decrypter: RecordDecrypter,
  limits: ReadLimits = readLimits(0),
  cache?: ReadCache,
  opts?: ReadManyOptions & { changing?: () => Promise<boolean> },
): Promise<CaseFiles[]> {
  const root = dirStateSync(paths.cases);
  const cases = codes.map((code) => {
    const { ids, problems, evidence, gone } = caseFileNames(paths, code, root);
    return { code, ids, gone: gone === true, files: { code, records: [], unverified: [], notForYou: [], problems, evidence } as CaseFiles };
  });
  const byCode = new Map(cases.map((c) => [c.code, c.files]));
  const jobs: ReadJob[] = cases.flatMap((c) =>
    c.ids.map((id) => {
      const file = `cases/${c.code}/${id}.age`;
      return { file, abs: join(paths.root, file), code: c.code, id };
    }),
  );
  const outcomes = await readMany(jobs, decrypter, limits, cache, opts);
  // Removed while being read: left out only while another coc command is changing the clone.
  const removed = outcomes.some((o) => o.kind === "problem" && o.gone === true) || cases.some((c) => c.gone);
  const leaveOut = removed && opts?.changing !== undefined && (await opts.changing());
  const kept = new Set<string>();
  for (const outcome of outcomes) {
    if (leaveOut && outcome.kind === "problem" && outcome.gone === true) continue;
    const c = byCode.get(outcome.code)!;
    kept.add(outcome.code);
    if (outcome.kind === "record") c.records.push({ file: outcome.file, record: outcome.record });
    else if (outcome.kind === "not-for-you") c.notForYou.push(outcome.file);
    else c.problems.push({ file: outcome.file, message: outcome.message });
  }
  for (const c of cases) {
    c.files.records.sort((a, b) => compareRecords(a.record, b.record));
    c.files.problems.sort((a, b) => byCodeUnits(a.file, b.file));
    c.files.notForYou.sort();
  }
  // A case removed while being read, or all of whose files were, is left out with them.
  const gone = (c: (typeof cases)[number]) => leaveOut && (c.gone || (c.ids.length > 0 && !kept.has(c.code) && c.files.problems.length === 0 && (c.files.evidence ?? []).length === 0));
  return cases.filter((c) => !gone(c)).map((c) => c.files);
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
