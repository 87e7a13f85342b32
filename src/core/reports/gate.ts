/**
 * The gate before public text leaves the team: the safety check on the text
 * exactly as it would be published. Nothing may be printed or written before
 * it passes.
 */
import { UserError } from "../errors.js";
import { blankPublicSettings, findSensitive, type SensitiveTerm } from "./safety.js";

export interface GateInput {
  /** The text exactly as it would be published. */
  text: string;
  /** What it is, for messages: "transparency report". */
  what: string;
  /** Names, contacts and handles from the cases' reports. */
  terms: readonly SensitiveTerm[];
  /** Terms the team accepts for this run (recorded nowhere). */
  allow: readonly string[];
  /** What to change when a term is found, e.g. "reword the resolution's transparency fields (coc resolve <case>)". */
  fix: string;
  /** The team's public settings in the text (contact, policy URL, event name): public by definition. */
  publicSettings?: readonly (string | null | undefined)[];
}

/**
 * Passes public text, or refuses it.
 * @throws UserError listing every term found (case, term, what it is: for the local terminal only).
 */
export function checkPublicText(input: GateInput): void {
  const hits = findSensitive(blankPublicSettings(input.text, input.publicSettings ?? []), input.terms, input.allow);
  if (hits.length === 0) return;
  const lines = hits.map((h) => `${h.case}: "${h.term}" (${h.what})${h.count > 1 ? ` ×${h.count}` : ""}`);
  throw new UserError(`the ${input.what} contains names, contacts or handles from the reports; nothing was printed or written:`, [
    ...lines,
    `To publish it, ${input.fix}; or, when a term is an ordinary word here, pass --allow <term> (repeatable).`,
  ]);
}
