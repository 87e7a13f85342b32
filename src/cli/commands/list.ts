/** `coc list`: every case with its state, age, deadlines, category and risk/impact. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

const STATUSES = ["new", "in-review", "decided", "resolved", "closed", "restricted", "unreadable", "open"];

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("list")
    .description("list cases: state, received, age, overdue, risk/impact, category")
    .option("--status <state>", `only cases in this state (${STATUSES.join(", ")}; open = not closed)`)
    .option("--overdue", "only overdue cases")
    .addHelpText("after", "\nExamples:\n  coc list\n  coc list --status new --json\n  coc list --overdue");
  cmd.action(
    r.action(cmd, async (s) => {
      const { UsageError } = await import("../../errors.js");
      const { escapeTerminalLine: line } = await import("../output/escape.js");
      const { age, localTime, table } = await import("../output/format.js");
      const flags = cmd.opts<{ status?: string; overdue?: boolean }>();
      if (flags.status && !STATUSES.includes(flags.status)) {
        throw new UsageError(`--status must be one of ${STATUSES.join(", ")} (got "${flags.status}")`);
      }
      const ws = await s.workspace();
      const now = s.ctx.now();
      const { cases, problems } = await ws.list(now);
      for (const p of problems) s.info(`${s.err.red("error:")} ${line(p.file)}: ${line(p.message)}`);
      const rows = cases
        .map((c) => ({
          case: c.case,
          state: c.restricted ? "restricted" : c.unreadable ? "unreadable" : c.summary!.state,
          received_at: c.summary?.received_at ?? null,
          overdue: c.summary?.overdue ?? false,
          restricted: c.restricted,
          category: c.summary?.category ?? null,
          risk: c.summary?.risk ?? null,
          impact: c.summary?.impact ?? null,
          reasons: c.summary?.overdue_reasons ?? [],
        }))
        .filter((c) => !flags.status || (flags.status === "open" ? !["closed", "restricted", "unreadable"].includes(c.state) : c.state === flags.status))
        .filter((c) => !flags.overdue || c.overdue)
        .sort((a, b) => (b.received_at ?? "").localeCompare(a.received_at ?? "") || a.case.localeCompare(b.case));
      if (s.json) {
        s.printJson(rows.map(({ reasons: _r, ...row }) => row));
      } else if (rows.length === 0) {
        s.info(cases.length === 0 ? "No cases yet. Take a report with: coc new-report" : "No case matches.");
      } else {
        const o = s.out;
        s.print(
          table(
            ["CASE", "STATE", "RECEIVED", "AGE", "OVERDUE", "RISK/IMPACT", "CATEGORY"],
            rows.map((c) => [
              o.bold(line(c.case)),
              c.restricted ? o.dim("restricted") : c.state === "unreadable" ? o.red("unreadable") : c.state,
              localTime(c.received_at),
              age(c.received_at, now),
              c.overdue ? o.red(`yes: ${line(c.reasons.map((x) => x.split(":")[0]).join(", "))}`) : "-",
              c.risk ? `${c.risk}/${c.impact}` : "-",
              c.category == null ? "-" : line(c.category),
            ]),
          ),
        );
        const restricted = rows.filter((c) => c.restricted).length;
        if (restricted > 0) s.info(o.dim(`${restricted} restricted: cases not encrypted to you (a conflict, an exclusion, or from before you joined).`));
      }
      const { expiredCases } = await import("../../core/repo/retention.js");
      const expired = await expiredCases(ws.paths, ws.config, now);
      if (expired.length > 0) s.warn(`${expired.length} case(s) passed the retention period (${ws.config.retention.delete_after_days} days); delete them with coc purge --expired`);
      return problems.length > 0 ? 1 : 0;
    }),
  );
}
