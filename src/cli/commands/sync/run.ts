/** `coc sync`: fetch, check, merge and push through the repository's git remote. */
import { sync } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";

export async function run(_o: object, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const result = await sync(repo, { interactive: io.canPrompt, now: io.now() });
  if (io.json) io.printJson(result);
  io.info(`Synced with ${result.remote}/${result.branch}: ${result.pulled} commit(s) in, ${result.pushed} out.`);
  if (result.reencrypted.length > 0) io.info(`Re-encrypted case(s) ${result.reencrypted.join(", ")} to their readers before pushing: some records were still encrypted to someone recused, excluded or removed meanwhile.`);
  if (result.unreadable.length > 0) io.info(`Not checked (you can read none of their records): ${result.unreadable.join(", ")}; someone who can read them must run coc sync.`);
}
