/** `coc team remove <name>`: off the roster, and every record they could read re-encrypted without them. */
import { removeMember } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export async function run(o: { name: string }, io: Io): Promise<void> {
  const { name } = o;
  const repo = await openRepo(io);
  // Someone already off the roster only needs their leftover records re-encrypted: nothing to confirm.
  if (repo.member(name)) await confirmWarnings(io, [`removing ${name} re-encrypts every record they could read; what they already pulled stays readable to them`], `Remove ${name}?`);
  const result = await removeMember(repo, name, io.now());
  if (io.json) io.printJson(result);
  const what = `re-encrypted ${result.files} record(s) in ${result.reencrypted.length} case(s) without them`;
  io.info(result.onRoster ? `Removed ${name} from the roster and ${what}, in one commit.` : `${name} was already off the roster; ${what}.`);
  io.info(
    `What coc cannot undo: ${name} keeps everything they already received. Git history and their own clones still hold the old ciphertexts, readable with their key. Run coc sync so the rest of the team stops encrypting to them.`,
  );
  if (result.unreadable.length > 0) {
    io.warn(`${result.unreadable.length} case(s) are not encrypted to you and may still be encrypted to ${name} (${result.unreadable.join(", ")}): ask a member who can read them to run coc team remove ${name}.`);
  }
  await sayNotShared(io, repo);
}
