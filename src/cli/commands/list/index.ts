/** `coc list`: every case with its state, age, deadlines, category and risk/impact. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { ListOptions } from "./run.js";
import { STATUSES } from "./statuses.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("list")
    .description("list cases: state, received, age, overdue, risk/impact, category")
    .option("--status <state>", `only cases in this state (${STATUSES.join(", ")}; open = not closed)`)
    .option("--overdue", "only overdue cases")
    .addHelpText("after", "\nExamples:\n  coc list\n  coc list --status new --json\n  coc list --overdue");
  cmd.action(r.action(cmd, (): ListOptions => cmd.opts<ListOptions>(), () => import("./run.js")));
}
