/**
 * Evidence files: `coc attach` (each file encrypted to the case's readers
 * beside a signed evidence record) and reading one back for `coc open`.
 */
import { createHash } from "node:crypto";
import { UserError } from "../errors.js";
import { caseAudience } from "../case/audience.js";
import { mediaType } from "../evidence/media-type.js";
import { stripMetadata } from "../evidence/metadata.js";
import { makeRecord } from "../records/record.js";
import type { CocRecord, RecordOf } from "../records/schema.js";
import { newRecordId } from "../repo/codes.js";
import type { BlobWrite } from "../repo/evidence.js";
import { readEvidenceFile } from "../repo/evidence.js";
import { evidencePath } from "../repo/evidence-path.js";
import { formatSize } from "../repo/read.js";
import type { Repo } from "../repo/repo.js";
import { openCase, readExisting } from "./read.js";
import { writeCase, type WriteResult } from "./write.js";

/** The default cap on one evidence file, in MB (config.yaml: evidence.max_file_mb). */
export const DEFAULT_EVIDENCE_MB = 25;

/** One file to attach: its original name (stored only inside the encrypted record) and bytes. */
export interface EvidenceInput {
  name: string;
  bytes: Uint8Array;
}

/** What was attached, per file, in order. */
export interface Attached {
  id: string;
  name: string;
  media_type: string;
  size: number;
  /** What metadata was removed (empty: none found); undefined when kept (--keep-metadata) or not an image coc can clean. */
  removed: string[] | undefined;
}

/** The largest evidence file this repository accepts, in bytes. */
export function evidenceCap(repo: Repo): number {
  return Math.floor((repo.config.evidence?.max_file_mb ?? DEFAULT_EVIDENCE_MB) * 1_000_000);
}

/** A file ready to encrypt: its name without any directory, its bytes with image metadata removed (unless kept), its media type. */
export interface PreparedEvidence {
  name: string;
  bytes: Uint8Array;
  removed: string[] | undefined;
  media_type: string;
}

/**
 * Checks and cleans files before anything is written: the name loses any
 * directory part, a file over the cap is refused, image metadata (JPEG, PNG)
 * is removed unless `keepMetadata`.
 * @throws UserError for a file over the cap or a malformed image, ending with
 * `nothing` (what was not done: "nothing was attached").
 */
export function prepareEvidence(repo: Repo, inputs: readonly EvidenceInput[], opts: { keepMetadata?: boolean | undefined; nothing?: string | undefined }): PreparedEvidence[] {
  const cap = evidenceCap(repo);
  const nothing = opts.nothing ?? "nothing was attached";
  return inputs.map((input) => {
    const name = input.name.replace(/^.*[\\/]/, "");
    if (input.bytes.length > cap) throw new UserError(`${name} is ${formatSize(input.bytes.length)}, over the ${formatSize(cap)} limit for an evidence file (config.yaml: evidence.max_file_mb); ${nothing}`);
    let bytes = input.bytes;
    let removed: string[] | undefined;
    if (!opts.keepMetadata) {
      let stripped;
      try {
        stripped = stripMetadata(bytes);
      } catch (e) {
        throw new UserError(`${name}: ${(e as Error).message}; its metadata cannot be removed safely (attach it with --keep-metadata to store it as it is); ${nothing}`);
      }
      if (stripped) ({ bytes, removed } = stripped);
    }
    return { name, bytes, removed, media_type: mediaType(name, bytes) };
  });
}

/**
 * Encrypts each file to the case's readers as `cases/<code>/<id>.file.age`
 * with a signed evidence record (name, media type, size, SHA-256,
 * description, who added it), all in one commit. Image metadata (JPEG, PNG)
 * is removed first unless `keepMetadata`; files already through
 * {@link prepareEvidence} are taken as they are.
 * @throws UserError for an empty list, a file over the cap, a malformed
 * image, an unknown or unreadable case, a case the caller does not read, or
 * an unconfirmed roster; nothing is written then.
 */
export async function attachEvidence(
  repo: Repo,
  code: string,
  inputs: readonly EvidenceInput[] | { prepared: readonly PreparedEvidence[] },
  opts: { now: Date; description?: string | undefined; keepMetadata?: boolean | undefined; source?: string | undefined },
): Promise<WriteResult & { attached: Attached[] }> {
  const prepared = "prepared" in inputs ? inputs.prepared : prepareEvidence(repo, inputs, opts);
  if (prepared.length === 0) throw new UserError("no file to attach");
  return repo.write(async () => {
    const me = await repo.me();
    const files = await openCase(repo, code);
    await repo.ensureTrusted();
    const { readers } = caseAudience(repo.roster(), files.records.map((r) => r.record), {}, repo.rejoined(), repo.oversight.people);
    if (!readers.includes(me.name)) throw new UserError(`you are not a recipient of case ${code}`);
    const keys = repo.keysFor(readers);
    const records: CocRecord[] = [];
    const blobs: BlobWrite[] = [];
    const attached: Attached[] = [];
    for (const p of prepared) {
      const id = newRecordId("evidence", opts.now);
      const description = opts.description?.trim();
      const body = {
        name: p.name,
        media_type: p.media_type,
        size: p.bytes.length,
        sha256: createHash("sha256").update(p.bytes).digest("hex"),
        added_by: me.name,
        ...(description ? { description } : {}),
        ...(p.removed ? { metadata_removed: p.removed } : {}),
        ...(opts.source ? { source: opts.source } : {}),
      };
      records.push(makeRecord({ type: "evidence", case: code, id, author: me.name, created_at: opts.now, recipients: readers, body }));
      blobs.push({ rel: evidencePath(code, id), keys, content: () => Promise.resolve(p.bytes) });
      attached.push({ id, name: p.name, media_type: p.media_type, size: p.bytes.length, removed: p.removed });
    }
    const written = await writeCase(repo, code, files, readers, records, `coc: add evidence to ${code}`, me.name, blobs);
    return { ...written, attached };
  });
}

/** The evidence records of a case in time order (numbered from 1 in `coc show` and `coc open`). */
export function evidenceOf(records: readonly { record: CocRecord }[]): RecordOf<"evidence">[] {
  return records.map((r) => r.record).filter((r): r is RecordOf<"evidence"> => r.type === "evidence");
}

/**
 * The plaintext of evidence file `n` (1-based) of a case, checked against
 * its signed record (size and SHA-256).
 * @throws UserError for an unknown case or number, a file that is missing,
 * not for the caller, unreadable, or not what its record names.
 */
export async function readEvidence(repo: Repo, code: string, n: number): Promise<{ record: RecordOf<"evidence">; bytes: Uint8Array }> {
  const files = await readExisting(repo, code);
  const list = evidenceOf(files.records);
  const record = list[n - 1];
  if (!Number.isInteger(n) || !record) throw new UserError(list.length === 0 ? `case ${code} has no evidence files` : `case ${code} has evidence files 1 to ${list.length}, not ${n}`);
  const file = evidencePath(code, record.id);
  if (!(files.evidence ?? []).includes(file)) throw new UserError(`${file} is missing (evidence ${n} of case ${code}); run coc sync, or coc verify`);
  const read = await readEvidenceFile(repo.paths, file, await repo.decrypter());
  if ("problem" in read) throw new UserError(`${file}: ${read.problem}`);
  const sha256 = createHash("sha256").update(read.bytes).digest("hex");
  if (sha256 !== record.body.sha256 || read.bytes.length !== record.body.size) throw new UserError(`${file} is not the file its evidence record names (SHA-256 differs); not opened (coc verify shows it)`);
  return { record, bytes: read.bytes };
}
