/** `coc followup <case>`: progress on one action of the decision in force. */
import { addRecord, type AskContext } from "../../add-record.js";
import { UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { localTime } from "../../output/format.js";
import { followupQuestions } from "../../prompts/records.js";

export interface FollowupOptions {
  code: string;
  from?: string | undefined;
}

export async function run(o: FollowupOptions, io: Io): Promise<void> {
  await addRecord(io, {
    command: "followup",
    type: "followup",
    code: o.code,
    from: o.from,
    ask: (c) => followupQuestions(io.ctx.prompter, { actions: actionChoices(o.code, c), now: c.now }),
  });
}

/**
 * The actions of the decision in force as the question lists them, each marked done when a follow-up says so.
 * @throws UserError when the decision in force has no actions.
 */
function actionChoices(code: string, c: AskContext): { label: string; done: boolean }[] {
  if (c.rules.actions.length === 0) {
    throw new UserError(`case ${code} has no actions to follow up: the decision in force has none (record one with \`coc decide ${code}\`)`);
  }
  const followups = c.files.records.flatMap(({ record }) => (record.type === "followup" && record.body.done_at ? [record.body.action] : []));
  return c.rules.actions.map((a, i) => {
    const { level, detail, owner, due } = a as { level: string; detail?: string; owner?: string; due?: string };
    const label = [detail ? `${level}: ${detail}` : level, owner ? `owner ${owner}` : "", due ? `due ${localTime(due)}` : ""].filter(Boolean).join(", ");
    const done = followups.some((f) => f === i || (typeof f === "string" && f.trim().toLowerCase() === level.trim().toLowerCase()));
    return { label, done };
  });
}
