/**
 * `coc review <case>`: the review meeting, run by each reviewer on their own
 * clone. Conflicts of interest come first and are committed (the case
 * re-encrypted without anyone recused) before anything of the case is shown;
 * then the report(s) and notes, other cases naming the same people, the
 * caller's own assessment, the matrix with every vote, meeting notes and an
 * optional interim decision. The caller's assessment, note and decision are
 * separate records in one commit, so two reviewers never conflict in git.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { ReviewOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("review")
    .description("the review meeting: who is present, conflicts, the report, related cases, your assessment, the matrix, notes, an interim decision")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the review as YAML from a file or stdin instead of asking")
    .option("--override <reason>", "why a member with a soft conflict votes or decides anyway (recorded, signed, in the assessment and decision)")
    .addHelpText(
      "after",
      `
Each reviewer runs it on their own clone; every part is its own record, so
reviews from several clones never conflict in git. Conflicts are recorded
first: anyone recused is cut out of the case (re-encrypted) before the rest.

Examples:
  coc review quiet-otter-42
  coc review quiet-otter-42 --from review.yaml --json

The --from file holds any of these (each optional; bodies as in README: Records):
  present: [alice, bob, carol]
  conflicts:
    - { member: carol, conflict: true, reason: friend of the reported person }   # hard (recused) by default
    - { member: dave, conflict: true, kind: soft }   # keeps access; does not decide or vote without --override
  assessment: { risk: high, impact: low, in_scope: true, violation: yes, rationale: ... }
  note: { kind: meeting, text: ..., attendees: [alice, bob] }
  decision:
    stage: interim
    actions: [{ level: demand the behaviour stops }]
    decided_by: [alice, bob]`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code]): ReviewOptions => {
        const flags = cmd.opts<{ from?: string; override?: string }>();
        return { code: code as string, from: flags.from, override: flags.override };
      },
      () => import("./run.js"),
    ),
  );
}
