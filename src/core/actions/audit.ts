/**
 * `coc export --audit <case> --to <name>`: the case as one document for an
 * oversight person, encrypted to them alone (one age file). Built and
 * encrypted in memory: the plaintext bundle never touches disk.
 *
 * The reporter's identity is left out (their name and contact, and every
 * occurrence of them in the text of any record) unless `includeReporter` is
 * asked for and the reporter's consent in force (the reports' blocks and later
 * `consent` records, see ../case/consent.ts) allows sharing with this person
 * (`share.umbrella: yes`, or `share.mediator: yes` for a mediator). Consent
 * not recorded never allows it.
 */
import { UserError } from "../errors.js";
import { caseAudience } from "../case/audience.js";
import { effectiveConsent } from "../case/consent.js";
import { encrypt } from "../crypto/age.js";
import { toYaml } from "../records/document.js";
import { formatUtc, type CocRecord, type ReportBody } from "../records/schema.js";
import type { Repo } from "../repo/repo.js";
import { byCodeUnits } from "../records/order.js";
import { readExisting } from "./read.js";

export interface AuditBundle {
  /** The age file (binary), encrypted to the oversight person only. */
  file: Uint8Array;
  records: number;
  /** Whether the case was escalated to them (otherwise the bundle is the first they see of it). */
  escalated: boolean;
  reporterIncluded: boolean;
}

const WITHHELD = "[reporter withheld]";

/** Whether the consent in force (report blocks and later consent records) lets the reporter's identity go to a person of this role. */
function consentAllows(records: readonly CocRecord[], role: string): boolean {
  const { share } = effectiveConsent(records);
  return share.umbrella === "yes" || (role === "mediator" && share.mediator === "yes");
}

const APOSTROPHES = "['\u2018\u2019\u02bc\u02b9\u0060\u00b4\u2032]";
const HYPHENS = "[-\u2010\u2011\u2012\u2013\u2014\u2212\u00ad]";
const APOSTROPHE = new RegExp(`^${APOSTROPHES}$`, "u");
const HYPHEN = new RegExp(`^${HYPHENS}$`, "u");
const NAME_SEPARATORS = new RegExp(`(?:\\s|_|${APOSTROPHES}|${HYPHENS})+`, "u");
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every string in `value` with the reporter's names and contacts replaced (matched on decomposed letters: see {@link reporterPatterns}). */
function redact(value: unknown, patterns: readonly RegExp[]): unknown {
  if (typeof value === "string") return patterns.length === 0 ? value : patterns.reduce((s, p) => s.replace(p, WITHHELD), value.normalize("NFD")).normalize("NFC");
  if (Array.isArray(value)) return value.map((v) => redact(v, patterns));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, patterns)]));
  return value;
}

/** The patterns of the reporters' identities: full names, contacts, and name parts of three letters or more, as whole words. */
function reporterPatterns(reports: readonly ReportBody[]): RegExp[] {
  const terms = new Set<string>();
  for (const r of reports) {
    const { name, contact } = r.reporter;
    if (contact?.trim()) terms.add(contact.trim());
    if (name?.trim()) {
      terms.add(name.trim());
      // The parts between spaces, hyphens, apostrophes and underscores (Jean-Luc O'Neil: Jean, Luc,
      // Neil), and the name joined without them (JeanLucONeil), as the public-text check takes them.
      const parts = name.trim().split(NAME_SEPARATORS).filter(Boolean);
      for (const part of parts) if (part.length >= 3) terms.add(part);
      if (parts.length > 1) terms.add(parts.join(""));
    }
  }
  // Longest first, so a full name is replaced before its parts. Each letter matches with or without
  // accents (Zoë, Zoe, ZOË, and a decomposed ë alike): the text is matched in NFD form; an apostrophe
  // matches any apostrophe (O’Neil), a hyphen any hyphen, a space any run of white space.
  const char = (c: string) => (APOSTROPHE.test(c) ? APOSTROPHES : HYPHEN.test(c) ? HYPHENS : /\s/.test(c) ? "\\s+" : `${escape(c)}\\p{M}*`);
  const loose = (t: string) => [...t.normalize("NFD").replace(/\p{M}/gu, "")].map(char).join("");
  return [...terms].sort((a, b) => b.length - a.length).map((t) => new RegExp(`(?<![\\p{L}\\p{N}])${loose(t)}(?![\\p{L}\\p{N}\\p{M}])`, "giu"));
}

/**
 * Builds the encrypted audit bundle of a case for oversight person `to`.
 * @throws UserError for someone not on the oversight list, a case the
 * caller cannot read, `includeReporter` without every reporter's consent,
 * or an unconfirmed roster or oversight list.
 */
export async function auditBundle(repo: Repo, code: string, to: string, opts: { includeReporter: boolean; now: Date }): Promise<AuditBundle> {
  const person = repo.overseer(to);
  if (!person) throw new UserError(`"${to}" is not on the oversight list (coc oversight list)`);
  await repo.ensureTrusted();
  const me = await repo.me();
  const files = await readExisting(repo, code);
  const records = files.records.map((r) => r.record);
  // Redaction takes the reporters of unverified reports too: withholding more is the safe side.
  const reports = [...records, ...files.unverified.map((u) => u.record)].filter((r): r is Extract<CocRecord, { type: "report" }> => r.type === "report").map((r) => r.body);
  if (opts.includeReporter && !consentAllows(records, person.role)) {
    throw new UserError(`--include-reporter: the reporter's consent does not allow sharing their identity with ${to} (${person.role}); the bundle leaves it out without --include-reporter`);
  }
  const patterns = opts.includeReporter ? [] : reporterPatterns(reports);
  const entry = (r: CocRecord, verified: string | true) => {
    let body = redact(r.body, patterns) as Record<string, unknown>;
    if (r.type === "report" && !opts.includeReporter) {
      const reporter = { ...r.body.reporter, ...(r.body.reporter.name ? { name: WITHHELD } : {}), ...(r.body.reporter.contact ? { contact: WITHHELD } : {}) };
      body = { ...body, reporter };
    }
    return { id: r.id, type: r.type, author: r.author, created_at: r.created_at, verified, body };
  };
  const all = [...files.records.map((s) => entry(s.record, true)), ...files.unverified.map((u) => entry(u.record, u.reason))].sort((a, b) => byCodeUnits(a.created_at, b.created_at) || byCodeUnits(a.id, b.id));
  const audience = caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people);
  const document = {
    coc_audit: 1,
    case: code,
    exported_at: formatUtc(opts.now),
    exported_by: me.name,
    to: { name: person.name, role: person.role },
    reporter_identity: opts.includeReporter ? "included (the reporter's consent allows it)" : "withheld",
    records: all,
  };
  const file = await encrypt(toYaml(document), [person.recipient]);
  return { file, records: all.length, escalated: audience.escalated.includes(to), reporterIncluded: opts.includeReporter };
}
