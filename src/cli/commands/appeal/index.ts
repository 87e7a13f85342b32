/** `coc appeal <case>` and `coc appeal decide <case>`: an appeal of the decision in force, and its outcome. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { AppealOptions } from "./run.js";
import type { AppealDecideOptions } from "./decide.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function define(program: Command, r: Runner): void {
  const appeal = program
    .command("appeal")
    .description("record an appeal of a case's final decision (by whom, when, on which grounds); coc appeal decide records its outcome")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--by <who>", "reporter, reported, or who else appeals (free text)")
    .option("--received-at <time>", "when the appeal was received (default: now)")
    .option("--ground <ground>", "a ground from config.yaml appeal_grounds (repeatable)", collect)
    .option("--text <text>", "the appeal in the appellant's words, or a summary")
    .option("--from <file|->", "the appeal as YAML ({by, received_at, grounds, text}) from a file or stdin")
    .addHelpText(
      "after",
      `
Examples:
  coc appeal quiet-otter-42 --by reported --ground "new information" --text "..."
  coc appeal quiet-otter-42 --from appeal.yaml
  coc appeal decide quiet-otter-42 --result upheld --decided-by board-liaison-kim --decided-by carol --reasoning "..."

An appeal is filed within deadlines.appeal_days (default 14) of the final
decision (or of telling the reported person); a later one asks first. It is to
be decided within deadlines.appeal_decision_days (default 14): coc list --overdue
shows it. Grounds come from config.yaml appeal_grounds.`,
    );
  appeal.action(
    r.action(
      appeal,
      ([code]): AppealOptions => {
        const f = appeal.opts<{ by?: string; receivedAt?: string; ground?: string[]; text?: string; from?: string }>();
        return { code: code as string, by: f.by, receivedAt: f.receivedAt, grounds: f.ground ?? [], text: f.text, from: f.from };
      },
      () => import("./run.js"),
    ),
  );

  const decide = appeal
    .command("decide")
    .description("record the outcome of an appeal: upheld, changed or overturned, and who decided")
    .argument("<case>", "the case code")
    .option("--result <result>", "upheld, changed or overturned")
    .option("--decided-by <name>", "a member or oversight person who decided the appeal (repeatable)", collect)
    .option("--reasoning <text>", "why")
    .option("--decided-at <time>", "when it was decided (default: now)")
    .option("--appeal <id>", "the appeal decided (default: the oldest one waiting for an outcome)")
    .option("--from <file|->", "the outcome as YAML ({result, decided_by, reasoning, decided_at, appeal})")
    .addHelpText(
      "after",
      "\nAn appeal is decided by members who did not take the original decision, or by the oversight\npeople (coc oversight list): coc warns otherwise, and records it anyway.\n\nExample:\n  coc appeal decide quiet-otter-42 --result changed --decided-by carol --decided-by board-liaison-kim --reasoning \"...\"",
    );
  decide.action(
    r.action(
      decide,
      ([code]): AppealDecideOptions => {
        const f = decide.opts<{ result?: string; decidedBy?: string[]; reasoning?: string; decidedAt?: string; appeal?: string; from?: string }>();
        return { code: code as string, result: f.result, decidedBy: f.decidedBy ?? [], reasoning: f.reasoning, decidedAt: f.decidedAt, appeal: f.appeal, from: f.from };
      },
      () => import("./decide.js"),
    ),
  );
}
