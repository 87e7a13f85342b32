/** `coc keygen`: create an identity file and print its public recipient. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { KeygenOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("keygen")
    .description("create your age identity (mode 0600; never overwrites) and print its public recipient")
    .option("-o, --out <file>", "where to write it (default: --identity, COC_IDENTITY, or $XDG_CONFIG_HOME/coc/identity.txt)")
    .addHelpText("after", "\nExample:\n  coc keygen\n  coc keygen --out ~/keys/coc.txt");
  cmd.action(r.action(cmd, (): KeygenOptions => ({ out: cmd.opts<KeygenOptions>().out }), () => import("./run.js")));
}
