/**
 * The risk/impact matrix (Audrey Eschright's framework, DESIGN.md §5): rows
 * are impact (low, high), columns are risk (low, high); each cell has the
 * team's example and suggested response from config.yaml. For one case it
 * holds each reviewer's vote and marks the majority cell; over all cases it
 * counts the cases per cell.
 */
import type { Config } from "../repo/config.js";
import type { CaseSummary } from "../case/fold.js";

type Level = "low" | "high";
export type CellKey = "low_impact_low_risk" | "low_impact_high_risk" | "high_impact_low_risk" | "high_impact_high_risk";

export interface MatrixCell {
  key: CellKey;
  impact: Level;
  risk: Level;
  /** Column label, e.g. "low risk". */
  label: string;
  example: string;
  response: string;
  /** Reviewers who voted for this cell (one case). */
  votes: string[];
  /** Cases in this cell (all cases). */
  count: number;
  /** The case's majority cell. */
  marked: boolean;
}

export interface MatrixData {
  title: string;
  /** The case, or null for counts over all cases. */
  case: string | null;
  rows: { label: string; impact: Level; cells: MatrixCell[] }[];
  /** The suggested response of the marked cell, or null. */
  suggestion: string | null;
  votes: { author: string; risk: Level; impact: Level }[];
  /** Cases not yet assessed (all cases). */
  unassessed: number;
}

export function cellKey(impact: Level, risk: Level): CellKey {
  return `${impact}_impact_${risk}_risk`;
}

function grid(config: Config, fill: (impact: Level, risk: Level) => Pick<MatrixCell, "votes" | "count" | "marked">): MatrixData["rows"] {
  return (["low", "high"] as const).map((impact) => ({
    label: `${impact} impact`,
    impact,
    cells: (["low", "high"] as const).map((risk) => {
      const key = cellKey(impact, risk);
      return { key, impact, risk, label: `${risk} risk`, example: config.matrix[key].example, response: config.matrix[key].response, ...fill(impact, risk) };
    }),
  }));
}

/** The matrix of one case: every reviewer's latest vote, the majority cell marked. */
export function caseMatrix(summary: CaseSummary, config: Config): MatrixData {
  const marked = summary.risk && summary.impact ? cellKey(summary.impact, summary.risk) : null;
  return {
    title: `Risk and impact: case ${summary.case}`,
    case: summary.case,
    rows: grid(config, (impact, risk) => ({
      votes: summary.votes.filter((v) => v.impact === impact && v.risk === risk).map((v) => v.author),
      count: 0,
      marked: marked === cellKey(impact, risk),
    })),
    suggestion: marked ? config.matrix[marked].response : null,
    votes: summary.votes,
    unassessed: 0,
  };
}

/** Counts over all cases: the number of cases whose majority falls in each cell. */
export function overallMatrix(summaries: readonly CaseSummary[], config: Config): MatrixData {
  return {
    title: "Risk and impact: all cases",
    case: null,
    rows: grid(config, (impact, risk) => ({
      votes: [],
      count: summaries.filter((s) => s.impact === impact && s.risk === risk).length,
      marked: false,
    })),
    suggestion: null,
    votes: [],
    unassessed: summaries.filter((s) => s.risk === null).length,
  };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Lays the matrix out as a plain-text 2×2 grid that fits `width` columns:
 * impact rows, risk columns, each cell with its response, example and votes
 * (or case count). The marked cell is starred, and passed through `mark`
 * (colour in a terminal; identity elsewhere).
 */
export function matrixGrid(data: MatrixData, width = 80, mark: (s: string) => string = (s) => s): string {
  const labelWidth = 12;
  const cellWidth = Math.max(16, Math.floor((width - labelWidth - 6) / 2));
  const sep = `${"-".repeat(labelWidth + 1)}+${"-".repeat(cellWidth + 2)}+${"-".repeat(cellWidth + 1)}`;
  const head = `${" ".repeat(labelWidth + 1)}| ${(data.rows[0]?.cells[0]?.label ?? "").padEnd(cellWidth)} | ${data.rows[0]?.cells[1]?.label ?? ""}`;
  const out = [head.trimEnd(), sep];
  for (const row of data.rows) {
    const blocks = row.cells.map((c) => {
      const lines = [...wrap(`${c.marked ? "* " : ""}${c.response}`, cellWidth), ...wrap(`e.g. ${c.example}`, cellWidth)];
      if (c.votes.length > 0) lines.push(...wrap(`votes: ${c.votes.join(", ")}`, cellWidth));
      if (data.case === null) lines.push(`cases: ${c.count}`);
      return { lines, marked: c.marked };
    });
    const height = Math.max(...blocks.map((b) => b.lines.length));
    for (let i = 0; i < height; i++) {
      const cells = blocks.map((b) => {
        const text = (b.lines[i] ?? "").padEnd(cellWidth);
        return b.marked ? mark(text) : text;
      });
      out.push(`${(i === 0 ? row.label : "").padEnd(labelWidth)} | ${cells[0]} | ${cells[1]}`.trimEnd());
    }
    out.push(sep);
  }
  return out.join("\n");
}
