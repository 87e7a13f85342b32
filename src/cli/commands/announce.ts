/**
 * `coc announce <case>`: the public announcement of a case, rendered from
 * templates/announcement.hbs with the resolution's `public` fields and the
 * public settings of config.yaml. Nothing is printed or written when the
 * text contains a name, contact or handle from the case's reports.
 */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("announce")
    .description("the public announcement of a resolved case (templates/announcement.hbs), checked for names before it is printed")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--out <file>", "write the announcement to this file (atomically) instead of stdout")
    .option("--allow <term>", "accept a term that is also an ordinary word (repeatable; recorded nowhere)", collect, [] as string[])
    .addHelpText(
      "after",
      `
Examples:
  coc announce quiet-otter-42
  coc announce quiet-otter-42 --out announcement.txt
  coc announce quiet-otter-42 --allow Rose   # "Rose" is a name in the report, and the venue's Rose Hall

The text comes from the resolution's public fields only (coc resolve):
  public:
    statement: announcement
    thing: an attendee made sexual jokes during a public session
    action: the person was asked to leave the event
with the policy URL and contact of .coc/config.yaml. A case whose resolution says
public.statement: none is not announced. Before anything is printed, the text is
checked against every name, contact and handle in the case's reports; on a hit
nothing is printed and the terms are listed on stderr. The team's
templates/announcement.hbs wins over the built-in one.`,
    );
  cmd.action(
    r.action(cmd, async (s, code: string) => {
      const { UsageError, UserError } = await import("../errors.js");
      const { announcementData, publicSettingValues } = await import("../../core/reports/announcement.js");
      const { sensitiveTerms } = await import("../../core/reports/safety.js");
      const { render } = await import("../../core/templates/render.js");
      const { templatesDir } = await import("../paths.js");
      const { publish } = await import("../output/publish.js");
      const flags = cmd.opts<{ out?: string; allow: string[] }>();
      if (flags.out !== undefined && flags.out.trim() === "") throw new UsageError("--out needs a file name");

      const ws = await s.workspace();
      // Every record must be readable: the check is only as good as the reports it knows.
      const files = await ws.openCase(code);
      if (files.notForYou.length > 0) {
        throw new UserError(`some records of case ${code} are not encrypted to you, so the names in them cannot be checked; ask a member who can read the whole case`);
      }
      const records = files.records.map((x) => x.record);
      const data = announcementData(code, records, ws.config);
      const text = await render("announcement.hbs", data, { dirs: [ws.paths.templates, templatesDir()], escape: false });
      await publish(s, {
        text: text.endsWith("\n") ? text : `${text}\n`,
        what: `announcement of case ${code}`,
        terms: sensitiveTerms(code, records),
        allow: flags.allow,
        out: flags.out,
        publicSettings: publicSettingValues(data),
        fix: `reword the resolution's public fields (a new \`coc resolve ${code}\` replaces them) or the team's templates/announcement.hbs`,
      });
    }),
  );
}
