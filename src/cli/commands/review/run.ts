/**
 * `coc review <case>`: from a review file (./from-file.ts) or as questions
 * in a terminal (./interactive.ts).
 */
import { openCase } from "../../../core/index.js";
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
  await sayNotShared(io, repo);
  return code;
}
