/** `coc appeal <case>`: an appeal of the decision in force (flags, --from, or questions in a terminal). */
import { planAppeal, recordAppeal, validateBody } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface AppealOptions {
  code: string;
  by?: string | undefined;
  receivedAt?: string | undefined;
  grounds: string[];
  text?: string | undefined;
  from?: string | undefined;
}

export async function run(o: AppealOptions, io: Io): Promise<void> {
  const flagged = o.by !== undefined || o.receivedAt !== undefined || o.grounds.length > 0 || o.text !== undefined;
  if (o.from && flagged) throw new UsageError("give the appeal with --from or with flags, not both");
  const repo = await openRepo(io);
  let input: unknown;
  let source = "the flags";
  if (o.from) ({ value: input, source } = await io.readFrom(o.from));
  else if (o.by !== undefined && o.grounds.length > 0) input = { by: o.by, grounds: o.grounds, ...(o.receivedAt ? { received_at: o.receivedAt } : {}), ...(o.text ? { text: o.text } : {}) };
  else {
    const missing = [...(o.by === undefined ? ["--by <who>"] : []), ...(o.grounds.length === 0 ? ["--ground <ground>"] : [])];
    io.requirePrompting("appeal", [missing.join(" and "), "or --from <file|->"]);
    const p = io.ctx.prompter;
    const by = o.by ?? (await p.select({ id: "appeal.by", message: "Who appeals?", choices: [{ value: "reported" }, { value: "reporter" }, { value: "other" }] }));
    const who = by === "other" ? await p.input({ id: "appeal.by.other", message: "Who? (in general terms)", required: true }) : by;
    const grounds = o.grounds.length > 0 ? o.grounds : await p.checkbox({ id: "appeal.grounds", message: "On which grounds?", choices: repo.config.appeal_grounds.map((g) => ({ value: g })) });
    const text = o.text ?? (await p.longText({ id: "appeal.text", message: "The appeal, in their words or summarised (optional)" }));
    input = { by: who, grounds, ...(o.receivedAt ? { received_at: o.receivedAt } : {}), ...(text.trim() ? { text } : {}) };
    source = "your answers";
  }
  const body = validateBody("appeal", input, source);
  const plan = await planAppeal(repo, o.code, body, source, io.now());
  await confirmWarnings(io, plan.warnings, "Record the appeal anyway?");
  const result = await recordAppeal(repo, o.code, plan.body, source, io.now());
  if (io.json) io.printJson({ case: o.code, files: result.files });
  const days = repo.config.deadlines.appeal_decision_days;
  io.info(`Recorded the appeal in case ${io.err.bold(o.code)}, encrypted to ${result.recipients.join(", ")}. Decide it within ${days} days (coc appeal decide ${o.code}), by members who did not take the decision or by the oversight people.`);
  await sayNotShared(io, repo);
}
