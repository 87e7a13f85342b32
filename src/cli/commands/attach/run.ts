/** `coc attach <case> <file>...`: evidence files, each encrypted to the case's readers. */
import { open } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { attachEvidence, evidenceCap, evidenceOf, UserError, type Attached, type EvidenceInput } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { escapeTerminalLine as line } from "../../output/escape.js";
import { formatBytes } from "../../output/evidence.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface AttachOptions {
  code: string;
  files: string[];
  description?: string | undefined;
  keepMetadata?: boolean | undefined;
}

/**
 * Reads a file for attaching: a regular file (links followed: it is the
 * user's own file, outside the repository) no larger than `cap`.
 * @throws UserError naming the file.
 */
export async function readEvidenceInput(cwd: string, path: string, cap: number): Promise<EvidenceInput> {
  const handle = await open(resolve(cwd, path), "r").catch(() => {
    throw new UserError(`cannot read ${path}`);
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new UserError(`${path} is not a regular file`);
    if (st.size > cap) throw new UserError(`${path} is ${formatBytes(st.size)}, over the ${formatBytes(cap)} limit for an evidence file (config.yaml: evidence.max_file_mb); nothing was attached`);
    return { name: basename(path), bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}

/** Says, on stderr, what was removed from each file and its number in the case. */
export function sayAttached(io: Io, code: string, attached: readonly Attached[], numbers: ReadonlyMap<string, number>, keepMetadata: boolean): void {
  for (const a of attached) {
    const what = `evidence ${numbers.get(a.id) ?? "?"}: ${line(a.name)} (${a.media_type}, ${formatBytes(a.size)})`;
    if (keepMetadata) io.warn(`${what}: metadata kept as asked (--keep-metadata)`);
    else if (a.removed === undefined) io.info(`${what}: stored as it is (coc removes metadata from JPEG and PNG images only)`);
    else if (a.removed.length > 0) io.info(`${what}: removed ${a.removed.join(", ")} before encrypting`);
    else io.info(`${what}: no metadata found`);
  }
  if (attached.length > 0) io.info(`See them with: coc show ${code}; open one with: coc open ${code} <n>`);
}

export async function run(o: AttachOptions, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const cap = evidenceCap(repo);
  const inputs: EvidenceInput[] = [];
  for (const f of o.files) inputs.push(await readEvidenceInput(io.ctx.cwd, f, cap));
  const result = await attachEvidence(repo, o.code, inputs, { now: io.now(), description: o.description, keepMetadata: o.keepMetadata });
  const numbers = new Map(evidenceOf(result.records.map((record) => ({ record }))).map((r, i) => [r.id, i + 1]));
  if (io.json) io.printJson({ case: result.case, evidence: result.attached.map((a) => ({ n: numbers.get(a.id), id: a.id, name: a.name, media_type: a.media_type, size: a.size, metadata_removed: a.removed ?? null })) });
  io.info(`Attached ${result.attached.length} file(s) to case ${io.err.bold(result.case)}, encrypted to ${result.recipients.join(", ")}.`);
  sayAttached(io, result.case, result.attached, numbers, Boolean(o.keepMetadata));
  await sayNotShared(io, repo);
}
