/**
 * The canonical bytes of a record: what its author signs (DESIGN.md §7).
 *
 * The record without its top-level `signature` and `recipients` fields
 * (`recipients` says who the file is encrypted to now, and a re-encryption
 * changes it; `readers`, who the author encrypted it to, is signed), written as JSON in the
 * JSON Canonicalization Scheme (RFC 8785), then encoded as UTF-8:
 * - object keys sorted by their UTF-16 code units, at every level;
 * - no whitespace outside strings;
 * - strings and numbers as ECMAScript's JSON.stringify writes them (strings
 *   escape `"`, `\` and control characters, and lone surrogates as `\uXXXX`;
 *   everything else is literal, without any Unicode normalisation; numbers in
 *   their shortest round-trip form, non-finite numbers as `null`);
 * - fields whose value is undefined are left out, as in JSON, so a record
 *   signed in memory and the same record read back from its file give the
 *   same bytes.
 *
 * For example `{"body":{"text":"hi"},"coc":1,"type":"note",…}` (no newline at the end).
 * The bytes do not depend on how the file was written (flow or block YAML,
 * key order, indentation), only on the values the record holds.
 */

/** Deeper than any record schema goes; stops a cyclic or hostile value before the stack does. */
const MAX_DEPTH = 32;

function write(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new Error("record nested too deeply");
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ",";
      out += item === undefined || typeof item === "function" || typeof item === "symbol" ? "null" : write(item, depth + 1);
    }
    return `${out}]`;
  }
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    let out = "{";
    for (const key of Object.keys(record).sort()) {
      const item = record[key];
      if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
      if (out.length > 1) out += ",";
      out += `${JSON.stringify(key)}:${write(item, depth + 1)}`;
    }
    return `${out}}`;
  }
  throw new Error(`cannot sign a ${typeof value} value`);
}

/**
 * The canonical bytes of `record` without its `signature` field (see the
 * module comment). Pure: `record` is not changed.
 * @throws Error when `record` is not an object, holds a bigint, or is
 * nested deeper than any record is (a cyclic value included).
 */
export function canonicalBytes(record: object): Uint8Array {
  return Buffer.from(canonicalText(record), "utf8");
}

/** {@link canonicalBytes} as the text before UTF-8 encoding. */
export function canonicalText(record: object): string {
  if (record === null || typeof record !== "object" || Array.isArray(record)) throw new Error("a record must be an object");
  const { signature: _signature, recipients: _recipients, ...rest } = record as Record<string, unknown>;
  return write(rest, 0);
}
