/**
 * `coc demo [dir]`: try coc without setting anything up. A throwaway team,
 * identities and repository with fictional cases, taken through review and
 * resolution; then the list, a matrix, the transparency report, the register
 * of consequences and a list checked against it, stage letters, a plan, a
 * consent refusal and what comes due. Never
 * touches the user's own identity, coc settings or git configuration.
 */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { DemoOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("demo")
    .description("try coc: a throwaway team and repository with fictional cases, then the list, a matrix and the transparency report")
    .argument("[dir]", "where to create it (a new or empty directory)", "coc-demo")
    .addHelpText(
      "after",
      `
Examples:
  coc demo
  coc demo /tmp/coc-demo

Creates, in <dir>: three throwaway identities (keys/alex.txt, keys/bo.txt,
keys/chris.txt, never committed), an incident repository for "DemoConf 2026"
and five fictional cases, one for each cell of the risk/impact matrix (one
with two reports) and one still in review. Your own identity, coc settings and
git configuration are never read or written. Then it shows, as alex: the list,
a matrix, the transparency report, the register of consequences (coc bans) and a
registration list checked against it, an acknowledgement letter, the letter to
a reported person with a behavioural plan, a letter refused because the reporter
did not agree, and what ends or comes due within 14 days. Delete the directory
when done.`,
    );
  cmd.action(r.action(cmd, ([dir]): DemoOptions => ({ dir: dir as string }), () => import("./run.js")));
}
