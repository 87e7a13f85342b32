/** After a write: one line when it is not shared with the team yet. */
import { syncStatus, type Repo } from "../../core/index.js";
import type { Io } from "../io.js";

/** Says, on stderr, that this clone holds commits the remote does not have yet (nothing when there is no remote). */
export async function sayNotShared(io: Io, repo: Repo): Promise<void> {
  const s = await syncStatus(repo).catch(() => undefined);
  if (s?.remote && s.unpushed > 0) io.info(io.err.dim(`Not shared with the team yet (${s.unpushed} commit(s) only in this clone): run coc sync.`));
}
