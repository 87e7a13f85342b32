/**
 * Templates: Handlebars in strict mode (a template naming a missing field
 * fails, naming the template and the field). The team's copy in the
 * repository's templates/ wins over the built-in one. Text and Markdown are
 * not HTML-escaped; HTML is. This module is the only importer of handlebars.
 *
 * A team template arrives through git, so anyone who can push can write one
 * (DESIGN.md §7, "Nothing tracked runs"). It is rendered in a private
 * environment: only coc's helpers and the built-in block helpers exist (no
 * `log`, which would print before the public-text check runs; no `lookup`),
 * a template naming any other helper does not compile, nothing reaches an
 * object's prototype, and control characters in a template are refused.
 *
 * Handlebars is loaded when a template is first rendered: most commands
 * render none, and it is a large library to parse at every start.
 */
import { join } from "node:path";
import type Handlebars from "handlebars";
import { UserError } from "../errors.js";
import { readTrackedText } from "../repo/tracked-file.js";

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
  return new TrustedHtml(html);
}

/** What Handlebars' SafeString is, without loading Handlebars: its escaping leaves anything with `toHTML` as it is. */
class TrustedHtml {
  readonly #html: string;

  constructor(html: string) {
    this.#html = html;
  }

  toHTML(): string {
    return this.#html;
  }

  toString(): string {
    return this.#html;
  }
}

/** Finds a template: the first directory that has it. @throws UserError when none does. */
export function findTemplate(name: string, dirs: readonly string[]): { path: string; source: string } {
  for (const dir of dirs) {
    const path = join(dir, name);
    // A team template arrives through git: only a regular file within the cap is read, never through a symbolic link.
    const read = readTrackedText(path);
    if ("text" in read) return { path, source: read.text };
    if ("problem" in read && !read.problem.startsWith("cannot read")) throw new UserError(`${path}: ${read.problem}; a template is a plain text file`);
  }
  throw new UserError(`template ${name} not found (looked in ${dirs.join(", ")})`);
}

/** The built-in block helpers a template may use besides coc's own (the shipped ones use if, unless and each). */
const BUILT_IN_BLOCK_HELPERS = ["if", "unless", "each", "with"] as const;

/**
 * The compiler's list of known helpers: exactly `names` and the built-in
 * blocks. Handlebars starts from its own list (log and lookup included), so
 * every other built-in is switched off explicitly.
 */
function knownHelpers(names: readonly string[]): Record<string, boolean> {
  const known = Object.create(null) as Record<string, boolean>;
  for (const builtIn of ["helperMissing", "blockHelperMissing", "each", "if", "unless", "with", "log", "lookup"]) known[builtIn] = false;
  for (const name of [...BUILT_IN_BLOCK_HELPERS, ...names]) known[name] = true;
  return known;
}

/** A fresh Handlebars environment with `helpers` and without `log` and `lookup`. */
async function environment(helpers: Record<string, Helper>): Promise<typeof Handlebars> {
  const { default: handlebars } = await import("handlebars");
  const hb = handlebars.create();
  hb.unregisterHelper("log");
  hb.unregisterHelper("lookup");
  for (const [k, fn] of Object.entries(helpers)) hb.registerHelper(k, fn as Handlebars.HelperDelegate);
  return hb;
}

/** Characters a text template never needs: C0 controls but tab, newline and a CR before a newline; DEL; C1 controls. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/;

/**
 * Renders template `name` with `data`.
 * @throws UserError naming the template (and the line and field, for a
 * missing field; the helper, for one coc does not provide; the character,
 * for a control character), before anything is rendered.
 */
export async function render(name: string, data: unknown, opts: RenderOptions): Promise<string> {
  const { path, source } = findTemplate(name, opts.dirs);
  const control = CONTROL.exec(source);
  if (control) {
    const line = source.slice(0, control.index).split("\n").length;
    const code = control[0].codePointAt(0)!.toString(16).padStart(4, "0");
    throw new UserError(`${path}:${line}: the template holds a control character (U+${code}); a template is plain text`);
  }
  const helpers = { ...baseHelpers(), ...(opts.helpers ?? {}) };
  const hb = await environment(helpers);
  try {
    const template = hb.compile(source, {
      strict: true,
      noEscape: !opts.escape,
      knownHelpers: knownHelpers(Object.keys(helpers)),
      knownHelpersOnly: true,
    });
    // Explicit `false` (rather than the same default) also keeps Handlebars'
    // logger from printing a warning for each denied prototype access.
    return template(data, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const missing = /"([^"]+)" not defined in .*? - (\d+):(\d+)/.exec(message);
    if (missing) throw new UserError(`${path}:${missing[2]}: the template names "${missing[1]}", which is not a field of its data`);
    const unknown = /unknown helper (\S+) - (\d+):(\d+)/.exec(message);
    if (unknown) {
      const names = [...BUILT_IN_BLOCK_HELPERS, ...Object.keys(helpers)].sort().join(", ");
      throw new UserError(`${path}:${unknown[2]}: the template uses the helper "${unknown[1]}", which coc does not provide (helpers: ${names})`);
    }
    throw new UserError(`${path}: ${message.split("\n")[0]}`);
  }
}
