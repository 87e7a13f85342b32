/** `coc decide <case>`: a decision (interim or final) with actions from the team's ladder. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

const RATIFY_HOURS = 24;

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("decide")
    .description("record a decision: interim or final, the finding, actions from the team's ladder, who decided, the lead's agreement")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the decision body as YAML from a file or stdin instead of asking")
    .option("--urgent", `a decision taken by fewer than two members because it could not wait: records who acted alone; a decision of two members must ratify it within ${RATIFY_HOURS} h`)
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
  reasoning: |
    ...
  decided_by: [alice, bob]
  lead_agreement: { by: alice, at: 2026-06-01 18:00 }
Temporary levels (e.g. "temporary ban") need a duration: "12 months".`,
    );
  cmd.action(
    r.action(cmd, async (s, code: string) => {
      const { addRecord } = await import("../add-record.js");
      const { decisionWarnings } = await import("../../core/case/rules.js");
      const { formatUtc } = await import("../../core/records/schema.js");
      const { decisionQuestions } = await import("../prompts/records.js");
      const { localTime } = await import("../output/format.js");
      const flags = cmd.opts<{ from?: string; urgent?: boolean }>();
      let ignoredUrgent = false;
      const added = await addRecord(s, {
        command: "decide",
        type: "decision",
        code,
        from: flags.from,
        ask: async (c) => {
          const { foldCase } = await import("../../core/case/fold.js");
          const { risk, impact } = foldCase(code, c.files.records.map((x) => x.record), c.ws.config.deadlines, c.now);
          const suggested = risk && impact ? c.ws.config.matrix[`${impact}_impact_${risk}_risk`].response : undefined;
          const leads = c.members.filter((n) => c.ws.member(n)?.roles.includes("lead"));
          return decisionQuestions(s.ctx.prompter, { me: c.me.name, members: c.members, leads, ladder: c.rules.ladder, now: c.now, suggested, urgent: flags.urgent });
        },
        finish: async (body, c) => {
          if (!flags.urgent || body.urgent) return body;
          const deciders = body.decided_by.filter((m) => !c.rules.outOfCase.includes(m));
          if (deciders.length >= 2) {
            ignoredUrgent = true;
            return body;
          }
          const actedAlone = body.decided_by.length > 0 ? body.decided_by : [(await c.me()).name];
          return { ...body, urgent: { acted_alone: actedAlone, ratify_by: formatUtc(new Date(c.now.getTime() + RATIFY_HOURS * 3600_000)) } };
        },
        warnings: (body, rules) => decisionWarnings(body, rules),
        question: "Record the decision anyway?",
      });
      if (ignoredUrgent) s.info("Not marked urgent: two members took this decision, so there is nothing to ratify.");
      if (added.body.urgent) {
        s.warn(
          `urgent decision by ${added.body.urgent.acted_alone.join(", ")}: it must be ratified by a decision of at least two members within ${RATIFY_HOURS} h (by ${localTime(added.body.urgent.ratify_by)}).`,
        );
      }
      const summary = added.ws.summarize(code, added.records, added.now);
      s.info(`Case ${code} is now ${summary.state}${summary.overdue ? s.err.red(" (overdue)") : ""}.`);
      for (const reason of summary.overdue_reasons) s.info(`  overdue: ${reason}`);
    }),
  );
}
