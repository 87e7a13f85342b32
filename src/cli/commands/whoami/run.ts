/** `coc whoami`: the member key of the current identity. */
import { formatMemberKey } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { identityPath, unlock } from "../../open.js";

export async function run(_o: object, io: Io): Promise<void> {
  const d = await unlock(io);
  const recipient = d.recipients[0]!;
  const signingKey = d.signingKey().publicKey;
  const memberKey = formatMemberKey(recipient, signingKey);
  if (io.json) io.printJson({ member_key: memberKey, recipient, signing_key: signingKey, identity: identityPath(io) });
  else io.print(memberKey);
}
