/**
 * `coc transparency`: the anonymised transparency report over all cases the
 * caller can read (DESIGN.md §5), in Markdown (a blog post), HTML (one
 * self-contained page with a chart, that prints well) or versioned JSON.
 * Nothing is printed or written when the text names anyone from the reports.
 */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

const FORMATS = ["md", "html", "json"] as const;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("transparency")
    .description("the anonymised transparency report over all cases (Markdown, HTML or JSON)")
    .option("--format <format>", `output format (${FORMATS.join(", ")}; default md, or json with --json)`)
    .option("--out <file>", "write the report to this file (atomically) instead of stdout")
    .option("--since <date>", "only cases whose first report was received on or after this UTC date (YYYY-MM-DD)")
    .option("--until <date>", "only cases whose first report was received on or before this UTC date (YYYY-MM-DD)")
    .option("--allow <term>", "accept a term that is also an ordinary word (repeatable; recorded nowhere)", collect, [] as string[])
    .addHelpText(
      "after",
      `
Examples:
  coc transparency > report.md
  coc transparency --format html --out report.html
  coc transparency --format json --since 2026-06-01 --until 2026-06-07 | jq .counts
  coc transparency --allow Rose        # "Rose" is a name in a report, and the venue's Rose Hall

Only what the team wrote for publication reaches the report: each resolution's
transparency fields (title, summary, category; cases with include: false are
counted but not described), the final decision's violation, the action levels,
and counts. Before anything is printed, the text is checked against every name,
contact and handle in the reports; on a hit nothing is printed and the terms are
listed on stderr. Templates: the team's templates/transparency.{md,html}.hbs win
over the built-in ones.`,
    );
  cmd.action(
    r.action(cmd, async (s) => {
      const { UsageError } = await import("../errors.js");
      const { collectTransparency, isDay, renderTransparency } = await import("../../core/reports/transparency.js");
      const { templatesDir } = await import("../paths.js");
      const { publish } = await import("../output/publish.js");
      const flags = cmd.opts<{ format?: string; out?: string; since?: string; until?: string; allow: string[] }>();
      if (flags.format !== undefined && !(FORMATS as readonly string[]).includes(flags.format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${flags.format}")`);
      }
      if (s.json && flags.format !== undefined && flags.format !== "json") throw new UsageError(`--json cannot be combined with --format ${flags.format}`);
      const format = (flags.format ?? (s.json ? "json" : "md")) as (typeof FORMATS)[number];
      for (const [flag, v] of [["--since", flags.since], ["--until", flags.until]] as const) {
        if (v !== undefined && !isDay(v)) throw new UsageError(`${flag} must be a date such as 2026-06-01 (got "${v}")`);
      }
      if (flags.since && flags.until && flags.since > flags.until) throw new UsageError(`--since (${flags.since}) is after --until (${flags.until})`);
      if (flags.out !== undefined && flags.out.trim() === "") throw new UsageError("--out needs a file name");

      const ws = await s.workspace();
      const built = await collectTransparency(ws, { since: flags.since, until: flags.until, now: s.ctx.now() });
      for (const p of built.problems) s.warn(`${p.file}: ${p.message} (counted from the records that could be read)`);
      if (built.restricted.length > 0) {
        s.warn(`${built.restricted.length} case${built.restricted.length === 1 ? " is" : "s are"} not encrypted to you and not counted: ${built.restricted.join(", ")}; ask a member who can read ${built.restricted.length === 1 ? "it" : "them"} to produce the report`);
      }
      if (!built.report.policy_url && built.report.visibility.length === 0) {
        s.warn("the report cannot say where the code of conduct was published or how it was made visible: set policy_url and visibility in .coc/config.yaml");
      }
      const text = await renderTransparency(built.report, format, { dirs: [ws.paths.templates, templatesDir()] });
      await publish(s, {
        text,
        what: "transparency report",
        terms: built.terms,
        allow: flags.allow,
        out: flags.out,
        publicSettings: [built.report.event.name, built.report.policy_url, built.report.contact],
        fix: "reword the resolution's transparency fields (a new `coc resolve <case>` replaces them) or the team's settings",
      });
    }),
  );
}
