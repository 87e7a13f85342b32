/** `coc decide <case>`: a decision (interim or final) with actions from the team's ladder. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { DecideOptions } from "./run.js";

/** The ratification window of an urgent decision, for the help text (the rule is core's RATIFY_HOURS). */
const RATIFY_HOURS = 24;

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("decide")
    .description("record a decision: interim or final, the finding, actions from the team's ladder, who decided, the lead's agreement")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the decision body as YAML from a file or stdin instead of asking")
    .option("--urgent", `a decision taken by fewer than two members because it could not wait: records who acted alone; a decision of two members must ratify it within ${RATIFY_HOURS} h`)
    .option("--override <reason>", "why members with a soft conflict are in decided_by anyway (recorded, signed, in the decision)")
    .addHelpText(
      "after",
      `
Examples:
  coc decide quiet-otter-42
  coc decide quiet-otter-42 --from decision.yaml
  coc decide quiet-otter-42 --urgent --from - < remove-now.yaml

The --from file holds the decision body, for example:
  stage: final               # interim | final
  violation: yes             # yes | no | unclear
  finding: The reported comments were made, repeatedly, after being asked to stop.
  actions:
    - level: demand the behaviour stops   # a level of the team's ladder (coc init --ladder)
      owner: alice
      due: 2026-06-02 09:00
    - level: other                        # anything else: say what in detail
      detail: ask them to sit out the social
    - level: temporary ban                # a consequence: it goes into the register (coc bans)
      duration: 12 months                 # or ends_at: 2027-06-01; permanent levels need neither
      subject: 0                          # whom: a person of the reports, by index (from 0) or name
      scope: online                       # event | online | both
      platforms: [github, discord]        # from platforms in .coc/config.yaml
      starts_at: 2026-06-02 09:00         # default: when the decision is recorded
  plan:                                   # a behavioural plan (optional)
    expectations: ["Keep discussions about the code, not the person."]
    conditions_for_return: [A conversation with two team members.]
    check_ins: [{ due: 2026-09-01 10:00, what: a call about how it is going }]
    repair: [A written apology, passed on by the team.]
  reasoning: |
    ...
  decided_by: [alice, bob]
  lead_agreement: { by: alice, at: 2026-06-01 18:00 }
Temporary levels (e.g. "temporary ban" of the cc2.1 ladder) need a duration ("12 months") or ends_at;
with the care ladder, give a level a scope (and ends_at) to put it in the register.
Without subject, a consequence applies to the one person the reports name as reported.`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code]): DecideOptions => {
        const flags = cmd.opts<{ from?: string; urgent?: boolean; override?: string }>();
        return { code: code as string, from: flags.from, urgent: Boolean(flags.urgent), override: flags.override };
      },
      () => import("./run.js"),
    ),
  );
}
