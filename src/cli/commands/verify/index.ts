/** `coc verify`: every record readable and well-formed, recipients right, the guard installed, no plaintext or symlink in history. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("verify")
    .description("check every record, its recipients, the pre-commit guard, and all of git history for plaintext and symlinks")
    .addHelpText("after", "\nExamples:\n  coc verify\n  coc verify --json");
  cmd.action(r.action(cmd, () => ({}), () => import("./run.js")));
}
