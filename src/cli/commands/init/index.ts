/** `coc init [dir]`: scaffold an incident repository with the caller as first member. */
import { Option, type Command } from "commander";
import type { Runner } from "../../command.js";
import type { InitOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("init")
    .description("create an incident repository (git, .coc/ settings, roster, pre-commit guard, templates) in one commit")
    .argument("[dir]", "directory to create it in", ".")
    .option("--event <name>", "event or community name")
    .option("--member <name>", "your name on the team (you become its first member and lead)")
    .option("--contact <text>", "how people reach the team (public)")
    .option("--policy-url <url>", "where the code of conduct is published")
    .addOption(new Option("--ladder <name>", "resolution ladder").choices(["care", "cc2.1", "cc3"]))
    .option("--from <previous repo>", "start from last year's repository: its config (all but the event) and templates, never its cases or roster")
    .addHelpText(
      "after",
      '\nExamples:\n  coc init care-2026 --event "PyExample 2026" --member alice --contact care@example.org\n  coc init care-2027 --from ../care-2026 --event "PyExample 2027" --member alice',
    );
  cmd.action(r.action(cmd, ([dir]): InitOptions => ({ dir: dir as string, ...cmd.opts<Omit<InitOptions, "dir">>() }), () => import("./run.js")));
}
