/**
 * `coc escalate <case> --to <name>...`: hand a case the team cannot handle
 * alone to people of the oversight list (a signed escalation record, the
 * whole case re-encrypted to include them), or with --summary-only tell
 * them only what the team chooses (a summary record for them alone).
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { EscalateOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("escalate")
    .description("give a case to people of the oversight list (every record, from now on too), or only a summary (--summary-only)")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .requiredOption("--to <name...>", "oversight people (coc oversight list); repeatable")
    .option("--reason <text>", "why the case goes outside the team (recorded, encrypted with the case)")
    .option("--summary-only", "do not give them the case: write a summary record for them (and the team) instead")
    .option("--text <text>", "the summary's text (with --summary-only)")
    .option("--from <file|->", "the summary as YAML ({text, reason}) from a file or stdin (with --summary-only)")
    .addHelpText(
      "after",
      `
When: the report names a lead, fewer than two members without a conflict can
read the case, or a majority of the team is recused (coc warns in new-report,
review and list). Run by a member who reads the case.

Examples:
  coc escalate quiet-otter-42 --to board-liaison-kim --reason "the report names our lead" --yes
  coc escalate quiet-otter-42 --to mod-rin mod-ash
  coc escalate quiet-otter-42 --to board-liaison-kim --summary-only --text "A report about a team member; handled by two members without a conflict."

An escalation gives them every record of the case, earlier ones included, and
every record written in it later. What they received stays readable to them.`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code]): EscalateOptions => {
        const f = cmd.opts<{ to: string[]; reason?: string; summaryOnly?: boolean; text?: string; from?: string }>();
        return { code: code as string, to: f.to.flatMap((x) => x.split(",")), reason: f.reason, summaryOnly: Boolean(f.summaryOnly), text: f.text, from: f.from };
      },
      () => import("./run.js"),
    ),
  );
}
