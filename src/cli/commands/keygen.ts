/** `coc keygen`: create an identity file and print its public recipient. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("keygen")
    .description("create your age identity (mode 0600; never overwrites) and print its public recipient")
    .option("-o, --out <file>", "where to write it (default: --identity, COC_IDENTITY, or $XDG_CONFIG_HOME/coc/identity.txt)")
    .addHelpText("after", "\nExample:\n  coc keygen\n  coc keygen --out ~/keys/coc.txt");
  cmd.action(
    r.action(cmd, async (s) => {
      const { writeNewIdentity } = await import("../../core/crypto/identity.js");
      const { resolve } = await import("node:path");
      const out = cmd.opts<{ out?: string }>().out;
      const path = out ? resolve(s.ctx.cwd, out) : s.identityPath();
      const recipient = await writeNewIdentity(path, s.ctx.now());
      if (s.json) s.printJson({ recipient, path });
      else s.print(recipient);
      s.info(`Wrote your identity to ${path} (mode 0600). Keep it private and backed up: losing it means losing access to every case.`);
      s.info("Give the public recipient above to your team lead (coc team add <name> <recipient>).");
    }),
  );
}
