/** `coc appeal decide <case>`: the outcome of an appeal (flags, --from, or questions in a terminal). */
import { APPEAL_RESULTS, recordAppealOutcome, validateBody } from "../../../core/index.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface AppealDecideOptions {
  code: string;
  result?: string | undefined;
  decidedBy: string[];
  reasoning?: string | undefined;
  decidedAt?: string | undefined;
  appeal?: string | undefined;
  from?: string | undefined;
}

export async function run(o: AppealDecideOptions, io: Io): Promise<void> {
  const flagged = o.result !== undefined || o.decidedBy.length > 0 || o.reasoning !== undefined || o.decidedAt !== undefined || o.appeal !== undefined;
  if (o.from && flagged) throw new UsageError("give the outcome with --from or with flags, not both");
  const repo = await openRepo(io);
  let input: unknown;
  let source = "the flags";
  const extra = { ...(o.decidedAt ? { decided_at: o.decidedAt } : {}), ...(o.appeal ? { appeal: o.appeal } : {}) };
  if (o.from) ({ value: input, source } = await io.readFrom(o.from));
  else if (o.result !== undefined && o.decidedBy.length > 0) input = { result: o.result, decided_by: o.decidedBy, ...(o.reasoning ? { reasoning: o.reasoning } : {}), ...extra };
  else {
    const missing = [...(o.result === undefined ? ["--result <result>"] : []), ...(o.decidedBy.length === 0 ? ["--decided-by <name>"] : [])];
    io.requirePrompting("appeal decide", [missing.join(" and "), "or --from <file|->"]);
    const p = io.ctx.prompter;
    const result = o.result ?? (await p.select({ id: "appeal_outcome.result", message: "The outcome", choices: APPEAL_RESULTS.map((value) => ({ value })) }));
    const names = [...repo.roster(), ...repo.oversight.people.map((x) => x.name)];
    const decidedBy = o.decidedBy.length > 0 ? o.decidedBy : await p.checkbox({ id: "appeal_outcome.decided_by", message: "Who decided the appeal?", choices: names.map((value) => ({ value })) });
    const reasoning = o.reasoning ?? (await p.longText({ id: "appeal_outcome.reasoning", message: "The reasoning (optional)" }));
    input = { result, decided_by: decidedBy, ...(reasoning.trim() ? { reasoning } : {}), ...extra };
    source = "your answers";
  }
  const body = validateBody("appeal_outcome", input, source);
  const result = await recordAppealOutcome(repo, o.code, body, source, io.now());
  // Recorded anyway: the warning tells the team, and anyone reading the case later, how it was decided.
  for (const w of result.warnings) io.warn(w);
  if (io.json) io.printJson({ case: o.code, files: result.files, warnings: result.warnings });
  io.info(`Recorded the appeal's outcome (${body.result}) in case ${io.err.bold(o.code)}, encrypted to ${result.recipients.join(", ")}.`);
  await sayNotShared(io, repo);
}
