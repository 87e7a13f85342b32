/** `coc sync`: pull (rebase) and push through the repository's git remote. */
import { sync } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";

export async function run(_o: object, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const result = await sync(repo, { interactive: io.canPrompt });
  if (io.json) io.printJson(result);
  io.info(`Synced with ${result.remote}/${result.branch}: ${result.pulled} commit(s) in, ${result.pushed} out.`);
}
