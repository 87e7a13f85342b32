/** `coc keygen`: create an identity file and print its public recipient. */
import { resolve } from "node:path";
import { formatMemberKey, writeNewIdentity } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { identityPath } from "../../open.js";

export interface KeygenOptions {
  out?: string | undefined;
}

export async function run(o: KeygenOptions, io: Io): Promise<void> {
  const path = o.out ? resolve(io.ctx.cwd, o.out) : identityPath(io);
  const { recipient, signingKey } = await writeNewIdentity(path, io.now());
  const memberKey = formatMemberKey(recipient, signingKey);
  if (io.json) io.printJson({ member_key: memberKey, recipient, signing_key: signingKey, path });
  else io.print(memberKey);
  io.info(`Wrote your identity to ${path} (mode 0600). Keep it private and backed up: losing it means losing access to every case.`);
  io.info("Give the member key above (one line: your age recipient and your signing key) to your team lead: coc team add <name> <member key>.");
}
