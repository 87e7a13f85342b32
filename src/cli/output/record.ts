/**
 * Renders a record body for the terminal: indented fields, times in local
 * time, every value (and key) with its control characters escaped.
 */
import type { Paint } from "./color.js";
import { escapeTerminal, escapeTerminalLine } from "./escape.js";
import { localTime } from "./format.js";

function label(key: string): string {
  return escapeTerminalLine(key.replace(/_/g, " "));
}

function scalar(key: string, value: unknown): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" && /_at$|^due$/.test(key) && /^\d{4}-\d{2}-\d{2}T/.test(value)) return localTime(value);
  return escapeTerminalLine(String(value));
}

/** Lines for `value`, indented by `indent` spaces. Empty lists and absent values are skipped. */
export function renderValue(value: unknown, paint: Paint, indent = 2, key = ""): string[] {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    const lines: string[] = [];
    for (const item of value) {
      if (item !== null && typeof item === "object") {
        const inner = renderValue(item, paint, indent + 2, key);
        if (inner.length > 0) lines.push(`${pad}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
      } else {
        lines.push(`${pad}- ${scalar(key, item)}`);
      }
    }
    return lines;
  }
  if (value !== null && typeof value === "object") {
    const lines: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
      if (typeof v === "object") {
        const inner = renderValue(v, paint, indent + 2, k);
        if (inner.length > 0) lines.push(`${pad}${paint.cyan(label(k))}:`, ...inner);
      } else if (typeof v === "string" && v.includes("\n")) {
        lines.push(`${pad}${paint.cyan(label(k))}:`, ...v.trimEnd().split("\n").map((l) => `${pad}  ${escapeTerminal(l)}`));
      } else {
        lines.push(`${pad}${paint.cyan(label(k))}: ${scalar(k, v)}`);
      }
    }
    return lines;
  }
  return [`${pad}${scalar(key, value)}`];
}
