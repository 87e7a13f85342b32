/**
 * How the public-text check and the intake compare names (DESIGN.md §8):
 * both sides are folded the same way before any comparison, so that a name
 * cannot slip through spelled differently, and a name's words can be joined
 * ("PatDoe", "Pat_Doe", "ONeil") or split ("O Neil") without escaping it.
 */

/** Common look-alikes of Latin letters (after lower-casing): Cyrillic, Greek, and a few others. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: "a", в: "b", е: "e", ё: "e", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  ѕ: "s", і: "i", ї: "i", ј: "j", һ: "h", ԁ: "d", ԛ: "q", ԝ: "w", ӏ: "l", ү: "y", ɡ: "g", ı: "i", ȷ: "j",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ω: "w", ς: "s", ϲ: "c",
  ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", ł: "l", þ: "th",
};
const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join("")}]`, "gu");

/**
 * `s` folded for comparison: NFKC (fullwidth and other compatibility forms),
 * lower case, invisible and format characters (zero-width spaces, joiners,
 * soft hyphens, bidi marks) dropped, diacritics removed, look-alike letters
 * mapped to their Latin twins.
 */
export function fold(s: string): string {
  const lowered = s.normalize("NFKC").toLowerCase().replace(/[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/gu, "");
  const bare = lowered.normalize("NFD").replace(/\p{M}+/gu, "");
  return bare.replace(CONFUSABLE, (ch) => CONFUSABLES[ch]!).normalize("NFC");
}

/** The words of `s` once folded: runs of letters and digits (spaces, hyphens, apostrophes, underscores and punctuation separate them). */
export function words(s: string): string[] {
  return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

const keys = new Map<string, string>();

/** A term's comparison key: its folded words joined ("Pat O'Neil-Doe" → "patoneildoe"). */
export function termKey(s: string): string {
  // The public-text check compares every value against every term of every case: fold each term once.
  let key = keys.get(s);
  if (key === undefined) {
    key = words(s).join("");
    if (keys.size >= 50_000) keys.clear();
    keys.set(s, key);
  }
  return key;
}

/**
 * How often `key` occurs in `text` as whole words: as one word, or as several
 * consecutive words joined ("pat doe", "pat_doe", "patdoe" for "patdoe").
 */
export function countKey(textWords: readonly string[], key: string): number {
  if (key === "") return 0;
  let count = 0;
  for (let i = 0; i < textWords.length; i++) {
    let joined = "";
    for (let j = i; j < textWords.length && joined.length < key.length; j++) {
      joined += textWords[j];
      if (joined === key) {
        count++;
        break;
      }
    }
  }
  return count;
}

/** A date, not a phone number: 2026-06-01, 01.06.2026, 1/6/26. */
const DATE_LIKE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

/** Runs that look like phone numbers (digits with spaces, dots, dashes, slashes, brackets, a leading +), as their digits: 6 or more. */
export function phoneNumbers(s: string): string[] {
  const digits = fold(s).replace(/[^\S\n]+/g, " ");
  return [...digits.matchAll(/\+?\(?\d[\d ().\-/]*\d/g)]
    .map((m) => m[0].trim())
    .filter((run) => !DATE_LIKE.test(run))
    .map((run) => run.replace(/\D/g, ""))
    .filter((d) => d.length >= 6);
}

/** True when two phone numbers (digits only) are the same number: equal, or (9 digits or more) one is the other without its country or trunk prefix. */
export function samePhone(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a.replace(/^0+/, ""), b] : [b.replace(/^0+/, ""), a];
  return short.length >= 9 && long.endsWith(short);
}
