/**
 * `coc review <case>`: from a review file (./from-file.ts) or as questions
 * in a terminal (./interactive.ts).
 */
import { adviceFor, openCase, readExisting } from "../../../core/index.js";
import { sayEscalation } from "../../output/escalation.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { reviewFromFile } from "./from-file.js";
import { reviewInteractively } from "./interactive.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface ReviewOptions {
  code: string;
  from?: string | undefined;
  /** `--override <reason>`: why a member with a soft conflict votes or decides anyway (recorded in the assessment and decision). */
  override?: string | undefined;
}

export async function run(o: ReviewOptions, io: Io): Promise<number> {
  if (o.override !== undefined && !o.override.trim()) throw new UsageError("--override needs a reason");
  if (!o.from) io.requirePrompting("review", ["--from <file|->"]);
  const repo = await openRepo(io);
  const files = await openCase(repo, o.code);
  const code = await (o.from ? reviewFromFile(io, repo, o.code, files, o.from, o.override) : reviewInteractively(io, repo, o.code, files, o.override));
  // After the conflicts of this review: can the team still handle the case alone? (Not shown to someone who just recused.)
  const after = await readExisting(repo, o.code).catch(() => undefined);
  if (after) sayEscalation(io, adviceFor(repo, o.code, after.records.map((r) => r.record)));
  await sayNotShared(io, repo);
  return code;
}
