/**
 * CSV in and out (the one home of csv-parse and csv-stringify): an attendee
 * or speaker list to check against the register of consequences, and the
 * register as CSV.
 */
import { UserError } from "../errors.js";

// Loaded when a CSV is read or written, not at every start of coc.

/**
 * The rows of a CSV text with the line each ends on (any columns; a header row is just another row).
 * @throws UserError naming the source and the line for malformed CSV.
 */
export async function parseCsv(text: string, source: string): Promise<{ line: number; cells: string[] }[]> {
  const { parse } = await import("csv-parse/sync");
  try {
    const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, relax_quotes: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return rows.map((r) => ({ line: r.info.lines, cells: r.record }));
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new UserError(`${source}: not a CSV file${err.lines ? ` (line ${err.lines})` : ""}: ${err.message.split("\n")[0]}`);
  }
}

/**
 * A cell a spreadsheet would run as a formula (=HYPERLINK(...) in a name a
 * report gave, which sends the sheet's other cells away when clicked) starts
 * with ', as OWASP advises: the spreadsheet shows it as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const asText = (v: string) => (FORMULA_START.test(v) ? `'${v}` : v);

/** A table as CSV text, with a header row; a value that starts like a formula is prefixed with '. */
export async function toCsv(header: readonly string[], rows: readonly (readonly (string | null)[])[]): Promise<string> {
  const { stringify } = await import("csv-stringify/sync");
  return stringify([header, ...rows.map((r) => r.map((v) => asText(v ?? "")))]);
}
