/**
 * `coc verify` for evidence files: each verified evidence record has its
 * file, the file decrypts for the caller, holds exactly the bytes the record
 * names (size and SHA-256), and is encrypted to as many readers as the case
 * has; and no evidence file is there without its record.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Audience } from "../case/audience.js";
import { readEvidenceFile } from "../repo/evidence.js";
import { evidencePath, MAX_EVIDENCE_FILE_BYTES } from "../repo/evidence-path.js";
import { readRecordFile } from "../repo/read.js";
import type { Repo } from "../repo/repo.js";
import type { CaseFiles } from "../repo/store.js";
import { countStanzas } from "../crypto/age.js";

/** The problems of one readable case's evidence files. */
export async function checkEvidence(repo: Repo, c: CaseFiles, audience: Audience): Promise<{ file: string; message: string }[]> {
  const problems: { file: string; message: string }[] = [];
  const present = new Set(c.evidence ?? []);
  const decrypter = await repo.decrypter();
  const named = new Set([...c.records, ...c.unverified].filter((r) => r.record.type === "evidence").map((r) => evidencePath(c.code, r.record.id)));
  for (const file of present) if (!named.has(file)) problems.push({ file, message: "an evidence file without an evidence record of its case (coc attach writes both)" });
  for (const { record } of c.records) {
    if (record.type !== "evidence") continue;
    const file = evidencePath(c.code, record.id);
    if (!present.has(file)) {
      problems.push({ file, message: `missing: the evidence record ${record.id} names this file` });
      continue;
    }
    const read = await readEvidenceFile(repo.paths, file, decrypter);
    if ("problem" in read) {
      problems.push({ file, message: read.notForYou ? `not encrypted to you, while the records of case ${c.code} are: the case is half re-encrypted` : read.problem });
      continue;
    }
    const sha256 = createHash("sha256").update(read.bytes).digest("hex");
    if (sha256 !== record.body.sha256 || read.bytes.length !== record.body.size) {
      problems.push({ file, message: `its content (SHA-256 ${sha256.slice(0, 12)}…, ${read.bytes.length} bytes) is not what its evidence record ${record.id} names (${record.body.sha256.slice(0, 12)}…, ${record.body.size} bytes): the file was replaced` });
    }
    const raw = readRecordFile(join(repo.paths.root, file), MAX_EVIDENCE_FILE_BYTES);
    const stanzas = "bytes" in raw ? countStanzas(raw.bytes) : undefined;
    if (stanzas !== undefined && stanzas !== audience.readers.length) {
      problems.push({ file, message: `encrypted to ${stanzas} recipient(s), but case ${c.code} has ${audience.readers.length} reader(s) (${audience.readers.join(", ")})` });
    }
  }
  return problems;
}
