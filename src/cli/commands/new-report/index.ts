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
    .option("--from-age <file|->", "import a submission of the reporting form (coc form): age-encrypted to you, armored or binary")
    .option("--from-eml <file|->", "take the report from an e-mail saved as .eml: sender, date, subject and text prefill the report; attachments become evidence files")
    .option("--keep-metadata", "with --from-eml: keep image metadata (EXIF, GPS…) of the attachments")
    .option("--case <code>", "add a further report to an existing case")
    .option("--include-member <name>", "a team member the report names who may still read the case (repeatable; otherwise excluded)", (v: string, prev: string[] = []) => [...prev, v]);
  addConsentFlags(cmd).addHelpText(
      "after",
      `
Examples:
  coc new-report
  coc new-report --from report.yaml
  coc new-report --case quiet-otter-42 --from - < second-report.yaml
  coc new-report --from-age report.age        # a submission of the form (coc form)
  coc new-report --from-eml message.eml       # an e-mail: confirm or correct what it says
  coc new-report --from-eml message.eml --no-input

The --from file holds the report body (see README: Records), for example:
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
        return { from: f.from, fromAge: f.fromAge, fromEml: f.fromEml, case: f.case, includeMember: f.includeMember, keepMetadata: f.keepMetadata, consent: f };
      },
      () => import("./run.js"),
    ),
  );
}
