/** `coc new-report`: the intake, interactive or from a YAML body. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import { addConsentFlags, type ConsentFlags } from "../../consent-flags.js";
import type { NewReportOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("new-report")
    .description("take a report (the care checklist, then the questions); prints the case code")
    .option("--from <file|->", "read the report body as YAML from a file or stdin instead of asking")
    .option("--case <code>", "add a further report to an existing case")
    .option("--include-member <name>", "a team member the report names who may still read the case (repeatable; otherwise excluded)", (v: string, prev: string[] = []) => [...prev, v]);
  addConsentFlags(cmd).addHelpText(
      "after",
      `
Examples:
  coc new-report
  coc new-report --from report.yaml
  coc new-report --case quiet-otter-42 --from - < second-report.yaml

The --from file holds the report body (see README: Record formats), for example:
  channel: in-person
  reporter: { name: Sam, contact: sam@example.org }
  incident:
    summary: Unwanted comments at the evening social
    description: |
      ...
  exclude: []
  consent:                       # what the reporter agrees to (can change later: coc consent)
    contact_reported: ask        # yes | no | ask (ask them first)
    share: { venue: yes, security: yes, police: no, umbrella: ask, mediator: ask }
    public_statement: no
    transparency: yes            # yes | no
    followup: { channel: e-mail, times: evenings }

The consent flags (--contact-reported, --share target=answer, --public-statement,
--transparency, --followup-channel, --followup-times) fill or replace those parts of
the file's consent block; in a terminal, giving any of them skips the consent questions.`,
    );
  cmd.action(
    r.action(
      cmd,
      (): NewReportOptions => {
        const f = cmd.opts<NewReportOptions & ConsentFlags>();
        return { from: f.from, case: f.case, includeMember: f.includeMember, consent: f };
      },
      () => import("./run.js"),
    ),
  );
}
