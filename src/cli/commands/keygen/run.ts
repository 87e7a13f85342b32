/** `coc keygen`: create an identity file and print its public recipient. */
import { resolve } from "node:path";
import { writeNewIdentity } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { identityPath } from "../../open.js";

export interface KeygenOptions {
  out?: string | undefined;
}

export async function run(o: KeygenOptions, io: Io): Promise<void> {
  const path = o.out ? resolve(io.ctx.cwd, o.out) : identityPath(io);
  const recipient = await writeNewIdentity(path, io.now());
  if (io.json) io.printJson({ recipient, path });
  else io.print(recipient);
  io.info(`Wrote your identity to ${path} (mode 0600). Keep it private and backed up: losing it means losing access to every case.`);
  io.info("Give the public recipient above to your team lead (coc team add <name> <recipient>).");
}
