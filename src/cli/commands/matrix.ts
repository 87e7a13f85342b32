/**
 * `coc matrix [<case>]`: the risk/impact matrix (DESIGN.md §5) through
 * templates/matrix.hbs (or matrix.md.hbs): one case's votes, its majority
 * cell and the suggested response; or, without a case, the number of cases
 * per cell.
 */
import type { Command } from "commander";
import type { MatrixData } from "../../core/reports/matrix.js";
import type { Problem } from "../../core/repo/store.js";
import type { Registrar } from "../program.js";

const FORMATS = ["text", "md"] as const;
type Format = (typeof FORMATS)[number];

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("matrix")
    .description("the risk/impact matrix: one case's votes and suggested response, or counts over all cases")
    .argument("[case]", "the case code, e.g. quiet-otter-42 (default: all cases)")
    .option("--format <format>", `output format (${FORMATS.join(", ")})`, "text")
    .addHelpText(
      "after",
      "\nExamples:\n  coc matrix quiet-otter-42\n  coc matrix quiet-otter-42 --json | jq '.suggestion'\n  coc matrix --format md > matrix.md",
    );
  cmd.action(
    r.action(cmd, async (s, code: string | undefined) => {
      const { UsageError } = await import("../../errors.js");
      const { caseMatrix, overallMatrix } = await import("../../core/reports/matrix.js");
      const { renderMatrix } = await import("../output/matrix.js");
      const flags = cmd.opts<{ format: string }>();
      if (!(FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${flags.format}")`);
      }
      const ws = await s.workspace();
      const now = s.ctx.now();
      let data: MatrixData;
      let problems: Problem[];
      if (code !== undefined) {
        const shown = await ws.show(code, now);
        problems = shown.problems;
        data = caseMatrix(shown.summary, ws.config);
      } else {
        const listed = await ws.list(now);
        problems = listed.problems;
        // Restricted and unreadable cases have no summary: they are not counted.
        data = overallMatrix(
          listed.cases.flatMap((c) => (c.summary ? [c.summary] : [])),
          ws.config,
        );
      }
      const { escapeTerminalLine: line } = await import("../output/escape.js");
      for (const p of problems) s.info(`${s.err.red("error:")} ${line(p.file)}: ${line(p.message)}`);
      if (s.json) s.printJson(data);
      else s.print(await renderMatrix(s, ws, data, flags.format as Format));
      return problems.length > 0 ? 1 : 0;
    }),
  );
}
