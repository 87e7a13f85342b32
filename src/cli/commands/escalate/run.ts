/** `coc escalate <case> --to <name>...`: the case (or a summary) to oversight people, in one commit. */
import { consentOf, escalate, openCase, requireOverseers, UserError, type Repo } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface EscalateOptions {
  code: string;
  to: string[];
  reason?: string | undefined;
  summaryOnly: boolean;
  text?: string | undefined;
  from?: string | undefined;
}

/** The summary's text and reason: --text, --from, or typed in a terminal. */
async function summaryInput(o: EscalateOptions, io: Io): Promise<{ text: string; reason: string | undefined }> {
  if (o.text !== undefined && o.from !== undefined) throw new UsageError("give the summary with --text or --from, not both");
  if (o.text !== undefined) return { text: o.text, reason: o.reason };
  if (o.from !== undefined) {
    const { value, source } = await io.readFrom(o.from);
    const v = value as { text?: unknown; reason?: unknown };
    if (typeof value !== "object" || typeof v.text !== "string") throw new UserError(`${source}: text: expected the summary's text (a mapping with text and, optionally, reason)`);
    return { text: v.text, reason: typeof v.reason === "string" ? v.reason : o.reason };
  }
  io.requirePrompting("escalate --summary-only", ["--text <text>", "--from <file|->"]);
  const text = await io.ctx.prompter.longText({ id: "summary.text", message: "What do you tell them? (only this summary is given to them, not the case)", required: true });
  return { text, reason: o.reason };
}

/**
 * What the reporter said about sharing the case with people of these roles
 * (an oversight body counts as an umbrella organisation, a mediator as a
 * mediator): a "no" is said before anything is given to them. Escalation is
 * the team's own safeguard, so it is not refused; the team decides, warned.
 */
async function consentWarnings(repo: Repo, code: string, to: readonly string[]): Promise<string[]> {
  const consent = consentOf(await openCase(repo, code));
  const out: string[] = [];
  for (const name of to) {
    const role = repo.overseer(name)?.role;
    if (!role) continue;
    const target = role === "mediator" ? "mediator" : "umbrella";
    const answer = consent.share[target];
    if (answer === "no") out.push(`the reporter did not agree to sharing case ${code} with ${target === "mediator" ? "a mediator" : "an umbrella organisation or oversight body"} (${name}, ${role}); record a change with coc consent ${code} --share ${target}=yes if they agree`);
    else if (answer === "ask") out.push(`the reporter asked to be asked first before case ${code} is shared with ${target === "mediator" ? "a mediator" : "an umbrella organisation or oversight body"} (${name}, ${role})`);
  }
  return out;
}

export async function run(o: EscalateOptions, io: Io): Promise<void> {
  if (!o.summaryOnly && (o.text !== undefined || o.from !== undefined)) throw new UsageError("--text and --from hold a summary: use them with --summary-only");
  const repo = await openRepo(io);
  requireOverseers(repo, o.to);
  const consent = await consentWarnings(repo, o.code, o.to);
  const summary = o.summaryOnly ? await summaryInput(o, io) : undefined;
  if (o.summaryOnly && consent.length > 0) await confirmWarnings(io, consent, "Write the summary for them anyway?");
  if (!o.summaryOnly) {
    await confirmWarnings(io, [...consent, `escalating gives ${o.to.join(", ")} every record of case ${o.code}, earlier ones included, and every record written in it from now on; what they receive stays readable to them`], "Escalate the case?");
  }
  const result = await escalate(repo, o.code, { to: o.to, reason: summary?.reason ?? o.reason, summaryOnly: o.summaryOnly, text: summary?.text }, io.now());
  if (io.json) io.printJson({ case: result.case, to: result.to, summary: result.summary, recipients: result.recipients });
  if (result.already.length > 0 && !result.summary) io.info(`Case ${o.code} was already escalated to ${result.already.join(", ")}.`);
  if (result.summary) {
    io.info(`Wrote a summary of case ${io.err.bold(o.code)} for ${result.to.join(", ")} (encrypted to them and ${result.recipients.join(", ")}); the rest of the case stays unreadable to them.`);
  } else {
    io.info(`Escalated case ${io.err.bold(o.code)} to ${result.to.join(", ")}: ${result.files.length - 1} earlier record(s) re-encrypted, now read by ${result.recipients.join(", ")}. Records written in the case from now on are encrypted to them too.`);
  }
  io.info(`They read it with their own identity in a clone of the repository: coc show ${o.code} (run coc sync to share it).`);
  await sayNotShared(io, repo);
}
