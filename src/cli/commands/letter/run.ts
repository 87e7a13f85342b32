/**
 * `coc letter <case> --to reporter|reported [--kind ack|update|outcome]`: a
 * letter for a stage of the case, checked for everyone from the reports it
 * must not name before it is printed. The letter to the reported person needs
 * the reporter's agreement to contact them (or `--override`, recorded as a
 * signed note first). `--sent` (or the question, in a terminal) records that
 * it was sent, as a contact note.
 */
import {
  addRecords,
  buildLetter,
  buildStageLetter,
  consentOf,
  letterValues,
  openCase,
  publicSettingValues,
  readableTerms,
  recordOverride,
  render,
  requireConsent,
  type LetterKind,
  type LetterRecipient,
  type Repo,
} from "../../../core/index.js";
import { UsageError, UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { publish } from "../../output/publish.js";
import { templatesDir } from "../../paths.js";

export interface LetterOptions {
  code: string;
  to: LetterRecipient;
  kind?: LetterKind | undefined;
  /** The team's own words for an update letter. */
  text?: string | undefined;
  /** Record that the letter was sent (a contact note). */
  sent?: boolean | undefined;
  /** Go ahead without the reporter's agreement, for this reason (recorded as a signed note). */
  override?: string | undefined;
  out?: string | undefined;
  /** Terms accepted as ordinary words. */
  allow: string[];
}

const KIND_WORDS: Record<LetterKind, string> = { ack: "acknowledgement", update: "status update", outcome: "outcome letter" };

function checkFlags(o: LetterOptions): LetterKind {
  if (o.out !== undefined && o.out.trim() === "") throw new UsageError("--out needs a file name");
  const kind = o.kind ?? "outcome";
  if (o.to === "reported" && kind !== "outcome") throw new UsageError(`--kind ${kind} is a letter to the reporter; the reported person gets the outcome letter only`);
  if (o.text !== undefined && kind !== "update") throw new UsageError("--text is the team's message in a status update (--kind update)");
  if (o.override !== undefined && o.override.trim() === "") throw new UsageError('--override needs a reason: --override "<why the team must act without the reporter\'s agreement>"');
  if (o.override !== undefined && o.to !== "reported") throw new UsageError("--override is for the letter to the reported person (the reporter's agreement to contact them)");
  return kind;
}

export async function run(o: LetterOptions, io: Io): Promise<void> {
  const kind = checkFlags(o);
  const repo = await openRepo(io, { publishing: true });
  // Every record must be readable: the check is only as good as the reports it knows.
  const files = await openCase(repo, o.code);
  if (files.notForYou.length > 0) {
    throw new UserError(`some records of case ${o.code} are not encrypted to you, so the names in them cannot be checked; ask a member who can read the whole case`);
  }
  const records = files.records.map((x) => x.record);
  const consent = consentOf(files);
  const contactingReported = o.to === "reported";
  if (contactingReported) requireConsent(o.code, consent, "contact_reported", o.override);
  const overriding = contactingReported && o.override !== undefined && consent.contact_reported !== "yes";
  const letter = kind === "outcome" ? buildLetter(o.code, records, repo.config, o.to) : buildStageLetter(o.code, records, repo.config, kind, io.now(), o.text);
  const whom = o.to === "reporter" ? "the reporter" : "the reported person";
  await publish(io, {
    render: () => render(letter.template, letter.data, { dirs: [repo.paths.templates, templatesDir()], escape: false }),
    values: letterValues(o.code, letter.data),
    what: `${kind === "outcome" ? "letter" : KIND_WORDS[kind]} to ${whom} of case ${o.code}`,
    // The letter's own case, then every other readable case: its addressee may be named, nobody else.
    terms: [...letter.terms, ...(await readableTerms(repo, letter.except))],
    allow: o.allow,
    out: o.out,
    repoRoot: repo.paths.root,
    publicSettings: publicSettingValues(letter.data),
    fix: kind === "update" ? "(change --text)" : `(a new \`coc decide ${o.code}\` replaces it)`,
    beforeOutput: overriding
      ? async () => {
          await recordOverride(repo, o.code, "contact_reported", o.override!, consent, io.now());
          io.warn(`the reporter has not agreed to contacting the reported person; the override and its reason are recorded as a signed note in case ${o.code}`);
        }
      : undefined,
  });
  await recordSent(io, repo, o, kind);
}

/** `--sent`, or in a terminal the question: records a contact note, so the deadlines count the letter. */
async function recordSent(io: Io, repo: Repo, o: LetterOptions, kind: LetterKind): Promise<void> {
  let sent = o.sent === true;
  if (!sent && io.canPrompt && o.sent === undefined) {
    sent = await io.ctx.prompter.confirm({ id: "sent", message: `Record that you sent this ${KIND_WORDS[kind]} to ${o.to === "reporter" ? "the reporter" : "the reported person"} now?`, default: false });
  }
  if (!sent) return;
  const me = await repo.me();
  const body = {
    kind: o.to === "reporter" ? ("reporter-contact" as const) : ("reported-contact" as const),
    text: `Sent the ${KIND_WORDS[kind]} (coc letter --to ${o.to} --kind ${kind}).`,
    participants: [me.name],
    attendees: [],
  };
  await addRecords(repo, o.code, [{ type: "note", body, source: "--sent" }], { now: io.now(), message: `coc: note ${o.code}` });
  io.info(`Recorded that the ${KIND_WORDS[kind]} was sent (a ${body.kind} note in case ${o.code}).`);
}
