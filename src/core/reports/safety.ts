/**
 * The public-text safety check (announce, letter, transparency; DESIGN.md §8):
 * the terms that must not appear in public text, and where they occur in a
 * value. Terms come from the reports of every case the caller can read: the
 * names of the reporter, the people involved and the witnesses (whole, in
 * parts, and joined), their contacts and handles, and the e-mail addresses,
 * @handles, phone numbers and URLs found in the reports' free text. Both sides
 * are folded (./normalize.ts) before comparing; phone numbers are compared as
 * digits.
 */
import type { CocRecord } from "../records/schema.js";
import { countKey, phoneNumbers, samePhone, termKey, words } from "./normalize.js";

/** A term that must not appear in public text, and where it comes from (for the local error message only). */
export interface SensitiveTerm {
  term: string;
  case: string;
  /** What it is, e.g. "reporter name", "part of a person involved", "witness contact". */
  what: string;
  /** Compared as words (folded and joined), or as the digits of a phone number. */
  kind: "words" | "phone";
}

export interface SafetyHit extends SensitiveTerm {
  /** How often it occurs in the value. */
  count: number;
}

/** Name parts this short match too many ordinary words to check: they are listed as not checked. */
export const MIN_CHECKED = 3;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const HANDLE = /(?<![\p{L}\p{N}_.@])@[\p{L}\p{N}_](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}_])?/gu;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+/giu;
const PHONE_LIKE = /^[+\d\s().\-/]+$/;

/** A URL without its scheme, `www.` and trailing punctuation: what is compared. */
function bareUrl(u: string): string {
  return u.replace(/^[a-z]+:\/\//i, "").replace(/^www\./i, "").replace(/[/.,;:!?)]+$/, "");
}

class Terms {
  readonly list: SensitiveTerm[] = [];
  constructor(private readonly code: string) {}

  push(term: string, what: string, kind: SensitiveTerm["kind"] = "words"): void {
    const t = term.trim();
    if (t) this.list.push({ term: t, case: this.code, what, kind });
  }

  /** A contact: an address, a handle, a URL, a phone number, or else a name-like word. */
  contact(value: string | undefined, what: string): void {
    const v = value?.trim();
    if (!v) return;
    if (PHONE_LIKE.test(v) && phoneNumbers(v).length > 0) {
      for (const d of phoneNumbers(v)) this.push(d, what, "phone");
      return;
    }
    this.push(v, what);
    const email = /^([^@\s]+)@[^@\s]+$/.exec(v);
    if (email) this.push(email[1]!, `${what} (address name)`);
    const handle = /^@(.+)$/.exec(v);
    if (handle) this.push(handle[1]!, `${what} (handle)`);
    this.freeText(v, what);
  }

  /** A name: whole (its words joined too), and each of its words. */
  name(value: string | undefined, what: string): void {
    const v = value?.trim();
    if (!v) return;
    if (v.includes("@") || PHONE_LIKE.test(v)) return this.contact(v, what);
    this.push(v, what);
    const parts = v.split(/[^\p{L}\p{N}\p{M}\p{Cf}'\u2019\u02bc]+/u).filter(Boolean);
    const split = words(v);
    if (parts.length >= 2 || split.length >= 2) {
      for (const p of new Set([...parts, ...v.split(/[^\p{L}\p{N}\p{M}\p{Cf}]+/u).filter(Boolean)])) {
        if (termKey(p) !== termKey(v)) this.push(p, `part of a ${what}`);
      }
    }
  }

  /** Addresses, @handles, URLs and phone numbers in free text. */
  freeText(value: string | undefined, what: string): void {
    if (!value) return;
    for (const m of value.matchAll(EMAIL)) this.push(m[0], `address in the ${what}`);
    for (const m of value.replace(EMAIL, " ").matchAll(HANDLE)) {
      this.push(m[0], `handle in the ${what}`);
    }
    for (const m of value.matchAll(URL)) this.push(bareUrl(m[0]), `link in the ${what}`);
    for (const d of phoneNumbers(value.replace(URL, " "))) this.push(d, `phone number in the ${what}`, "phone");
  }
}

/**
 * Who a letter is addressed to, and so may be named in it: their own entries
 * are left out of the terms (matched by name, folded).
 */
export interface TermExceptions {
  /** Reporters (name and contact) with one of these names. */
  reporters?: readonly string[];
  /** People involved with one of these names. */
  people?: readonly string[];
}

function excepted(list: readonly string[] | undefined, name: string | undefined): boolean {
  return name !== undefined && termKey(name) !== "" && (list ?? []).some((n) => termKey(n) === termKey(name));
}

/** Every name, contact, handle, address, phone number and link in the reports of a case (but those of `except`, a letter's addressee). */
export function sensitiveTerms(code: string, records: readonly CocRecord[], except: TermExceptions = {}): SensitiveTerm[] {
  const t = new Terms(code);
  for (const r of records) {
    if (r.type !== "report") continue;
    const b = r.body;
    if (!excepted(except.reporters, b.reporter.name)) {
      t.name(b.reporter.name, "reporter name");
      t.contact(b.reporter.contact, "reporter contact");
    }
    for (const p of b.incident.people) {
      if (!excepted(except.people, p.name)) {
        t.name(p.name, "person involved");
        t.contact(p.contact, "contact of a person involved");
        for (const h of p.handles ?? []) t.contact(h, "handle of a person involved");
      }
      t.freeText(p.description, "description of a person involved");
    }
    for (const w of b.incident.witnesses) {
      t.name(w.name, "witness name");
      t.contact(w.contact, "witness contact");
    }
    t.freeText(b.incident.summary, "report summary");
    t.freeText(b.incident.description, "report description");
    t.freeText(b.incident.location, "report location");
    for (const l of b.incident.links) {
      if (URL.test(l) || l.includes("@")) t.freeText(l, "report links");
      else t.push(l, "report link");
      URL.lastIndex = 0;
    }
  }
  return t.list;
}

/** True for a term too short to check safely (a name part of one or two letters). */
export function tooShort(t: SensitiveTerm): boolean {
  return t.kind === "words" && termKey(t.term).length < MIN_CHECKED;
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
 * The sensitive terms that occur in `text` (folded, as whole words; phone
 * numbers as digits), minus those the team allowed (an ordinary word that is
 * also someone's name) and those too short to check (see `tooShort`).
 */
export function findSensitive(text: string, terms: readonly SensitiveTerm[], allow: readonly string[] = []): SafetyHit[] {
  const allowed = new Set(allow.map(termKey));
  const seen = new Set<string>();
  const textWords = words(text);
  const phones = phoneNumbers(text);
  const hits: SafetyHit[] = [];
  for (const t of terms) {
    const key = t.kind === "phone" ? t.term : termKey(t.term);
    const id = `${t.case}\u0000${t.kind}\u0000${key}`;
    if (seen.has(id) || allowed.has(termKey(t.term)) || tooShort(t)) continue;
    seen.add(id);
    const count = t.kind === "phone" ? phones.filter((p) => samePhone(p, key)).length : countKey(textWords, key);
    if (count > 0) hits.push({ ...t, count });
  }
  return hits;
}
