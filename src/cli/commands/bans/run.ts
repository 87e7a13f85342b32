/** `coc bans` and `coc bans check`: the register of consequences, and a list matched against it. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { consequenceRegister, matchAttendees, parseCsv, registerCsv, type Consequence, type Register, type Repo } from "../../../core/index.js";
import { UsageError, UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { escapeTerminalLine as line } from "../../output/escape.js";
import { localTime, table } from "../../output/format.js";

export interface BansOptions {
  active?: boolean | undefined;
  all?: boolean | undefined;
  at?: string | undefined;
  format?: string | undefined;
}

export interface BansCheckOptions {
  list: string;
  at?: string | undefined;
}

const FORMATS = ["table", "csv", "json"];

/** `--at`: a day (its start, UTC) or a date and time. @throws UsageError otherwise. */
function atDate(at: string | undefined, now: Date): Date {
  if (at === undefined) return now;
  const t = at.trim();
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t);
  const ms = ok ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t.replace(" ", "T")) : Number.NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--at must be a date such as 2026-09-01 or a date and time (got "${at}")`);
  return new Date(ms);
}

async function register(io: Io, repo: Repo, at: Date, all: boolean): Promise<Register> {
  const reg = await consequenceRegister(repo, { at, all });
  io.problems(reg.problems);
  const n = reg.restricted.length;
  if (n > 0) io.warn(`${n} case${n === 1 ? " is" : "s are"} not encrypted to you, so ${n === 1 ? "its" : "their"} consequences are not in this register: ${reg.restricted.join(", ")}`);
  return reg;
}

/** The person as the register shows them: name and identifiers. */
function who(c: Consequence): string {
  const ids = [c.person.contact, ...c.person.handles].filter(Boolean).join(", ");
  return `${c.person.name ?? "(not named)"}${ids ? ` <${ids}>` : ""}`;
}

function until(c: Consequence): string {
  return c.permanent ? "permanent" : c.until ? localTime(c.until) : "not given";
}

export async function runList(o: BansOptions, io: Io): Promise<number> {
  const format = o.format ?? (io.json ? "json" : "table");
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${o.format}")`);
  if (io.json && format !== "json") throw new UsageError(`--json cannot be combined with --format ${format}`);
  if (o.active && o.all) throw new UsageError("--active and --all contradict each other");
  const at = atDate(o.at, io.now());
  const repo = await openRepo(io);
  const reg = await register(io, repo, at, o.all === true);
  const list = reg.consequences;
  if (format === "json") {
    io.printJson(list.map((c) => ({ person: c.person, scope: c.scope, platforms: c.platforms, from: c.from, until: c.until, permanent: c.permanent, level: c.level, case: c.case })));
  } else if (format === "csv") {
    io.ctx.stdout.write(await registerCsv(list));
  } else if (list.length === 0) {
    io.info(o.all ? "No consequences in the register." : `No consequence is in force at ${localTime(at.toISOString())}.`);
  } else {
    io.print(
      table(
        ["PERSON", "SCOPE", "PLATFORMS", "FROM", "UNTIL", "LEVEL", "CASE"],
        list.map((c) => [line(who(c)), c.scope ?? "-", line(c.platforms.join(", ") || "-"), localTime(c.from), until(c), line(c.level), line(c.case)]),
      ),
    );
  }
  return reg.problems.length > 0 ? 1 : 0;
}

/** Reads the list into memory only: a file or stdin. */
async function readList(io: Io, list: string): Promise<{ text: string; source: string }> {
  if (list === "-") {
    if (io.ctx.stdin.isTTY) throw new UsageError("coc bans check - reads CSV from stdin, but stdin is a terminal; pipe the list in or name the file");
    return { text: await io.ctx.stdin.readAll(), source: "stdin" };
  }
  try {
    return { text: await readFile(resolve(io.ctx.cwd, list), "utf8"), source: list };
  } catch (e) {
    throw new UserError(`cannot read ${list}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export async function runCheck(o: BansCheckOptions, io: Io): Promise<number> {
  const at = atDate(o.at, io.now());
  const { text, source } = await readList(io, o.list);
  const rows = await parseCsv(text, source);
  const repo = await openRepo(io);
  const reg = await register(io, repo, at, false);
  const matches = matchAttendees(rows, reg.consequences);
  if (io.json) {
    io.printJson(matches.map((m) => ({ line: m.line, matched: m.matched, by: m.by, person: m.consequence.person, scope: m.consequence.scope, platforms: m.consequence.platforms, from: m.consequence.from, until: m.consequence.until, permanent: m.consequence.permanent, level: m.consequence.level, case: m.consequence.case })));
  } else if (matches.length > 0) {
    io.print(
      table(
        ["LINE", "MATCHED", "BY", "PERSON", "SCOPE", "UNTIL", "LEVEL", "CASE"],
        matches.map((m) => [String(m.line), line(m.matched.join(", ")), m.by.join(", "), line(who(m.consequence)), m.consequence.scope ?? "-", until(m.consequence), line(m.consequence.level), line(m.consequence.case)]),
      ),
    );
  }
  io.info(`${matches.length} match${matches.length === 1 ? "" : "es"} in ${rows.length} row${rows.length === 1 ? "" : "s"} of ${source}, against ${reg.consequences.length} consequence${reg.consequences.length === 1 ? "" : "s"} in force; the list was not stored.`);
  return reg.problems.length > 0 ? 1 : 0;
}
