/** `coc export --audit <case> --to <name>`: the case for an oversight person, as one age file encrypted to them alone. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { ExportOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("export")
    .description("export a case for an oversight person: one age file, encrypted to them only, without the reporter's identity")
    .requiredOption("--audit <case>", "the case to export (every record you can read, as one YAML document)")
    .requiredOption("--to <name>", "the oversight person it is encrypted to (coc oversight list)")
    .option("--out <file>", "write the age file here (outside the repository); default: stdout, ASCII-armored")
    .option("--include-reporter", "keep the reporter's name and contact (only when their consent allows sharing with this person)")
    .addHelpText(
      "after",
      `
The bundle is built and encrypted in memory: the plaintext never touches disk.
The reporter's name and contact are replaced by "[reporter withheld]", in their
report and wherever their name or contact appears in any record, unless
--include-reporter is given and the consent of every report allows it.

Examples:
  coc export --audit quiet-otter-42 --to board-liaison-kim --out ~/quiet-otter-42.audit.age
  coc export --audit quiet-otter-42 --to board-liaison-kim > quiet-otter-42.audit.age.txt
They read it with: age -d -i their-identity.txt quiet-otter-42.audit.age`,
    );
  cmd.action(
    r.action(
      cmd,
      (): ExportOptions => {
        const f = cmd.opts<{ audit: string; to: string; out?: string; includeReporter?: boolean }>();
        return { code: f.audit, to: f.to, out: f.out, includeReporter: Boolean(f.includeReporter) };
      },
      () => import("./run.js"),
    ),
  );
}
