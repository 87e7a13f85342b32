/**
 * `coc letter <case> --to reporter|reported`: the outcome letter to the
 * reporter, or the four-part letter to the reported person (behaviour,
 * impact, expected change, consequence), from the decision in force. A
 * letter may name its addressee and nobody else from the reports; the letter
 * to the reported person never names or identifies the reporter. Nothing is
 * printed or written when the text fails that check.
 */
import { Option, type Command } from "commander";
import type { Runner } from "../../command.js";
import type { LetterOptions } from "./run.js";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("letter")
    .description("the outcome letter to the reporter, or the four-part letter to the reported person, checked for names before it is printed")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .addOption(new Option("--to <who>", "who the letter is for").choices(["reporter", "reported"]).makeOptionMandatory())
    .addOption(new Option("--kind <kind>", "which letter to the reporter: the acknowledgement, a status update, or the outcome (default)").choices(["ack", "update", "outcome"]))
    .option("--text <message>", "the team's own words in a status update (--kind update); checked like every value")
    .option("--sent", "record that you sent it (a contact note: the acknowledgement deadline is met by it)")
    .option("--no-sent", "do not ask whether it was sent")
    .option("--override <reason>", "write to the reported person although the reporter has not agreed to it; the reason is recorded as a signed note")
    .option("--out <file>", "write the letter to this file (atomically, mode 0600) instead of stdout")
    .option("--allow <term>", "accept a term that is also an ordinary word (repeatable; recorded nowhere)", collect, [] as string[])
    .addHelpText(
      "after",
      `
Examples:
  coc letter quiet-otter-42 --to reporter --kind ack --sent   # the acknowledgement; records that it was sent
  coc letter quiet-otter-42 --to reporter --kind update --text "We have spoken with the people involved."
  coc letter quiet-otter-42 --to reporter
  coc letter quiet-otter-42 --to reported --out ../letter.txt
  coc letter quiet-otter-42 --to reported --override "risk to others: the reporter could not be reached"

The letter to the reported person needs the reporter's agreement to contact them
(consent.contact_reported: yes; record a change with coc consent). Without it,
--override "<reason>" writes it anyway and records the reason as a signed note.
--sent records a contact note (reporter-contact or reported-contact); in a
terminal coc asks instead. The acknowledgement says the report was received,
what happens next and by when they will hear from the team (outcome_days in
.coc/config.yaml); it promises no outcome.

Both letters tell the decision in force (the latest final decision, else the
latest interim one). To the reporter: the finding and whether it was a
violation, the action levels in general terms, the reasoning, how to reach the
team. To the reported person: the behaviour (the decision's finding, so write
it in neutral language), its impact, the expected change and the consequence
(the action levels with their durations).

What each letter is checked against before anything is printed:
  --to reporter  every name, contact and handle in the case's reports except
                 the reporter's own (named only when every report is theirs)
  --to reported  every name, contact and handle in the case's reports except
                 the reported person's own; always the name and contact of the
                 reporter of every report, whatever keep_private says
On a hit nothing is printed and the terms are listed on stderr. The team's
templates/letter-reporter.hbs and letter-reported.hbs win over the built-in ones.`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code]): LetterOptions => {
        const flags = cmd.opts<{ to: LetterOptions["to"]; kind?: LetterOptions["kind"]; text?: string; sent?: boolean; override?: string; out?: string; allow: string[] }>();
        return { code: code as string, to: flags.to, kind: flags.kind, text: flags.text, sent: flags.sent, override: flags.override, out: flags.out, allow: flags.allow };
      },
      () => import("./run.js"),
    ),
  );
}
