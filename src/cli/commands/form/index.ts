/** `coc form`: the self-contained reporting page that encrypts a report in the reporter's browser. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { FormOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("form")
    .description("write the reporting web page: one self-contained HTML file that encrypts a report in the browser")
    .option("--out <file>", "write the page to this file (default: stdout)")
    .option("--force", "overwrite --out if it exists")
    .addHelpText(
      "after",
      `
The page holds the event's name, contact and policy link and the public keys
of the roster you confirmed; it loads nothing and sends nothing (its
Content-Security-Policy forbids any request). A reporter fills it in, the
browser encrypts the report to the team, and the reporter e-mails the
encrypted text (or the downloaded report.age) to the team. After the account
the page asks the reporter's consent (what the team may do); a question left
blank sends nothing and stays "not recorded". Any member imports it with
coc new-report --from-age (consent flags given there fill or replace parts).
Host the file anywhere (a static site). Make a new page after the roster
changes: the page encrypts only to the members it was made for.

Examples:
  coc form --out report-form.html
  coc new-report --from-age report.age`,
    );
  cmd.action(r.action(cmd, (): FormOptions => cmd.opts<FormOptions>(), () => import("./run.js")));
}
