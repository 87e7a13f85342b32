/**
 * The gate before public text leaves the team (DESIGN.md §8): the safety
 * check on the data that goes into a public template, before it is rendered.
 * It checks what the team wrote (every string value of the template's data),
 * never the template's own fixed wording, so "we will not share" does not
 * trip over a person named Will. Nothing may be rendered, printed or written
 * before it passes.
 */
import { UserError } from "../errors.js";
import { blankPublicSettings, findSensitive, tooShort, type SensitiveTerm } from "./safety.js";

/** One string value of a template's data, and the record field it comes from. */
export interface PublicValue {
  value: string;
  /** For messages: "resolution.public.thing of case quiet-otter-42". */
  field: string;
}

/**
 * Every string value of `data` (walked recursively), but those at a path
 * `exempt` accepts (coc's own fixed wording, the team's public settings),
 * with the field `describe` names for its path ("entries.0.summary").
 */
export function publicValues(data: unknown, describe: (path: string) => string, exempt: (path: string) => boolean = () => false): PublicValue[] {
  const out: PublicValue[] = [];
  const walk = (v: unknown, path: string): void => {
    if (exempt(path)) return;
    if (typeof v === "string") out.push({ value: v, field: describe(path) });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(data, "");
  return out;
}

export interface GateInput {
  /** The values that go into the template. */
  values: readonly PublicValue[];
  /** What it is, for messages: "transparency report". */
  what: string;
  /** Names, contacts and handles from the reports of every readable case. */
  terms: readonly SensitiveTerm[];
  /** Terms the team accepts for this run (recorded nowhere). */
  allow: readonly string[];
  /** How a field is reworded, after its name: "(a new record of that type replaces it)". */
  fix: string;
  /** The team's public settings (contact, policy URL, event name): public by definition, blanked out inside values too. */
  publicSettings?: readonly (string | null | undefined)[];
}

export interface GateResult {
  /** Terms too short to check safely (a name part of one or two letters): a front end lists them. */
  skipped: SensitiveTerm[];
}

/**
 * Passes the values of public text, or refuses them.
 * @throws UserError listing every term found (case, term, what it is, the
 * field it is in: for the local terminal only) and the fields to reword.
 */
export function checkPublicText(input: GateInput): GateResult {
  const lines: string[] = [];
  const fields: string[] = [];
  for (const v of input.values) {
    const hits = findSensitive(blankPublicSettings(v.value, input.publicSettings ?? []), input.terms, input.allow);
    for (const h of hits) lines.push(`${h.case}: "${h.term}" (${h.what}) in ${v.field}${h.count > 1 ? ` ×${h.count}` : ""}`);
    if (hits.length > 0 && !fields.includes(v.field)) fields.push(v.field);
  }
  const seen = new Set<string>();
  const skipped = input.terms.filter((t) => {
    const id = `${t.case}\u0000${t.term.toLowerCase()}`;
    if (!tooShort(t) || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  if (lines.length === 0) return { skipped };
  throw new UserError(`the ${input.what} contains names, contacts or handles from the reports; nothing was printed or written:`, [
    ...lines,
    `To publish it, reword ${fields.join("; ")} ${input.fix}; or, when a term is an ordinary word here, pass --allow <term> (repeatable).`,
  ]);
}
