/** `coc open <case> <n>`: one evidence file, decrypted into the private RAM directory for as long as it is viewed. */
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type { Runner } from "../../command.js";
import type { OpenOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("open")
    .description("decrypt one evidence file into a private RAM directory and open it; removed afterwards")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .argument("<n>", "the evidence number coc show lists", (v: string) => {
      if (!/^[1-9]\d{0,5}$/.test(v)) throw new InvalidArgumentError("expected an evidence number such as 1 (see coc show)");
      return Number(v);
    })
    .option("--print-path", "print the decrypted file's path instead of opening a viewer; it is removed when you press Enter")
    .addHelpText(
      "after",
      `
The file is decrypted into a new directory (mode 0700) on a RAM file system
(/dev/shm, or COC_RAM_DIR), checked against the SHA-256 its signed record
holds, and opened with COC_VIEWER, else xdg-open (open on macOS). It is
removed when the viewer exits (for xdg-open, which returns at once: when you
press Enter), and on Ctrl+C or SIGTERM.

Examples:
  coc open quiet-otter-42 1
  coc open quiet-otter-42 2 --print-path`,
    );
  cmd.action(r.action(cmd, ([code, n]): OpenOptions => ({ code: code as string, n: n as number, printPath: cmd.opts<{ printPath?: boolean }>().printPath }), () => import("./run.js")));
}
