/**
 * Case content on the terminal, made harmless. Anything that arrives through
 * the remote (a report's text, a template, a config value) can hold bytes a
 * terminal obeys: ESC sequences that move the cursor, erase or recolour lines,
 * set the window title or write to the clipboard; a BEL; a carriage return
 * that overwrites a line; C1 controls (U+009B is a one-character CSI on some
 * terminals); bidi overrides and other invisible format characters that make
 * text read differently from what it is. Every one of them is shown as a
 * visible escape instead (`\x1b`, `\x07`, `\x9b`, `\u202e`), so a reader sees
 * that something odd is there and the terminal never acts on it.
 *
 * JSON output needs none of this: JSON.stringify escapes control characters
 * itself, and `--json` stays the exact data.
 */

// C0 controls except tab and newline, DEL, C1 controls; then Unicode format
// characters (Cf: bidi embeddings, overrides and isolates, marks, zero-width
// space, word joiner, BOM, interlinear annotation, tag characters...) and the
// line and paragraph separators. Zero-width joiner and non-joiner (U+200C,
// U+200D) are kept: Persian, Indic scripts and emoji sequences need them, and
// they neither reorder nor hide text.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|(?![\u200c\u200d])\p{Cf}/gu;
const UNSAFE_LINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]|(?![\u200c\u200d])\p{Cf}/gu;

function visible(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\u{${cp.toString(16)}}`;
}

/**
 * `text` safe to write to a terminal: every control or format character other
 * than newline and tab is replaced by a visible escape. Backslashes are left
 * as they are, so ordinary text (and an already escaped string) is unchanged.
 */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * The same for a one-line slot (a table cell, a header field, an error
 * message): newlines are escaped too (`\x0a`), so a value cannot start a line
 * of its own that looks like coc's output.
 */
export function escapeTerminalLine(text: string): string {
  return text.replace(UNSAFE_LINE, visible);
}

/** A copy of `value` with every string in it passed through escapeTerminal (for data rendered into terminal text). */
export function escapeTerminalDeep<T>(value: T): T {
  if (typeof value === "string") return escapeTerminal(value) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => escapeTerminalDeep(v)) as T;
  const proto: unknown = value !== null && typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [escapeTerminalLine(k), escapeTerminalDeep(v)])) as T;
  }
  return value;
}
