import { describe, expect, it } from "vitest";
import { caseMatrix, cellKey, matrixGrid, overallMatrix, type MatrixCell, type MatrixData } from "../../src/core/reports/matrix.js";
import type { CaseSummary } from "../../src/core/case/fold.js";
import { configSchema, DEFAULT_MATRIX, type Config } from "../../src/core/repo/config.js";

const config: Config = configSchema.parse({ coc: 1, event: { name: "Test Conf" } });

type Vote = CaseSummary["votes"][number];
function summary(code: string, votes: Vote[], majority: { risk: "low" | "high"; impact: "low" | "high" } | null = null): CaseSummary {
  return {
    case: code,
    state: votes.length > 0 ? "in-review" : "new",
    received_at: "2026-06-01T14:05:00Z",
    reports: 1,
    excluded: [],
    recused: [],
    votes,
    risk: majority?.risk ?? null,
    impact: majority?.impact ?? null,
    category: null,
    deadlines: [],
    overdue: false,
    overdue_reasons: [],
  };
}

const cells = (m: MatrixData): Record<string, MatrixCell> => Object.fromEntries(m.rows.flatMap((r) => r.cells).map((c) => [c.key, c]));

const VOTES: Vote[] = [
  { author: "alice", risk: "low", impact: "high" },
  { author: "bob", risk: "low", impact: "high" },
  { author: "carol", risk: "high", impact: "low" },
];
const one = caseMatrix(summary("quiet-otter-42", VOTES, { risk: "low", impact: "high" }), config);

describe("caseMatrix", () => {
  it("lays out impact rows and risk columns with the config's examples and responses", () => {
    expect(one.rows.map((r) => r.label)).toEqual(["low impact", "high impact"]);
    expect(one.rows.map((r) => r.cells.map((c) => c.key))).toEqual([
      ["low_impact_low_risk", "low_impact_high_risk"],
      ["high_impact_low_risk", "high_impact_high_risk"],
    ]);
    for (const c of one.rows.flatMap((r) => r.cells)) {
      expect(c.key).toBe(cellKey(c.impact, c.risk));
      expect(c.label).toBe(`${c.risk} risk`);
      expect(c).toMatchObject(DEFAULT_MATRIX[c.key]);
    }
  });

  it("puts each vote in its cell and marks the majority cell, with its response as the suggestion", () => {
    const c = cells(one);
    expect(c["high_impact_low_risk"]).toMatchObject({ votes: ["alice", "bob"], marked: true, count: 0 });
    expect(c["low_impact_high_risk"]).toMatchObject({ votes: ["carol"], marked: false });
    expect(c["low_impact_low_risk"]).toMatchObject({ votes: [], marked: false });
    expect(c["high_impact_high_risk"]).toMatchObject({ votes: [], marked: false });
    expect(one.suggestion).toBe(DEFAULT_MATRIX.high_impact_low_risk.response);
    expect(one.case).toBe("quiet-otter-42");
    expect(one.title).toBe("Risk and impact: case quiet-otter-42");
    expect(one.votes).toEqual(VOTES);
  });

  it("a case without votes has no marked cell and no suggestion", () => {
    const m = caseMatrix(summary("quiet-otter-42", []), config);
    expect(Object.values(cells(m)).some((c) => c.marked)).toBe(false);
    expect(m.suggestion).toBeNull();
  });

  it("uses the team's own examples and responses", () => {
    const custom: Config = { ...config, matrix: { ...config.matrix, high_impact_low_risk: { example: "ours", response: "our response" } } };
    const m = caseMatrix(summary("quiet-otter-42", VOTES, { risk: "low", impact: "high" }), custom);
    expect(m.suggestion).toBe("our response");
    expect(cells(m)["high_impact_low_risk"]).toMatchObject({ example: "ours", response: "our response" });
  });
});

describe("overallMatrix", () => {
  const summaries = [
    summary("a-a-1", VOTES.slice(0, 1), { risk: "low", impact: "high" }),
    summary("a-a-2", VOTES.slice(0, 2), { risk: "low", impact: "high" }),
    summary("a-a-3", VOTES.slice(2), { risk: "high", impact: "low" }),
    summary("a-a-4", []),
    summary("a-a-5", []),
  ];
  const all = overallMatrix(summaries, config);

  it("counts the cases in each cell and the unassessed ones; marks nothing, suggests nothing, shows no votes", () => {
    const c = cells(all);
    expect(c["high_impact_low_risk"]!.count).toBe(2);
    expect(c["low_impact_high_risk"]!.count).toBe(1);
    expect(c["low_impact_low_risk"]!.count).toBe(0);
    expect(c["high_impact_high_risk"]!.count).toBe(0);
    expect(all.unassessed).toBe(2);
    expect(Object.values(c).every((x) => !x.marked && x.votes.length === 0)).toBe(true);
    expect(all).toMatchObject({ case: null, suggestion: null, votes: [], title: "Risk and impact: all cases" });
  });

  it("no cases: all zero", () => {
    const m = overallMatrix([], config);
    expect(Object.values(cells(m)).map((c) => c.count)).toEqual([0, 0, 0, 0]);
    expect(m.unassessed).toBe(0);
  });
});

describe("matrixGrid", () => {
  const long: Config = {
    ...config,
    matrix: {
      ...config.matrix,
      low_impact_low_risk: { example: "an inappropriate joke made in private, repeated over several evenings of the conference", response: "verbal warning from two members of the team, recorded" },
      high_impact_high_risk: { example: "x".repeat(130), response: "coordinated whole-team response with the venue's security staff and, if the reporter wants it, the police" },
    },
  };
  const manyVotes: Vote[] = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi-with-a-long-name"].map((author) => ({ author, risk: "high", impact: "high" }));
  const datas: [string, MatrixData][] = [
    ["one case", one],
    ["one case, long texts and many votes", caseMatrix(summary("quiet-otter-42", manyVotes, { risk: "high", impact: "high" }), long)],
    ["all cases", overallMatrix([summary("a-a-1", VOTES, { risk: "low", impact: "high" })], long)],
  ];

  for (const [name, data] of datas) {
    it.each([60, 80, 100])(`${name}: never wider than %i columns`, (width) => {
      const lines = matrixGrid(data, width).split("\n");
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
      // Every row of the grid has both column separators in the same place.
      const bars = lines.filter((l) => !l.startsWith("-")).map((l) => [l.indexOf("|"), l.indexOf("|", l.indexOf("|") + 1)]);
      expect(new Set(bars.map((b) => b.join(","))).size).toBe(1);
    });
  }

  it("shows the labels, responses, examples and votes, and stars only the marked cell", () => {
    const text = matrixGrid(one, 80);
    expect(text.split("\n")[0]).toMatch(/^ {13}\| low risk +\| high risk$/);
    expect(text).toContain("low impact");
    expect(text).toContain("high impact");
    expect(text).toContain("* public apology, remove");
    expect(text.match(/\* /g)).toHaveLength(1);
    expect(text).toContain("e.g. an inappropriate joke");
    expect(text).toContain("votes: alice, bob");
    expect(text).toContain("votes: carol");
    expect(text).not.toContain("cases:");
  });

  it("all cases: a count in every cell, nothing starred", () => {
    const text = matrixGrid(overallMatrix([summary("a-a-1", VOTES, { risk: "low", impact: "high" })], config), 80);
    expect(text.match(/cases: 1/g)).toHaveLength(1);
    expect(text.match(/cases: 0/g)).toHaveLength(3);
    expect(text).not.toContain("* ");
  });

  it("passes only the marked cell's lines through mark, padded to the cell width", () => {
    const seen: string[] = [];
    const text = matrixGrid(one, 80, (s) => {
      seen.push(s);
      return `<${s}>`;
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.startsWith("* public apology")).toBe(true);
    expect(new Set(seen.map((s) => s.length)).size).toBe(1);
    expect(text).toContain("<* public apology");
    // The marked cell is in the high-impact row, left column; the low-impact row is untouched.
    const lowRow = text.split("\n").filter((l) => l.startsWith("low impact"));
    expect(lowRow.join("")).not.toContain("<");
    expect(matrixGrid(overallMatrix([], config), 80, () => "MARKED")).not.toContain("MARKED");
  });

  it("defaults to 80 columns and no marking", () => {
    expect(matrixGrid(one)).toBe(matrixGrid(one, 80, (s) => s));
  });
});
