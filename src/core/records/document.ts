/**
 * Strict parsing and the one serializer for YAML documents (records, `--from`
 * bodies, config and team files). Plain YAML 1.2, core schema: dates stay
 * strings, duplicate keys are errors, a file holds exactly one document.
 */
import { parseAllDocuments, stringify } from "yaml";
import type { z } from "zod";
import { UserError } from "../errors.js";
import { fastYaml } from "./fast-yaml.js";

/**
 * Parses YAML text to a plain value: plain block style through js-yaml
 * (./fast-yaml.ts), which reads it as `yaml` would, about five times faster;
 * anything else, and every error, through `yaml`.
 * @throws UserError naming `source` and the line.
 */
export function parseYaml(text: string, source: string): unknown {
  const fast = fastYaml(text);
  return fast === undefined ? parseWithYaml(text, source) : fast;
}

/** Parses YAML text with the `yaml` package (the reference reading, and its error messages). */
export function parseWithYaml(text: string, source: string): unknown {
  const docs = parseAllDocuments(text, { version: "1.2", schema: "core", uniqueKeys: true, prettyErrors: true });
  if (!Array.isArray(docs)) return null; // an empty stream
  if (docs.length > 1) throw new UserError(`${source}: expected one YAML document, found ${docs.length}`);
  const doc = docs[0];
  if (!doc) return null;
  const problem = doc.errors[0];
  if (problem) {
    const where = problem.linePos?.[0] ? `:${problem.linePos[0].line}` : "";
    const message = problem.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    // The parser's own stack ran out: say what the text did.
    throw new UserError(`${source}${where}: invalid YAML: ${/call stack/i.test(message) ? "nested far too deeply" : message}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias bomb ("billion laughs") or an alias to nothing: refused, one line.
    const message = (e as Error).message.split("\n")[0] ?? "invalid YAML";
    throw new UserError(`${source}: invalid YAML: ${/alias/i.test(message) ? "too many or unresolved aliases (*name); write the values out instead" : message}`);
  }
}

/** Serializes a value as YAML 1.2 (block style, stable key order as given). */
export function toYaml(value: unknown): string {
  return stringify(value, { version: "1.2", lineWidth: 0, aliasDuplicateObjects: false });
}

/** Formats a schema error path like `incident.people[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * Validates `value` against `schema`.
 * @param prefix field path to prepend in messages (e.g. "body").
 * @param once a document validated once per process (config, team, oversight): zod's
 * interpreted path, the same checks without compiling a fast path for the shape, which
 * costs more than it saves on a single document. Records (thousands per read) keep it.
 * @throws UserError naming `source`, the first bad field and why; further problems as details.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, source: string, prefix = "", once = false): z.output<S> {
  const result = schema.safeParse(value, once ? { jitless: true } : undefined);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = formatPath([...(prefix ? [prefix] : []), ...issue.path]);
    let message = issue.message;
    if (issue.code === "unrecognized_keys") {
      const keys = (issue as { keys: string[] }).keys;
      message = `unknown field${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}`;
    } else if (issue.code === "invalid_type" && /received undefined/.test(message)) {
      message = "is required";
    }
    return field ? `${field}: ${message}` : message;
  });
  const [first, ...rest] = lines;
  throw new UserError(`${source}: ${first}`, rest);
}
