/** `coc verify`: every record readable and well-formed, recipients right, the guard installed, no plaintext or symlink in history. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("verify")
    .description("check every record, its recipients, the pre-commit guard, and all of git history for plaintext and symlinks")
    .addHelpText("after", "\nExamples:\n  coc verify\n  coc verify --json");
  cmd.action(
    r.action(cmd, async (s) => {
      const { verifyRepository } = await import("../../core/repo/verify.js");
      const ws = await s.workspace();
      const report = await verifyRepository(ws);
      if (s.json) {
        s.printJson({ ok: report.problems.length === 0, ...report });
      } else {
        for (const p of report.problems) s.print(`${s.out.red("problem:")} ${p.file}${p.commit ? ` (commit ${p.commit.slice(0, 12)})` : ""}: ${p.message}`);
        for (const n of report.notes) s.info(s.err.dim(`note: ${n}`));
        const summary = `${report.cases} case(s), ${report.records} record(s): ${report.checked} checked, ${report.notForYou} not encrypted to you; ${report.historyBlobs} file version(s) in history checked.`;
        s.info(report.problems.length === 0 ? `${s.err.green("ok:")} ${summary}` : `${report.problems.length} problem(s). ${summary}`);
      }
      return report.problems.length === 0 ? 0 : 1;
    }),
  );
}
