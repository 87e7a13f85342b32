/** `coc resolve <case>`: the resolution: who was told, the public statement, the transparency entry. */
import { foldCase, pendingActions } from "../../../core/index.js";
import { addRecord } from "../../add-record.js";
import type { Io } from "../../io.js";
import { resolutionQuestions } from "../../prompts/records.js";

export interface ResolveOptions {
  code: string;
  from?: string | undefined;
}

export async function run(o: ResolveOptions, io: Io): Promise<void> {
  const { code } = o;
  const added = await addRecord(io, {
    command: "resolve",
    type: "resolution",
    code,
    from: o.from,
    ask: (c) => resolutionQuestions(io.ctx.prompter, { now: c.now }),
  });
  const summary = foldCase(code, added.records, added.repo.config.deadlines, added.now);
  if (summary.state === "closed") {
    io.info(`Case ${code} is now closed.`);
    return;
  }
  // Why it is not closed yet: the rule of the case fold (reporter informed, every action done).
  const open: string[] = [];
  if (!added.body.reporter_informed_at) open.push("the reporter has not been told the outcome");
  const pending = pendingActions(added.records);
  if (pending.length > 0) open.push(`action${pending.length === 1 ? "" : "s"} not done yet: ${pending.map((a) => `${a.index} (${a.level})`).join(", ")} (coc followup ${code})`);
  io.info(`Case ${code} is now ${summary.state}, not closed: ${open.join("; ") || "see coc show"}.`);
}
