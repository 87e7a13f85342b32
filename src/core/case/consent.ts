/**
 * The reporter's consent, carried into every step (issue 14). A report may
 * hold a `consent` block; a later `consent` record changes part of it. The
 * consent in force folds them in time order, newest wins per field, with one
 * exception: a further report of the same case (another reporter) can only
 * make a field stricter than an earlier report made it, never looser, so one
 * reporter's "yes" never overrides another's "no". A later `consent` record
 * is an explicit change and always wins.
 *
 * A field nobody recorded (every report taken before coc asked) is "not
 * recorded": it never counts as agreement. Contacting the reported person, a
 * public statement and describing the case in the transparency report need
 * an explicit "yes" (or an override with a reason, recorded as a signed note).
 */
import { UserError } from "../errors.js";
import { sortRecords } from "../records/order.js";
import { outOfCase } from "./audience.js";
import { SHARE_TARGETS, type CocRecord, type ConsentBlock } from "../records/schema.js";

type Answer = "yes" | "no" | "ask";
type ShareTarget = (typeof SHARE_TARGETS)[number];

/** The consent in force; `null` is "not recorded". */
export interface Consent {
  contact_reported: Answer | null;
  share: Record<ShareTarget, Answer | null>;
  public_statement: Answer | null;
  transparency: "yes" | "no" | null;
  followup: { channel: string | null; times: string | null };
  /** False when no report and no consent record says anything about consent. */
  recorded: boolean;
  /** The latest change recorded after the report: who said it, when, how. */
  last_change: { said_by: string; said_at: string; how: string | null } | null;
}

/** The three steps that need an explicit "yes". */
export type ConsentGate = "contact_reported" | "public_statement" | "transparency";

const STRICTNESS: Record<string, number> = { yes: 0, ask: 1, no: 2 };

function stricter<T extends string>(before: T | null, next: T | undefined): T | null {
  if (next === undefined) return before;
  if (before === null) return next;
  return (STRICTNESS[next] ?? 0) >= (STRICTNESS[before] ?? 0) ? next : before;
}

function empty(): Consent {
  return {
    contact_reported: null,
    share: { venue: null, security: null, police: null, umbrella: null, mediator: null },
    public_statement: null,
    transparency: null,
    followup: { channel: null, times: null },
    recorded: false,
    last_change: null,
  };
}

function apply(c: Consent, block: ConsentBlock, merge: <T extends string>(before: T | null, next: T | undefined) => T | null): void {
  c.recorded = true;
  c.contact_reported = merge(c.contact_reported, block.contact_reported);
  for (const t of SHARE_TARGETS) c.share[t] = merge(c.share[t], block.share?.[t]);
  c.public_statement = merge(c.public_statement, block.public_statement);
  c.transparency = merge(c.transparency, block.transparency);
  if (block.followup?.channel !== undefined) c.followup.channel = block.followup.channel;
  if (block.followup?.times !== undefined) c.followup.times = block.followup.times;
}

const newest = <T extends string>(before: T | null, next: T | undefined): T | null => (next === undefined ? before : next);

/**
 * The consent in force for a case: the reports' `consent` blocks, then every
 * later `consent` record, in time order (see the module comment), leaving out
 * consent records written by a member the case excludes or recuses. Pure;
 * pass verified records only.
 */
export function effectiveConsent(records: readonly CocRecord[]): Consent {
  const c = empty();
  let reports = 0;
  // A member the case excludes (named in it) or recuses cannot record what the reporter agreed to.
  const { excluded, recused } = outOfCase(records);
  const out = new Set([...excluded, ...recused]);
  for (const r of sortRecords(records)) {
    if (r.type === "consent" && out.has(r.author)) continue;
    if (r.type === "report") {
      if (r.body.consent) apply(c, r.body.consent, reports === 0 ? newest : stricter);
      reports++;
    } else if (r.type === "consent") {
      apply(c, r.body.changes, newest);
      c.last_change = { said_by: r.body.said_by, said_at: r.body.said_at ?? r.created_at, how: r.body.how ?? null };
    }
  }
  return c;
}

/** True only for an explicit "yes". */
export function consentAllows(c: Consent, gate: ConsentGate): boolean {
  return c[gate] === "yes";
}

const GATE_TEXT: Record<ConsentGate, { what: string; flag: string; command: string }> = {
  contact_reported: { what: "the team contacting the reported person", flag: "--contact-reported yes", command: "letter" },
  public_statement: { what: "a public statement", flag: "--public-statement yes", command: "announce" },
  transparency: { what: "describing the case in the transparency report", flag: "--transparency yes", command: "transparency" },
};

/** Why a step is not agreed, in words, or null when it is. */
export function consentProblem(code: string, c: Consent, gate: ConsentGate): string | null {
  const v = c[gate];
  const { what, flag } = GATE_TEXT[gate];
  if (v === "yes") return null;
  const record = `coc consent ${code} ${flag} --said-by reporter --how "<how they said it>"`;
  if (v === null) {
    return `the reporter's consent to ${what} is not recorded for case ${code}${c.recorded ? "" : " (its report was taken before coc asked for consent)"}; ask them, and record their answer with: ${record}`;
  }
  if (v === "ask") return `the reporter asked to be asked first about ${what} (case ${code}); ask them, and record their answer with: ${record}`;
  return `the reporter did not agree to ${what} (case ${code}); respect it, or record a change they made with: ${record}`;
}

/**
 * Refuses a step the reporter has not agreed to, unless overridden.
 * @param override the reason given with `--override`, if any.
 * @throws UserError saying what is missing, how to record consent, and how to override.
 */
export function requireConsent(code: string, c: Consent, gate: ConsentGate, override: string | undefined): void {
  const problem = consentProblem(code, c, gate);
  if (problem === null || (override !== undefined && override.trim() !== "")) return;
  throw new UserError(`${problem}; or, when the team must act without it, pass --override "<reason>" (recorded as a signed note in the case)`);
}

/** The text of the signed note an override leaves in the case. */
export function overrideNote(gate: ConsentGate, reason: string, c: Consent): string {
  const was = c[gate] ?? "not recorded";
  return `override of the reporter's consent (${gate}, which was: ${was}) for coc ${GATE_TEXT[gate].command}: ${reason.trim()}`;
}

const word = (v: string | null) => v ?? "not recorded";

/** One line for `show` and `review`: "consent: contact reported: no · share: venue yes, police ask, … · public statement: …". */
export function consentLine(c: Consent): string {
  if (!c.recorded) return "consent: not recorded (a report from before coc asked; record it with coc consent <case>)";
  const share = SHARE_TARGETS.map((t) => `${t} ${word(c.share[t])}`).join(", ");
  const follow = [c.followup.channel, c.followup.times].filter(Boolean).join(", ");
  const parts = [`contact reported person: ${word(c.contact_reported)}`, `share: ${share}`, `public statement: ${word(c.public_statement)}`, `transparency: ${word(c.transparency)}`];
  if (follow) parts.push(`follow-up: ${follow}`);
  return `consent: ${parts.join(" · ")}`;
}
