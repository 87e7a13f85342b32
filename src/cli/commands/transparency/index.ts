/**
 * `coc transparency`: the anonymised transparency report over all cases the
 * caller can read (DESIGN.md §5), in Markdown (a blog post), HTML (one
 * self-contained page with a chart, that prints well) or versioned JSON.
 * Nothing is printed or written when the text names anyone from the reports.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { TransparencyOptions } from "./run.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("transparency")
    .description("the anonymised transparency report over all cases (Markdown, HTML or JSON)")
    // The formats are core's TRANSPARENCY_FORMATS, spelled out so that `coc --help` does not load core.
    .option("--format <format>", "output format (md, html, json; default md, or json with --json)")
    .option("--out <file>", "write the report to this file (atomically) instead of stdout")
    .option("--since <date>", "only cases whose first report was received on or after this UTC date (YYYY-MM-DD)")
    .option("--until <date>", "only cases whose first report was received on or before this UTC date (YYYY-MM-DD)")
    .option("--override <reason>", "describe the cases whose reporter has not agreed to it; the reason is recorded as a signed note in each")
    .option("--allow <term>", "accept a term that is also an ordinary word (repeatable; recorded nowhere)", collect, [] as string[])
    .addHelpText(
      "after",
      `
Examples:
  coc transparency > report.md
  coc transparency --format html --out ../report.html
  coc transparency --format json --since 2026-06-01 --until 2026-06-07 | jq .counts
  coc transparency --allow Rose        # "Rose" is a name in a report, and the venue's Rose Hall

Only what the team wrote for publication reaches the report: each resolution's
transparency fields (title, summary, category; cases with include: false are
counted but not described), the final decision's violation, the action levels,
and counts. A case is described only when its reporter agreed
(consent.transparency: yes; coc consent records a change); otherwise it is
counted, with no title, summary or category, unless --override "<reason>"
(recorded as a signed note in each such case). Before anything is printed, the text is checked against every name,
contact and handle in the reports; on a hit nothing is printed and the terms are
listed on stderr. Templates: the team's templates/transparency.{md,html}.hbs win
over the built-in ones.`,
    );
  cmd.action(r.action(cmd, (): TransparencyOptions => cmd.opts<TransparencyOptions>(), () => import("./run.js")));
}
