/** `coc sync`: share this clone's records through the git remote, and take the others'. */
import { Git } from "../git/client.js";
import { pullAndPush, type SyncResult } from "../git/sync.js";
import type { Repo } from "../repo/repo.js";

/**
 * Pulls and pushes, under the clone's lock. Needs no git identity of the
 * user's own (commits made while settling are the team member's).
 * @param opts.interactive false: git must not ask for credentials on the terminal.
 * @throws UserError when there is no remote, on a conflict or a refused push.
 */
export async function sync(repo: Repo, opts: { interactive: boolean }): Promise<SyncResult> {
  return repo.write(async () => {
    const me = await repo.me().catch(() => undefined);
    if (me) await repo.adoptOwnEdits();
    const git = opts.interactive ? repo.git : new Git(repo.paths.root, { ...repo.env, GIT_TERMINAL_PROMPT: "0" });
    return pullAndPush(git, { member: me?.name ?? "coc" });
  });
}
