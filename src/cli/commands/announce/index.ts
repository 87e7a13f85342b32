/**
 * `coc announce <case>`: the public announcement of a case, rendered from
 * templates/announcement.hbs with the resolution's `public` fields and the
 * public settings of config.yaml. Nothing is printed or written when the
 * text contains a name, contact or handle from the case's reports.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { AnnounceOptions } from "./run.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("announce")
    .description("the public announcement of a resolved case (templates/announcement.hbs), checked for names before it is printed")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--out <file>", "write the announcement to this file (atomically) instead of stdout")
    .option("--override <reason>", "announce although the reporter has not agreed to a public statement; the reason is recorded as a signed note")
    .option("--allow <term>", "accept a term that is also an ordinary word (repeatable; recorded nowhere)", collect, [] as string[])
    .addHelpText(
      "after",
      `
Examples:
  coc announce quiet-otter-42
  coc announce quiet-otter-42 --out ../announcement.txt   # outside the repository
  coc announce quiet-otter-42 --allow Rose   # "Rose" is a name in the report, and the venue's Rose Hall

The text comes from the resolution's public fields only (coc resolve):
  public:
    statement: announcement
    thing: an attendee made sexual jokes during a public session
    action: the person was asked to leave the event
with the policy URL and contact of .coc/config.yaml. A case whose resolution says
public.statement: none is not announced, nor one whose reporter has not agreed to a
public statement (consent.public_statement: yes; coc consent records a change):
--override "<reason>" announces it anyway and records the reason as a signed note. Before anything is printed, the text is
checked against every name, contact and handle in the case's reports; on a hit
nothing is printed and the terms are listed on stderr. The team's
templates/announcement.hbs wins over the built-in one.`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code]): AnnounceOptions => {
        const flags = cmd.opts<{ out?: string; allow: string[]; override?: string }>();
        return { code: code as string, out: flags.out, allow: flags.allow, override: flags.override };
      },
      () => import("./run.js"),
    ),
  );
}
