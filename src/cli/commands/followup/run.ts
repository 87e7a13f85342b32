/** `coc followup <case>`: progress on one action of the decision in force, or a check-in of its plan. */
import { addRecord, type AskContext } from "../../add-record.js";
import { UsageError, UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { localTime } from "../../output/format.js";
import { followupQuestions } from "../../prompts/records.js";

export interface FollowupOptions {
  code: string;
  from?: string | undefined;
  /** The action, by index (from 0) or level. */
  action?: string | undefined;
  /** A check-in of the plan, by index (from 0). */
  checkIn?: string | undefined;
  /** Done now. */
  done?: boolean | undefined;
  doneAt?: string | undefined;
  text?: string | undefined;
}

/** The follow-up body the flags give, or undefined without any. @throws UsageError for flags that contradict each other. */
function fromFlags(o: FollowupOptions): Record<string, unknown> | undefined {
  const any = o.action !== undefined || o.checkIn !== undefined || o.done || o.doneAt !== undefined || o.text !== undefined;
  if (!any) return undefined;
  if (o.from) throw new UsageError("followup: give either --from or the flags, not both");
  if ((o.action === undefined) === (o.checkIn === undefined)) throw new UsageError("followup: name either --action <n|level> or --check-in <n>");
  if (o.done && o.doneAt !== undefined) throw new UsageError("followup: --done and --done-at contradict each other");
  const body: Record<string, unknown> = {};
  if (o.action !== undefined) body["action"] = /^\d+$/.test(o.action.trim()) ? Number(o.action) : o.action;
  if (o.checkIn !== undefined) {
    if (!/^\d+$/.test(o.checkIn.trim())) throw new UsageError(`--check-in must be a check-in's index from 0 (got "${o.checkIn}")`);
    body["check_in"] = Number(o.checkIn);
  }
  if (o.doneAt !== undefined) body["done_at"] = o.doneAt;
  if (o.text !== undefined) body["text"] = o.text;
  return body;
}

export async function run(o: FollowupOptions, io: Io): Promise<void> {
  const flags = fromFlags(o);
  await addRecord(io, {
    command: "followup",
    type: "followup",
    code: o.code,
    from: o.from,
    given: flags,
    flags: "--action <n|level> or --check-in <n> (with --done, --done-at or --text)",
    finish: (body, c) => (o.done && !body.done_at ? { ...body, done_at: c.now.toISOString().replace(/\.\d{3}Z$/, "Z") } : body),
    ask: (c) => followupQuestions(io.ctx.prompter, { actions: actionChoices(o.code, c), checkIns: checkInChoices(c), now: c.now }),
  });
}

/** The check-ins of the plan in force as the question lists them, each marked done when recorded. */
function checkInChoices(c: AskContext): { label: string; done: boolean }[] {
  const recorded = c.files.records.flatMap(({ record }) => (record.type === "followup" && record.body.check_in !== undefined ? [record.body.check_in] : []));
  return (c.rules.checkIns ?? []).map((k, i) => ({ label: `${k.what}, due ${localTime(k.due)}`, done: recorded.includes(i) }));
}

/**
 * The actions of the decision in force as the question lists them, each marked done when a follow-up says so.
 * @throws UserError when the decision in force has no actions and its plan no check-ins.
 */
function actionChoices(code: string, c: AskContext): { label: string; done: boolean }[] {
  if (c.rules.actions.length === 0 && (c.rules.checkIns ?? []).length === 0) {
    throw new UserError(`case ${code} has no actions to follow up: the decision in force has none (record one with \`coc decide ${code}\`)`);
  }
  const followups = c.files.records.flatMap(({ record }) => (record.type === "followup" && record.body.done_at && record.body.action !== undefined ? [record.body.action] : []));
  return c.rules.actions.map((a, i) => {
    const { level, detail, owner, due } = a as { level: string; detail?: string; owner?: string; due?: string };
    const label = [detail ? `${level}: ${detail}` : level, owner ? `owner ${owner}` : "", due ? `due ${localTime(due)}` : ""].filter(Boolean).join(", ");
    const done = followups.some((f) => f === i || (typeof f === "string" && f.trim().toLowerCase() === level.trim().toLowerCase()));
    return { label, done };
  });
}
