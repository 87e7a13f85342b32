/**
 * `coc share <case> <member>`: shares an existing case with a member who
 * joined after it, once they have declared (told only the case code, never
 * its content) that they have no conflict. Records the declaration and
 * re-encrypts the whole case to include them, in one commit.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { ShareOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("share")
    .description("share an existing case with a member who joined later, after they declared no conflict (one commit)")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .argument("<member>", "the team member to share it with")
    .option("--no-conflict", "the member has declared that they have no conflict with this case")
    .option("--closed", "share a closed case too (closed cases are not re-shared unless asked)")
    .addHelpText(
      "after",
      `
Ask the member about each case by its code only, never its content: "do you
have a conflict with case quiet-otter-42?" If they do, record it with
coc recuse <case> <member> instead; the case is never shared with them.
Run by a member who can read the case. Once shared, they can read every
record of it, including earlier ones.

Examples:
  coc share quiet-otter-42 dave                  # asks whether dave declared no conflict
  coc share quiet-otter-42 dave --no-conflict    # scripts
  coc share calm-heron-17 dave --no-conflict --closed`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code, member]): ShareOptions => {
        // commander turns --no-conflict into `conflict: false`; by default it is true (not declared).
        const flags = cmd.opts<{ conflict: boolean; closed?: boolean }>();
        return { code: code as string, member: member as string, noConflict: flags.conflict === false, closed: Boolean(flags.closed) };
      },
      () => import("./run.js"),
    ),
  );
}
