/** `coc consent <case>`: a change of the reporter's consent, from flags, `--from` or the questions. */
import { consentLine, consentOf, createdIds, effectiveConsent, openCase, recordConsent, validateBody } from "../../../core/index.js";
import { consentFromFlags, type ConsentFlags } from "../../consent-flags.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { escapeTerminalLine as line } from "../../output/escape.js";
import { sayNotShared } from "../../output/not-shared.js";
import { consentQuestions } from "../../prompts/consent.js";

export interface ConsentOptions {
  code: string;
  flags: ConsentFlags;
  saidBy?: string | undefined;
  saidAt?: string | undefined;
  how?: string | undefined;
  from?: string | undefined;
}

export async function run(o: ConsentOptions, io: Io): Promise<void> {
  const fromFlags = consentFromFlags(o.flags);
  if (o.from && (fromFlags || o.saidBy || o.saidAt || o.how)) throw new UsageError("consent: give either --from or the flags, not both");
  if (!o.from && !fromFlags) io.requirePrompting("consent", ["--from <file|->", "or at least one of --contact-reported, --share, --public-statement, --transparency, --followup-channel, --followup-times"]);
  const repo = await openRepo(io);
  const now = io.now();
  let input: unknown;
  let source: string;
  if (o.from) {
    ({ value: input, source } = await io.readFrom(o.from));
  } else {
    let changes = fromFlags;
    if (!changes) {
      const current = consentOf(await openCase(repo, o.code));
      io.ctx.prompter.say(`In force now: ${consentLine(current)}`);
      changes = await consentQuestions(io.ctx.prompter, current);
    }
    input = { changes, said_by: o.saidBy ?? "reporter", ...(o.saidAt ? { said_at: o.saidAt } : {}), ...(o.how ? { how: o.how } : {}) };
    source = fromFlags ? "the flags" : "your answers";
  }
  const body = validateBody("consent", input, source);
  const result = await recordConsent(repo, o.code, body, source, now);
  const id = createdIds(result, 1)[0]!;
  if (io.json) io.printJson({ case: o.code, id });
  io.info(`Recorded the consent change ${id} in case ${io.err.bold(o.code)}, encrypted to ${result.recipients.join(", ")}.`);
  io.info(`  ${line(consentLine(effectiveConsent(result.records)))}`);
  await sayNotShared(io, repo);
}
