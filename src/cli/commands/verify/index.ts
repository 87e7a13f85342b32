/** `coc verify`: every record readable and well-formed, recipients right, the guard installed, no plaintext or symlink in history. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("verify")
    .description("check every record, its recipients, the pre-commit guard, and all of git history for plaintext and symlinks")
    .option("--vouch", "(a lead) vouch for every unverified record you can read: one signed record per case naming each with its content hash, after which they count; then verify")
    .addHelpText(
      "after",
      `
A record counts only when it is signed by its author's key on the roster you
confirmed. Records from before coc signed them (or by a member since removed)
are listed as unverified; check them with your team, then a lead vouches for
them once with --vouch.

Examples:
  coc verify
  coc verify --json
  coc verify --vouch`,
    );
  cmd.action(r.action(cmd, () => ({ vouch: Boolean(cmd.opts<{ vouch?: boolean }>().vouch) }), () => import("./run.js")));
}
