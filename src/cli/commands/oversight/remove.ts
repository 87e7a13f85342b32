/** `coc oversight remove <name>`: off the list, and every record escalated to them re-encrypted without them. */
import { removeOverseer } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export async function run(o: { name: string }, io: Io): Promise<void> {
  const { name } = o;
  const repo = await openRepo(io);
  if (repo.overseer(name)) await confirmWarnings(io, [`removing ${name} re-encrypts every record escalated to them; what they already pulled stays readable to them`], `Remove ${name}?`);
  const result = await removeOverseer(repo, name);
  if (io.json) io.printJson(result);
  const what = `re-encrypted ${result.files} record(s) in ${result.reencrypted.length} case(s) without them`;
  io.info(result.onList ? `Removed ${name} from the oversight list and ${what}, in one commit.` : `${name} was already off the oversight list; ${what}.`);
  io.info(
    `What coc cannot undo: ${name} keeps everything they already received (the cases escalated to them, summaries and audit bundles sent to them). Git history and any clone they have still hold the old ciphertexts, readable with their key. Run coc sync so the team stops encrypting to them.`,
  );
  if (result.unreadable.length > 0) io.warn(`${result.unreadable.length} case(s) are not encrypted to you and may still be encrypted to ${name} (${result.unreadable.join(", ")}): ask a member who can read them to run coc oversight remove ${name}.`);
  await sayNotShared(io, repo);
}
