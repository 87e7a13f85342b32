/** `coc decide <case>`: a decision (interim or final) with actions from the team's ladder. */
import { decisionWarnings, foldCase, markUrgent, RATIFY_HOURS } from "../../../core/index.js";
import { addRecord } from "../../add-record.js";
import type { Io } from "../../io.js";
import { localTime } from "../../output/format.js";
import { decisionQuestions } from "../../prompts/records.js";

export interface DecideOptions {
  code: string;
  from?: string | undefined;
  /** `--urgent`: taken by fewer than two members, to be ratified within RATIFY_HOURS. */
  urgent: boolean;
  /** `--override <reason>`: why members with a soft conflict decide anyway. */
  override?: string | undefined;
}

export async function run(o: DecideOptions, io: Io): Promise<void> {
  const { code } = o;
  let ignoredUrgent = false;
  const added = await addRecord(io, {
    command: "decide",
    type: "decision",
    code,
    from: o.from,
    ask: (c) => {
      const { risk, impact } = foldCase(code, c.files.records.map((x) => x.record), c.repo.config.deadlines, c.now);
      const suggested = risk && impact ? c.repo.config.matrix[`${impact}_impact_${risk}_risk`].response : undefined;
      const leads = c.members.filter((n) => c.repo.member(n)?.roles.includes("lead"));
      return decisionQuestions(io.ctx.prompter, {
        me: c.me.name,
        members: c.members,
        leads,
        ladder: c.rules.ladder,
        now: c.now,
        suggested,
        urgent: o.urgent,
        people: c.rules.people ?? [],
        platforms: c.rules.platforms ?? [],
      });
    },
    finish: (given, c) => {
      const reason = o.override?.trim();
      const body = reason && !given.override ? { ...given, override: reason } : given;
      if (!o.urgent) return body;
      const marked = markUrgent(body, c.rules, c.me.name, c.now);
      ignoredUrgent = marked.ignored;
      return marked.body;
    },
    warnings: (body, rules) => decisionWarnings(body, rules),
    question: "Record the decision anyway?",
  });
  if (ignoredUrgent) io.info("Not marked urgent: two members took this decision, so there is nothing to ratify.");
  if (added.body.urgent) {
    io.warn(
      `urgent decision by ${added.body.urgent.acted_alone.join(", ")}: it must be ratified by a decision of at least two members within ${RATIFY_HOURS} h (by ${localTime(added.body.urgent.ratify_by)}).`,
    );
  }
  const summary = foldCase(code, added.records, added.repo.config.deadlines, added.now);
  io.info(`Case ${code} is now ${summary.state}${summary.overdue ? io.err.red(" (overdue)") : ""}.`);
  for (const reason of summary.overdue_reasons) io.info(`  overdue: ${reason}`);
}
