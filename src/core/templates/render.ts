/**
 * Templates: Handlebars in strict mode (a template naming a missing field
 * fails, naming the template and the field). The team's copy in the
 * repository's templates/ wins over the built-in one. Text and Markdown are
 * not HTML-escaped; HTML is. This module is the only importer of handlebars.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Handlebars from "handlebars";
import { UserError } from "../errors.js";

export type Helper = (...args: unknown[]) => unknown;

export interface RenderOptions {
  /** Directories to look in, first match wins (the team's templates/, then the built-in ones). */
  dirs: readonly string[];
  /** HTML-escape values (for .html templates). */
  escape: boolean;
  /** Extra helpers, e.g. `mark` for colour in a terminal. */
  helpers?: Record<string, Helper>;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The helpers every template has. */
export function baseHelpers(): Record<string, Helper> {
  return {
    join: (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === "string" ? sep : ", ") : ""),
    /** `{{plural n "report" "reports"}}` → "1 report", "3 reports". */
    plural: (n: unknown, one: unknown, many: unknown) => `${Number(n)} ${Number(n) === 1 ? String(one) : String(many)}`,
    size: (list: unknown) => (Array.isArray(list) ? list.length : 0),
    eq: (a: unknown, b: unknown) => a === b,
    /** A UTC time as a UTC date: 2026-06-01. */
    utcDate: (iso: unknown) => (typeof iso === "string" ? iso.slice(0, 10) : ""),
    /** A UTC time in the machine's local time: 2026-06-01 16:05. */
    localDate: (iso: unknown) => {
      if (typeof iso !== "string") return "";
      const d = new Date(iso);
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
    },
    /** Highlights its block; plain unless the caller provides colour. */
    mark(this: unknown, options: unknown) {
      return (options as Handlebars.HelperOptions).fn(this);
    },
  };
}

/**
 * Marks `html` as markup to insert as it is (e.g. an inline SVG chart built
 * by core with every text already escaped): escaping templates leave it alone.
 */
export function trusted(html: string): unknown {
  return new Handlebars.SafeString(html);
}

/** Finds a template: the first directory that has it. @throws UserError when none does. */
export async function findTemplate(name: string, dirs: readonly string[]): Promise<{ path: string; source: string }> {
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      return { path, source: await readFile(path, "utf8") };
    } catch {
      // try the next directory
    }
  }
  throw new UserError(`template ${name} not found (looked in ${dirs.join(", ")})`);
}

/**
 * Renders template `name` with `data`.
 * @throws UserError naming the template (and the field, for a missing one).
 */
export async function render(name: string, data: unknown, opts: RenderOptions): Promise<string> {
  const { path, source } = await findTemplate(name, opts.dirs);
  const hb = Handlebars.create();
  for (const [k, fn] of Object.entries({ ...baseHelpers(), ...(opts.helpers ?? {}) })) hb.registerHelper(k, fn as Handlebars.HelperDelegate);
  try {
    const template = hb.compile(source, { strict: true, noEscape: !opts.escape });
    return template(data);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const missing = /"([^"]+)" not defined in .*? - (\d+):(\d+)/.exec(message);
    if (missing) throw new UserError(`${path}:${missing[2]}: the template names "${missing[1]}", which is not a field of its data`);
    throw new UserError(`${path}: ${message.split("\n")[0]}`);
  }
}
