/** `coc show <case>`: the whole case, record by record in time order. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { ShowOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("show")
    .description("show a whole case: reports, conflicts, assessments, notes, decisions, evidence files, timeline")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .addHelpText("after", "\nExamples:\n  coc show quiet-otter-42\n  coc show quiet-otter-42 --json | jq '.records[0].body'");
  cmd.action(r.action(cmd, ([code]): ShowOptions => ({ code: code as string }), () => import("./run.js")));
}
