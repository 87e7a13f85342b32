/** Whether the clone is in a state where coc may commit. */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.js";
import type { Git } from "../git/client.js";

const IN_PROGRESS: readonly [string, string][] = [
  ["rebase-merge", "a rebase"],
  ["rebase-apply", "a rebase"],
  ["MERGE_HEAD", "a merge"],
  ["CHERRY_PICK_HEAD", "a cherry-pick"],
  ["REVERT_HEAD", "a revert"],
];

/**
 * Refuses to write in the middle of the user's own git operation or on a
 * detached HEAD: a commit there would be lost or mixed into their work.
 * @throws UserError naming the state and how to leave it.
 */
export async function refuseMidOperation(git: Git): Promise<void> {
  const dir = await git.dir();
  for (const [name, what] of IN_PROGRESS) {
    if (await stat(join(dir, name)).then(() => true, () => false)) {
      throw new UserError(`this clone is in the middle of ${what} (git status shows it); finish or abort it first (e.g. git ${what === "a rebase" ? "rebase" : what === "a merge" ? "merge" : what.slice(2)} --abort); nothing was written`);
    }
  }
  const head = await readFile(join(dir, "HEAD"), "utf8").catch(() => "");
  if (head !== "" && !head.startsWith("ref: ")) throw new UserError("HEAD is detached; check out a branch (git switch main) before writing; nothing was written");
}
