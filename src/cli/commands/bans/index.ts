/**
 * `coc bans`: the register of consequences (who, where, from, until; never
 * why), and `coc bans check <list>`: an attendee or speaker list matched
 * against it on this machine, the list never stored.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { BansCheckOptions, BansOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const bans = program
    .command("bans")
    .description("the register of consequences: person, scope, platforms, from, until, level, case (never the reason)")
    .option("--active", "only the consequences in force (the default)")
    .option("--all", "every consequence, also ended and not yet started")
    .option("--at <date>", "in force at this date (YYYY-MM-DD, the start of that day in UTC) or time, instead of now")
    .option("--format <format>", "table (default), csv or json")
    .addHelpText(
      "after",
      `
Examples:
  coc bans                          # in force now
  coc bans --at 2026-09-01          # in force on that day (before a conference)
  coc bans --all --format csv > register.csv
  coc bans --json
  coc bans check attendees.csv      # which registered attendees are in the register
  coc bans check - < speakers.csv

A consequence is an action of a case's decision in force that says where it applies
(scope: event, online, both) or whose ladder level is temporary or permanent. The
register shows the person (their name, contact and handles from the report), scope,
platforms, from, until (or permanent), the level and the case code: never the reason,
the description, or anyone else from the case. Cases not encrypted to you are not in
it (they are named on stderr).`,
    );
  bans.action(
    r.action(
      bans,
      (): BansOptions => {
        const f = bans.opts<{ active?: boolean; all?: boolean; at?: string; format?: string }>();
        return { active: f.active, all: f.all, at: f.at, format: f.format };
      },
      async () => ({ run: (await import("./run.js")).runList }),
    ),
  );

  const check = bans
    .command("check")
    .description("match an attendee or speaker list (CSV) against the consequences in force; prints only the matches, stores nothing")
    .argument("<list>", "a CSV file, or - for stdin")
    .option("--at <date>", "the consequences in force at this date (YYYY-MM-DD) or time, instead of now")
    .addHelpText(
      "after",
      `
Examples:
  coc bans check attendees.csv
  coc bans check - < speakers.csv --at 2026-09-01

Any columns: a cell equal to a person's contact (an e-mail address) or one of
their handles matches, and so does their whole name as consecutive words of a row
(first and last name in two columns too). Both sides are compared as the
public-text check compares them: case, accents and look-alike letters do not
matter. Only the matching rows are printed (line, the matching cells, the
consequence); the list is read into memory and never written anywhere. Exit code 0
whether or not anyone matched; 1 for an unreadable file.`,
    );
  // commander hands `--at` to `bans` wherever it stands (program options are not positional), so
  // `coc bans check --at X` fills bans' --at, not check's: read check's own first, then bans'.
  const at = (): string | undefined => check.opts<{ at?: string }>().at ?? bans.opts<{ at?: string }>().at;
  check.action(r.action(check, ([list]): BansCheckOptions => ({ list: list as string, at: at() }), async () => ({ run: (await import("./run.js")).runCheck })));
}
