/** How evidence files are shown: sizes, and the numbered list in `coc show`. */
import type { CocRecord } from "../../core/index.js";
import { escapeTerminalLine as line } from "./escape.js";
import { table } from "./format.js";

/** A size in bytes, for people: 812 B, 14.2 kB, 3.1 MB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/** The evidence of a case as a numbered table (the numbers `coc open` takes), or nothing. */
export function evidenceTable(records: readonly CocRecord[]): string[] {
  const rows = records.flatMap((r) => (r.type === "evidence" ? [r] : [])).map((r, i) => [String(i + 1), line(r.body.name), line(r.body.media_type), formatBytes(r.body.size), line(r.body.description ?? "")]);
  if (rows.length === 0) return [];
  return ["", "Evidence (coc open <case> <n>):", ...table(["n", "name", "type", "size", "description"], rows).split("\n").map((l) => `  ${l}`)];
}
