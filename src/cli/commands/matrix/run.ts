/**
 * `coc matrix [<case>]`: the risk/impact matrix (DESIGN.md §5) through
 * templates/matrix.hbs (or matrix.md.hbs): one case's votes, its majority
 * cell and the suggested response; or, without a case, the number of cases
 * per cell.
 */
import { caseMatrix, listCases, overallMatrix, showCase, type MatrixData, type Problem } from "../../../core/index.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { renderMatrix } from "../../output/matrix.js";
import { FORMATS, type Format } from "./formats.js";

export interface MatrixOptions {
  /** One case, or all cases when undefined. */
  code: string | undefined;
  format: string;
}

export async function run(o: MatrixOptions, io: Io): Promise<number> {
  if (!(FORMATS as readonly string[]).includes(o.format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${o.format}")`);
  }
  const repo = await openRepo(io, { publishing: true });
  const now = io.now();
  let data: MatrixData;
  let problems: Problem[];
  if (o.code !== undefined) {
    const shown = await showCase(repo, o.code, now);
    problems = shown.problems;
    data = caseMatrix(shown.summary, repo.config);
  } else {
    const listed = await listCases(repo, now);
    problems = listed.problems;
    // Restricted and unreadable cases have no summary: they are not counted.
    data = overallMatrix(
      listed.cases.flatMap((c) => (c.summary ? [c.summary] : [])),
      repo.config,
    );
  }
  io.problems(problems);
  if (io.json) io.printJson(data);
  else io.print(await renderMatrix(io, repo, data, o.format as Format));
  return problems.length > 0 ? 1 : 0;
}
