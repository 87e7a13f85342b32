/**
 * The public-text safety check (announce, letter, transparency): before any
 * public text is printed, it is searched for every name, contact and handle
 * found in the reports of the cases it covers (reporter, people involved,
 * witnesses), as whole words and case-insensitively, and also for the parts
 * of multi-word names. A hit means the text must not be published as it is.
 */
import type { CocRecord } from "../records/schema.js";

/** A term that must not appear in public text, and where it comes from (for the local error message only). */
export interface SensitiveTerm {
  term: string;
  case: string;
  /** What it is, e.g. "reporter name", "person involved", "witness contact". */
  what: string;
}

export interface SafetyHit extends SensitiveTerm {
  /** How often it occurs in the text. */
  count: number;
}

function add(out: SensitiveTerm[], value: string | undefined, code: string, what: string): void {
  const term = value?.trim();
  if (!term) return;
  out.push({ term, case: code, what });
  const words = term.split(/\s+/).filter(Boolean);
  if (words.length >= 2 && !term.includes("@")) {
    for (const w of words) {
      const part = w.replace(/^[^\p{L}\p{N}@]+|[^\p{L}\p{N}]+$/gu, "");
      if (part.length >= 2) out.push({ term: part, case: code, what: `part of a ${what}` });
    }
  }
  // A handle such as @pat, or an address: the bare handle and the address's name part too.
  const handle = /^@([\p{L}\p{N}._-]{2,})$/u.exec(term);
  if (handle) out.push({ term: handle[1]!, case: code, what: `${what} (handle)` });
  const email = /^([^@\s]{2,})@[^@\s]+$/.exec(term);
  if (email) out.push({ term: email[1]!, case: code, what: `${what} (address name)` });
}

/**
 * Who a letter is addressed to, and so may be named in it: their own entries
 * are left out of the terms (matched by name, case- and space-insensitively).
 */
export interface TermExceptions {
  /** Reporters (name and contact) with one of these names. */
  reporters?: readonly string[];
  /** People involved with one of these names. */
  people?: readonly string[];
}

const sameName = (a: string) => a.trim().replace(/\s+/g, " ").toLowerCase();
function excepted(list: readonly string[] | undefined, name: string | undefined): boolean {
  return name !== undefined && name.trim() !== "" && (list ?? []).some((n) => sameName(n) === sameName(name));
}

/** Every name, contact and handle in the reports of a case (but those of `except`, a letter's addressee). */
export function sensitiveTerms(code: string, records: readonly CocRecord[], except: TermExceptions = {}): SensitiveTerm[] {
  const out: SensitiveTerm[] = [];
  for (const r of records) {
    if (r.type !== "report") continue;
    const b = r.body;
    if (!excepted(except.reporters, b.reporter.name)) {
      add(out, b.reporter.name, code, "reporter name");
      add(out, b.reporter.contact, code, "reporter contact");
    }
    for (const p of b.incident.people) if (!excepted(except.people, p.name)) add(out, p.name, code, "person involved");
    for (const w of b.incident.witnesses) {
      add(out, w.name, code, "witness name");
      add(out, w.contact, code, "witness contact");
    }
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * `text` with every occurrence of the team's own public settings (contact,
 * policy URL, event name) blanked out, for the check only: they are public by
 * definition, and must not make it refuse "care@example.org" because a report
 * names "Pat Example".
 */
export function blankPublicSettings(text: string, values: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const v of values) {
    const value = v?.trim();
    if (value) out = out.replace(new RegExp(escape(value), "giu"), " ".repeat(value.length));
  }
  return out;
}

/**
 * The sensitive terms that occur in `text` as whole words (case-insensitive),
 * minus those the team allowed (an ordinary word that is also someone's name).
 */
export function findSensitive(text: string, terms: readonly SensitiveTerm[], allow: readonly string[] = []): SafetyHit[] {
  const allowed = new Set(allow.map((a) => a.trim().toLowerCase()));
  const seen = new Set<string>();
  const hits: SafetyHit[] = [];
  for (const t of terms) {
    const key = `${t.case}\u0000${t.term.toLowerCase()}`;
    if (seen.has(key) || allowed.has(t.term.toLowerCase())) continue;
    seen.add(key);
    const re = new RegExp(`(?<![\\p{L}\\p{N}_])${escape(t.term)}(?![\\p{L}\\p{N}_])`, "giu");
    const count = text.match(re)?.length ?? 0;
    if (count > 0) hits.push({ ...t, count });
  }
  return hits;
}
