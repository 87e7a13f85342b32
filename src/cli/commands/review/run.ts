/**
 * `coc review <case>`: from a review file (./from-file.ts) or as questions
 * in a terminal (./interactive.ts).
 */
import { openCase } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { reviewFromFile } from "./from-file.js";
import { reviewInteractively } from "./interactive.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface ReviewOptions {
  code: string;
  from?: string | undefined;
}

export async function run(o: ReviewOptions, io: Io): Promise<number> {
  if (!o.from) io.requirePrompting("review", ["--from <file|->"]);
  const repo = await openRepo(io);
  const files = await openCase(repo, o.code);
  const code = await (o.from ? reviewFromFile(io, repo, o.code, files, o.from) : reviewInteractively(io, repo, o.code, files));
  await sayNotShared(io, repo);
  return code;
}
