/**
 * `coc matrix [<case>]`: the risk/impact matrix (DESIGN.md §5) through
 * templates/matrix.hbs (or matrix.md.hbs): one case's votes, its majority
 * cell and the suggested response; or, without a case, the number of cases
 * per cell.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import { FORMATS } from "./formats.js";
import type { MatrixOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("matrix")
    .description("the risk/impact matrix: one case's votes and suggested response, or counts over all cases")
    .argument("[case]", "the case code, e.g. quiet-otter-42 (default: all cases)")
    .option("--format <format>", `output format (${FORMATS.join(", ")})`, "text")
    .addHelpText(
      "after",
      "\nExamples:\n  coc matrix quiet-otter-42\n  coc matrix quiet-otter-42 --json | jq '.suggestion'\n  coc matrix --format md > matrix.md",
    );
  cmd.action(r.action(cmd, ([code]): MatrixOptions => ({ code: code as string | undefined, format: cmd.opts<{ format: string }>().format }), () => import("./run.js")));
}
