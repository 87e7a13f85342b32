/**
 * `coc recuse <case> <member>`: records a conflict of interest and
 * re-encrypts every record of the case without that member, in one commit.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { RecuseOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("recuse")
    .description("record a conflict of interest and re-encrypt the whole case without that member")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .argument("<member>", "the team member who is recused")
    .option("--reason <text>", "why (optional: nobody has to say why; stored encrypted in the case)")
    .addHelpText(
      "after",
      `
The member stops receiving the case from now on: every record of it is
re-encrypted without them and committed at once. Copies they pulled before
stay readable to them (git history keeps old ciphertexts), so recuse before
the case is shared when you can (coc new-report: exclude; coc review).

Examples:
  coc recuse quiet-otter-42 bob
  coc recuse quiet-otter-42 carol --reason "works with the reported person"`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code, member]): RecuseOptions => ({ code: code as string, member: member as string, reason: cmd.opts<{ reason?: string }>().reason }),
      () => import("./run.js"),
    ),
  );
}
