/** `coc show <case>`: the whole case, record by record in time order. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("show")
    .description("show a whole case: reports, conflicts, assessments, notes, decisions, timeline")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .addHelpText("after", "\nExamples:\n  coc show quiet-otter-42\n  coc show quiet-otter-42 --json | jq '.records[0].body'");
  cmd.action(
    r.action(cmd, async (s, code: string) => {
      const { escapeTerminalLine: line } = await import("../output/escape.js");
      const { localTime } = await import("../output/format.js");
      const { renderValue } = await import("../output/record.js");
      const ws = await s.workspace();
      const now = s.ctx.now();
      const shown = await ws.show(code, now);
      for (const p of shown.problems) s.info(`${s.err.red("error:")} ${line(p.file)}: ${line(p.message)}`);
      if (shown.notForYou.length > 0) s.warn(`${shown.notForYou.length} record(s) of this case are not encrypted to you and are not shown.`);
      const { summary } = shown;
      if (s.json) {
        s.printJson({
          case: summary.case,
          state: summary.state,
          records: shown.records.map(({ record }) => ({
            type: record.type,
            id: record.id,
            author: record.author,
            created_at: record.created_at,
            recipients: record.recipients,
            body: record.body,
          })),
        });
        return shown.problems.length > 0 ? 1 : 0;
      }
      const o = s.out;
      const lines: string[] = [];
      lines.push(`${o.bold(`Case ${summary.case}`)}  ${summary.state}${summary.overdue ? o.red("  overdue") : ""}`);
      lines.push(`  received: ${localTime(summary.received_at)}   reports: ${summary.reports}`);
      if (summary.votes.length > 0) lines.push(`  risk/impact: ${summary.risk}/${summary.impact} (${summary.votes.length} vote${summary.votes.length === 1 ? "" : "s"})`);
      if (summary.category) lines.push(`  category: ${line(summary.category)}`);
      if (summary.excluded.length > 0) lines.push(`  excluded: ${line(summary.excluded.join(", "))}`);
      if (summary.recused.length > 0) lines.push(`  recused: ${line(summary.recused.join(", "))}`);
      for (const d of summary.deadlines) {
        const status = d.met_at ? o.green(`met ${localTime(d.met_at)}`) : d.overdue ? o.red(`OVERDUE since ${localTime(d.due_at)}`) : `due ${localTime(d.due_at)}`;
        lines.push(`  deadline: ${line(d.what)}: ${status}`);
      }
      for (const { record } of shown.records) {
        lines.push("");
        lines.push(`${o.bold.underline(line(record.type))}  ${localTime(record.created_at)}  by ${line(record.author)}  ${o.dim(line(`(${record.id}; to ${record.recipients.join(", ")})`))}`);
        lines.push(...renderValue(record.body, o));
      }
      s.print(lines.join("\n"));
      return shown.problems.length > 0 ? 1 : 0;
    }),
  );
}
