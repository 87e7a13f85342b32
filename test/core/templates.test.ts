/**
 * The private Handlebars environment. A team template arrives through git:
 * `{{log}}` (which would print before the public-text check), `lookup` and
 * any helper coc does not provide fail to compile with one line naming the
 * file, and print nothing; prototypes stay out of reach; a control character
 * in a template is refused. Every shipped template still renders, and a
 * missing field is still named.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { templatesDir } from "../../src/cli/paths.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord, type RecordType } from "../../src/core/records/schema.js";
import { foldCase } from "../../src/core/case/fold.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { configSchema } from "../../src/core/repo/config.js";
import { announcementData } from "../../src/core/reports/announcement.js";
import { buildLetter } from "../../src/core/reports/letters.js";
import { buildStageLetter } from "../../src/core/reports/stage-letters.js";
import { caseMatrix, matrixGrid, overallMatrix, type MatrixData } from "../../src/core/reports/matrix.js";
import { buildTransparency } from "../../src/core/reports/transparency.js";
import { renderTransparency } from "../../src/core/reports/transparency-render.js";
import { render, type RenderOptions } from "../../src/core/templates/render.js";
import { UserError } from "../../src/core/errors.js";

const CODE = "quiet-otter-42";
const NOW = new Date("2026-07-01T00:00:00Z");
let n = 0;
function rec(type: RecordType, at: string, body: unknown): CocRecord {
  const created = new Date(at);
  return makeRecord({ type, case: CODE, id: newRecordId(type, new Date(created.getTime() + n++)), author: "alice", created_at: created, recipients: ["alice"], body: BODY_SCHEMAS[type].parse(body) });
}

const config = configSchema.parse({ coc: 1, event: { name: "Test Conf" }, contact: "care@example.org", policy_url: "https://example.org/coc", ladder: "cc2.1" });
const records = [
  rec("report", "2026-06-01T10:00:00Z", { received_at: "2026-06-01T10:00:00Z", reporter: { name: "Sam Reporter" }, incident: { summary: "s", description: "d", people: [{ name: "Pat Example", role: "reported" }] }, consent: { transparency: "yes" } }),
  rec("assessment", "2026-06-01T11:00:00Z", { risk: "high", impact: "low", in_scope: true, violation: "yes" }),
  rec("decision", "2026-06-02T10:00:00Z", { stage: "final", violation: "yes", finding: "Comments were made.", outcome_for_reporter: "The team acted on the report.", reasoning: "Because.", actions: [{ level: "warning" }], decided_by: ["alice", "bob"] }),
  rec("resolution", "2026-06-03T10:00:00Z", {
    public: { statement: "announcement", thing: "an attendee made unwanted comments", action: "a warning" },
    transparency: { include: true, title: "Unwanted comments", category: "harassment" },
  }),
];

/** The helpers the CLI adds for the matrix (src/cli/output/matrix.ts), without colour. */
const matrixHelpers: RenderOptions["helpers"] = {
  grid: (d: unknown) => matrixGrid(d as MatrixData),
  mark(this: unknown, options: unknown) {
    return (options as { fn: (c: unknown) => string }).fn(this);
  },
};

let teamDir: string;
beforeAll(() => {
  teamDir = mkdtempSync(join(tmpdir(), "coc-templates-"));
});
afterAll(() => rmSync(teamDir, { recursive: true, force: true }));

/** Renders a team template `name` holding `source` (the built-in ones behind it, as the commands do). */
function renderTeam(name: string, source: string, data: unknown, helpers?: RenderOptions["helpers"]): Promise<string> {
  writeFileSync(join(teamDir, name), source);
  return render(name, data, { dirs: [teamDir, templatesDir()], escape: false, ...(helpers ? { helpers } : {}) });
}

/** Everything that could reach the terminal while `fn` runs. */
async function printedDuring(fn: () => Promise<unknown>): Promise<{ printed: string[]; error: unknown }> {
  const printed: string[] = [];
  const spies = [
    ...(["log", "info", "warn", "error", "debug", "trace"] as const).map((m) => vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void printed.push(`console.${m}: ${args.join(" ")}`))),
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => (printed.push(`stdout: ${String(chunk)}`), true)),
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (printed.push(`stderr: ${String(chunk)}`), true)),
  ];
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  } finally {
    for (const s of spies) s.mockRestore();
  }
  return { printed, error };
}

afterEach(() => vi.restoreAllMocks());

describe("the shipped templates", () => {
  it("every one of them renders in the private environment", async () => {
    const dirs = [templatesDir()];
    const rendered = new Set<string>();
    const text = async (name: string, data: unknown, opts: Partial<RenderOptions> = {}) => {
      rendered.add(name);
      const out = await render(name, data, { dirs, escape: false, ...opts });
      expect(out.trim().length, name).toBeGreaterThan(0);
      return out;
    };

    expect(await text("announcement.hbs", announcementData(CODE, records, config))).toContain("an attendee made unwanted comments");
    for (const to of ["reporter", "reported"] as const) {
      const letter = buildLetter(CODE, records, config, to);
      // The reporter's letter tells what was written for them, never the finding (deliberate change).
      const out = await text(letter.template, letter.data);
      if (to === "reported") expect(out).toContain("Comments were made.");
      else expect(out).toContain("The team acted on the report.");
      if (to === "reporter") expect(out).not.toContain("Comments were made.");
    }
    for (const kind of ["ack", "update"] as const) {
      const letter = buildStageLetter(CODE, records, config, kind, NOW, kind === "update" ? "We have spoken with the people involved." : undefined);
      const out = await text(letter.template, letter.data);
      expect(out).toContain("Dear Sam Reporter");
      if (kind === "update") expect(out).toContain("We have spoken with the people involved.");
    }
    const summary = foldCase(CODE, records, config.deadlines, NOW);
    expect(await text("matrix.hbs", caseMatrix(summary, config), { helpers: matrixHelpers })).toContain("alice: high risk, low impact");
    for (const data of [caseMatrix(summary, config), overallMatrix([summary], config)]) {
      await text("matrix.hbs", data, { helpers: matrixHelpers });
      await text("matrix.md.hbs", data, { helpers: matrixHelpers });
    }
    const { report } = buildTransparency({ config, team: ["alice"], cases: [{ code: CODE, records }], now: NOW });
    for (const format of ["md", "html"] as const) {
      rendered.add(`transparency.${format}.hbs`);
      expect(await renderTransparency(report, format, { dirs })).toContain("Unwanted comments");
    }

    expect([...rendered].sort()).toEqual(readdirSync(templatesDir()).filter((f) => f.endsWith(".hbs")).sort());
  });
});

describe("a team template", () => {
  const data = { name: "Pat", list: ["a", "b"], nested: { x: 1 } };

  it('{{log "x"}} prints nothing and fails with one line naming the file and the helper', async () => {
    const { printed, error } = await printedDuring(() => renderTeam("announcement.hbs", 'Hello\n{{log "leaked to the console"}}\n', data));
    expect(printed).toEqual([]);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^${join(teamDir, "announcement.hbs")}:2: the template uses the helper "log", which coc does not provide \\(helpers: [a-zA-Z, ]+\\)$`));
    expect(message).not.toContain("\n");
  });

  it("{{log}} in every other form, lookup and unknown helpers fail the same way, printing nothing", async () => {
    const cases: [string, RegExp][] = [
      ['{{#if name}}{{log "x" level="error"}}{{/if}}', /:1: the template uses the helper "log"/],
      ["{{log name}}", /:1: the template uses the helper "log"/],
      ["{{log}}", /:1: the template names "log", which is not a field of its data/],
      ["{{#log}}x{{/log}}", /:1: the template names "log", which is not a field of its data/],
      ['{{lookup this "name"}}', /:1: the template uses the helper "lookup"/],
      ["{{#each (lookup this 'list')}}{{this}}{{/each}}", /:1: the template uses the helper "lookup"/],
      ["{{shout name}}", /:1: the template uses the helper "shout"/],
      ["{{helperMissing name}}", /:1: the template uses the helper "helperMissing"/],
      ["{{> partial}}", /: The partial partial could not be found$/],
    ];
    for (const [source, expected] of cases) {
      const { printed, error } = await printedDuring(() => renderTeam("t.hbs", source, data));
      expect(printed, source).toEqual([]);
      expect(error, source).toBeInstanceOf(UserError);
      expect((error as Error).message, source).toMatch(expected);
      expect((error as Error).message, source).toContain(join(teamDir, "t.hbs"));
    }
  });

  it("keeps coc's helpers and the built-in blocks", async () => {
    const source = '{{#with nested}}{{x}}{{/with}} {{#each list}}{{this}}{{#unless @last}},{{/unless}}{{/each}} {{#if (eq name "Pat")}}{{join list "+"}} {{plural 2 "case" "cases"}}{{/if}}';
    expect(await renderTeam("ok.hbs", source, data)).toBe("1 a,b a+b 2 cases");
  });

  it("cannot reach a prototype, and says nothing about it", async () => {
    const sources = ["{{constructor}}{{__proto__}}", "{{name.constructor}}{{#with nested}}{{constructor.constructor}}{{/with}}", "{{list.constructor}}{{list.push}}{{nested.hasOwnProperty}}{{toString}}"];
    for (const source of sources) {
      const { printed, error } = await printedDuring(() => renderTeam("proto.hbs", source, data).then((out) => expect(out, source).toBe("")));
      expect(printed, source).toEqual([]);
      if (error !== undefined) expect(error, source).toBeInstanceOf(UserError);
    }
  });

  it("names a missing field as before", async () => {
    await expect(renderTeam("missing.hbs", "Hello\n{{name}} {{nosuch}}", data)).rejects.toThrow(
      new UserError(`${join(teamDir, "missing.hbs")}:2: the template names "nosuch", which is not a field of its data`),
    );
  });

  it("refuses a control character, naming the line and the character", async () => {
    await expect(renderTeam("esc.hbs", "line one\r\nline two \u001b]0;title\u0007", data)).rejects.toThrow(
      new UserError(`${join(teamDir, "esc.hbs")}:2: the template holds a control character (U+001b); a template is plain text`),
    );
    await expect(renderTeam("cr.hbs", "over\rwritten", data)).rejects.toThrow(/cr\.hbs:1: the template holds a control character \(U\+000d\)/);
    expect(await renderTeam("crlf.hbs", "Hello {{name}}\r\n\tbye\r\n", data)).toBe("Hello Pat\r\n\tbye\r\n");
  });
});
