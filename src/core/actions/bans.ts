/**
 * The register of consequences over every case the caller can read (`coc
 * bans`), and checking an attendee or speaker list against it (`coc bans
 * check`) on the caller's own machine: the list is read into memory, matched,
 * and never stored.
 */
import { activeAt, caseConsequences, type Consequence } from "../case/consequences.js";
import { LADDERS } from "../repo/config.js";
import type { Repo } from "../repo/repo.js";
import { byCodeUnits } from "../records/order.js";
import type { Problem } from "../repo/store.js";
import { toCsv } from "../reports/csv.js";
import { fold, termKey, words, countKey } from "../reports/normalize.js";

export interface Register {
  consequences: Consequence[];
  /** Cases not encrypted to the caller: their consequences are not in the register (local use only). */
  restricted: string[];
  problems: Problem[];
}

/**
 * The consequences of every readable case: those in force at `at`, or with
 * `all` every one (ended, in force and not yet started), by start date.
 */
export async function consequenceRegister(repo: Repo, opts: { at: Date; all: boolean }): Promise<Register> {
  const { cases, problems } = await repo.readCases();
  const ladder = LADDERS[repo.config.ladder];
  const consequences = cases
    .flatMap((c) => caseConsequences(c.code, c.records.map((r) => r.record), ladder))
    .filter((c) => opts.all || activeAt(c, opts.at))
    .sort((a, b) => byCodeUnits(a.from, b.from) || byCodeUnits(a.case, b.case));
  return {
    consequences,
    restricted: cases.filter((c) => c.records.length + c.unverified.length === 0 && c.notForYou.length > 0).map((c) => c.code),
    problems: [...problems, ...cases.flatMap((c) => c.problems)],
  };
}

/** The register as CSV: person, contact, handles, scope, platforms, from, until, level, case. Nothing else of the case. */
export async function registerCsv(list: readonly Consequence[]): Promise<string> {
  return toCsv(
    ["name", "contact", "handles", "scope", "platforms", "from", "until", "level", "case"],
    list.map((c) => [c.person.name, c.person.contact, c.person.handles.join(" "), c.scope, c.platforms.join(" "), c.from, c.permanent ? "permanent" : c.until, c.level, c.case]),
  );
}

/** A row of the checked list that matches a consequence: its line number and the cells that matched. */
export interface AttendeeMatch {
  line: number;
  matched: string[];
  /** What matched: name, contact, handle. */
  by: ("name" | "contact" | "handle")[];
  consequence: Consequence;
}

const bareHandle = (h: string) => fold(h.trim()).replace(/^@/, "").replace(/^[a-z-]+:/, "");

/**
 * The rows of an attendee list that match a consequence of the register: a
 * cell equal to the person's contact or one of their handles, or the
 * person's whole name as consecutive words of the row (first and last name in
 * two columns match too); both sides folded as the public-text check folds
 * them (case, accents, look-alike letters).
 */
export function matchAttendees(rows: readonly { line: number; cells: readonly string[] }[], register: readonly Consequence[]): AttendeeMatch[] {
  const out: AttendeeMatch[] = [];
  rows.forEach((row) => {
    const cells = row.cells.map((c) => c.trim()).filter(Boolean);
    // Names are looked for in the cells that are not addresses or handles ("dana@online.example" is not "Dana Online").
    const rowWords = words(cells.filter((c) => !c.includes("@")).join(" "));
    const folded = cells.map((c) => fold(c));
    for (const c of register) {
      const by = new Set<AttendeeMatch["by"][number]>();
      const matched = new Set<string>();
      const name = c.person.name ? termKey(c.person.name) : "";
      if (name.length >= 3 && countKey(rowWords, name) > 0) {
        by.add("name");
        const nameWords = new Set(words(c.person.name ?? ""));
        for (const cell of cells) if (!cell.includes("@") && words(cell).some((w) => nameWords.has(w))) matched.add(cell);
      }
      const contact = c.person.contact ? fold(c.person.contact.trim()) : "";
      cells.forEach((cell, j) => {
        if (contact && folded[j] === contact) {
          by.add("contact");
          matched.add(cell);
        }
        if (c.person.handles.some((h) => bareHandle(h) !== "" && bareHandle(h) === bareHandle(cell))) {
          by.add("handle");
          matched.add(cell);
        }
      });
      if (by.size > 0) out.push({ line: row.line, matched: [...matched], by: [...by], consequence: c });
    }
  });
  return out;
}
