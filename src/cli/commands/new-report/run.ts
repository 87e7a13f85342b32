/** `coc new-report`: the intake, interactive, from a YAML body, a form submission or an e-mail. */
import { addReport, adviceFor, attachEvidence, MAX_EML_BYTES, MAX_SUBMISSION_BYTES, openSubmission, parseEmailReport, prepareEvidence, validateBody, type EmailReport } from "../../../core/index.js";
import { UsageError } from "../../errors.js";
import { sayEscalation } from "../../output/escalation.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { consentFromFlags, mergeConsent, type ConsentFlags } from "../../consent-flags.js";
import { intake, type IntakePrefill } from "../../prompts/intake.js";
import { sayNotShared } from "../../output/not-shared.js";
import { sayAttached } from "../attach/run.js";

export interface NewReportOptions {
  from?: string | undefined;
  fromAge?: string | undefined;
  fromEml?: string | undefined;
  case?: string | undefined;
  /** Members the report names who may still read the case (otherwise excluded). */
  includeMember?: string[] | undefined;
  /** Keep image metadata of an e-mail's attachments. */
  keepMetadata?: boolean | undefined;
  /** The reporter's consent as flags (laid over the consent block of any other source). */
  consent?: ConsentFlags | undefined;
}

export async function run(o: NewReportOptions, io: Io): Promise<void> {
  const given = [o.from && "--from", o.fromAge && "--from-age", o.fromEml && "--from-eml"].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(" and ")} cannot be used together: a report comes from one source`);
  const repo = await openRepo(io);
  const now = io.now();
  const me = await repo.me();
  const roster = repo.roster();
  const consent = consentFromFlags(o.consent ?? {});
  const interview = (prefill?: IntakePrefill) =>
    intake(io.ctx.prompter, {
      me: me.name,
      members: roster,
      now,
      prefill,
      consent,
      describeRecipients: (excluded) => {
        if (o.case) return `the members of case ${o.case}${excluded.length ? ` except ${excluded.join(", ")}` : ""}`;
        return roster.filter((n) => !excluded.includes(n)).join(", ");
      },
    });
  let input: unknown;
  let source: string;
  let email: EmailReport | undefined;
  if (o.fromAge) {
    const read = await io.readBytes(o.fromAge, "--from-age", MAX_SUBMISSION_BYTES);
    source = read.source;
    input = await openSubmission(repo, read.bytes, source);
  } else if (o.fromEml) {
    const read = await io.readBytes(o.fromEml, "--from-eml", MAX_EML_BYTES);
    source = read.source;
    email = await parseEmailReport(read.bytes, source);
    if (io.canPrompt) {
      const { draft } = email;
      io.info(`From the message: ${email.attachments.length} attachment(s) become evidence files of the case.`);
      input = await interview({ received_at: email.date, channel: "email", reporter_name: draft.reporter.name, reporter_contact: draft.reporter.contact, summary: draft.incident.summary, description: draft.incident.description });
      source = "the intake";
    } else {
      input = { ...email.draft, received_by: me.name };
    }
  } else if (o.from) {
    ({ value: input, source } = await io.readFrom(o.from));
  } else {
    io.requirePrompting("new-report", ["--from <file|->", "--from-age <file|->", "--from-eml <file|->"]);
    input = await interview();
    source = "the intake";
  }
  if (consent && input !== null && typeof input === "object" && !Array.isArray(input)) {
    const draft = input as Record<string, unknown>;
    input = { ...draft, consent: mergeConsent(draft["consent"], consent) };
  }
  const body = validateBody("report", input, source);
  if (o.fromAge) {
    // The reporter filled the form; the member importing it received it.
    body.received_by = me.name;
    body.channel ??= "online-form";
    body.received_at ??= now.toISOString().replace(/\.\d{3}Z$/, "Z");
  }
  // Every attachment is checked and cleaned before the report is stored: one that cannot be (too large, a malformed image) leaves nothing recorded.
  const prepared = prepareEvidence(repo, email?.attachments ?? [], { keepMetadata: o.keepMetadata, nothing: "nothing was recorded" });
  const result = await addReport(repo, body, { caseCode: o.case, now, includeMembers: o.includeMember });
  for (const m of result.excludedNamed) {
    io.warn(`the report names team member ${m.member} (${m.as}: "${m.name}"), so the case is not encrypted to them; if that is wrong, record it again with --include-member ${m.member}`);
  }
  if (io.json) io.printJson({ case: result.case });
  else io.print(result.case);
  io.info(`${o.case ? "Added a report to" : "Recorded a new report as"} case ${io.err.bold(result.case)}, encrypted to ${result.recipients.join(", ")}.`);
  if (result.removedFromCase.length > 0) {
    io.info(`Re-encrypted the case without ${result.removedFromCase.join(", ")}. Copies they already pulled stay readable to them (git history keeps old ciphertexts).`);
  }
  if (prepared.length > 0) {
    const attached = await attachEvidence(repo, result.case, { prepared }, { now, keepMetadata: o.keepMetadata, source: "e-mail attachment" });
    const numbers = new Map(attached.records.flatMap((r) => (r.type === "evidence" ? [r.id] : [])).map((id, i) => [id, i + 1]));
    sayAttached(io, result.case, attached.attached, numbers, Boolean(o.keepMetadata));
  }
  if (email) io.info("The original message is still in your mail client (and on its server): delete it there once you no longer need it, and empty the trash.");
  if (o.fromAge && o.fromAge !== "-") io.info(`The submission file ${o.fromAge} is encrypted; delete it, or keep it where only you can read it.`);
  sayEscalation(io, adviceFor(repo, result.case, result.records));
  await sayNotShared(io, repo);
}
