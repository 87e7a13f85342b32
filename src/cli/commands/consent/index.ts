/**
 * `coc consent <case>`: record a change of the reporter's consent (a signed
 * `consent` record): who said it, when and how.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import { addConsentFlags, type ConsentFlags } from "../../consent-flags.js";
import type { ConsentOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("consent")
    .description("record a change of the reporter's consent (contact, sharing, public statement, transparency, follow-up)")
    .argument("<case>", "the case code, e.g. quiet-otter-42");
  addConsentFlags(cmd)
    .option("--said-by <who>", "who said it (default: reporter)")
    .option("--said-at <time>", "when they said it (local time, or UTC with Z; default: now)")
    .option("--how <channel>", "how they said it (e-mail, phone, in person)")
    .option("--from <file|->", "read the consent body as YAML from a file or stdin instead")
    .addHelpText(
      "after",
      `
Examples:
  coc consent quiet-otter-42 --contact-reported yes --said-by reporter --how "e-mail"
  coc consent quiet-otter-42 --share police=no --share venue=yes --transparency no
  coc consent quiet-otter-42 --from - <<< '{changes: {public_statement: "yes"}, said_by: reporter, how: phone}'
  coc consent quiet-otter-42            # in a terminal: the questions, with the answers in force

The --from file holds the consent body:
  changes:                 # any part of the report's consent block
    contact_reported: yes  # yes | no | ask (ask the reporter first)
    share: { venue: yes, security: yes, police: no, umbrella: ask, mediator: ask }
    public_statement: no
    transparency: yes      # yes | no
    followup: { channel: e-mail, times: weekdays }
  said_by: reporter
  said_at: 2026-06-02 10:00
  how: e-mail

The newest answer wins for each part; anything never recorded counts as not agreed.`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code]): ConsentOptions => {
        const f = cmd.opts<ConsentFlags & { saidBy?: string; saidAt?: string; how?: string; from?: string }>();
        return { code: code as string, flags: f, saidBy: f.saidBy, saidAt: f.saidAt, how: f.how, from: f.from };
      },
      () => import("./run.js"),
    ),
  );
}
