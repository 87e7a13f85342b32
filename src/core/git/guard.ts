/**
 * The pre-commit guard: no file under cases/ may be committed unless it is an
 * age file. coc writes it from its own package into `.git/coc/hooks/` (never
 * from the repository: a tracked hook would be code anyone with push access
 * could change) and points `core.hooksPath` there, so a member's own
 * `git commit` runs it too.
 */
import { chmod, lstat, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Git } from "./client.js";
import { settledBefore, statusKey } from "../file-status.js";
import { readStateFile } from "../state-file.js";

/** The guard's script. */
export const PRE_COMMIT_HOOK = `#!/bin/sh
# coc guard: refuse to commit any file under cases/ that is not age-encrypted.
# Written by coc into .git/coc/hooks (core.hooksPath); never taken from the
# repository. \`coc verify\` checks all history too. One git grep over the
# staged files (not one process per file): a staged file under cases/ must hold
# an age header line, binary or armored.
staged=$(git diff --cached --name-only --diff-filter=ACMR -- cases)
[ -z "$staged" ] && exit 0
bad=$(git diff --cached --name-only --diff-filter=ACMR -z -- cases |
  xargs -0 git grep --cached -L -e '^age-encryption\\.org/v1$' -e '^-----BEGIN AGE ENCRYPTED FILE-----$' --)
if [ -n "$bad" ]; then
  echo "coc: refusing to commit files under cases/ that are not age-encrypted:" >&2
  echo "$bad" | sed 's/^/  /' >&2
  echo "Records are written by coc only. Unstage with: git reset -- <file>" >&2
  exit 1
fi
exit 0
`;

/**
 * The value of `core.hooksPath` in the clone's config: `.git/coc/hooks`
 * (relative to the work tree, so a clone that is moved or copied keeps it)
 * when the git directory is `.git` at the root, else the absolute path.
 */
async function hooksSetting(git: Git): Promise<string> {
  const dir = await git.hooksDir();
  return dir === join(git.root, ".git", "coc", "hooks") ? ".git/coc/hooks" : dir;
}

/** What {@link installGuard} found and did: "switched" when hooks pointed elsewhere, "installed" when the guard file was missing or changed. */
export interface GuardInstall {
  result: "ok" | "installed" | "switched";
  /** `core.hooksPath` as it was found in the clone's config. */
  hooksPathWas: string | undefined;
}

/**
 * `core.hooksPath` in the clone's own config file (`git config --local`,
 * which reads that one file). Asking git costs a process at every command,
 * so when git said it is `setting`, that answer is kept in
 * `.git/coc/hooks-path.ok` with the config file's status (size, times,
 * inode), and used while the file's status is the same: any change to the
 * file (git rewrites it whole) asks git again. A file changed within two
 * seconds of now, or of when the memo was written by the file system's clock
 * (the memo's modification time), is never known this way.
 */
async function localHooksPath(git: Git, setting: string): Promise<string | undefined> {
  const gitDir = await git.dir();
  const memo = join(gitDir, "coc", "hooks-path.ok");
  const st = await lstat(join(gitDir, "config")).catch(() => undefined);
  const now = Date.now();
  const key = st?.isFile() && settledBefore(st, now) ? `${setting}\n${statusKey(st)}\n` : undefined;
  // Settled by the file system's clock too (the memo's own modification time), which may differ from this machine's.
  const memoTime = key !== undefined ? (await lstat(memo).catch(() => undefined))?.mtimeMs : undefined;
  const settled = memoTime !== undefined && settledBefore(st!, memoTime);
  if (settled && (await readStateFile(memo)) === key) return setting;
  const value = await git.config("core.hooksPath", "local");
  if (value === setting && key !== undefined) {
    // A new file renamed into place: never written through whatever stands there (a FIFO would wait for a reader forever).
    const temp = `${memo}.${process.pid}.tmp`;
    await writeFile(temp, key, { mode: 0o600, flag: "wx" })
      .then(() => rename(temp, memo))
      .catch(() => rm(temp, { force: true }));
  }
  return value;
}

/**
 * Makes sure this clone runs coc's guard and nothing else: the hook file in
 * `.git/coc/hooks/` is coc's own, and `core.hooksPath` points at that
 * directory. @returns "switched" when the clone was set up the old way (a
 * tracked `.coc/hooks`) or pointed elsewhere, "installed" when the guard was
 * missing or changed, "ok" otherwise.
 */
export async function installGuard(git: Git): Promise<GuardInstall> {
  const dir = await git.hooksDir();
  const setting = await hooksSetting(git);
  const file = join(dir, "pre-commit");
  let result: GuardInstall["result"] = "ok";
  const current = await readStateFile(file);
  if (current !== PRE_COMMIT_HOOK) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, PRE_COMMIT_HOOK, { mode: 0o755 });
    await chmod(temp, 0o755);
    await rename(temp, file);
    result = "installed";
  }
  const hooksPathWas = await localHooksPath(git, setting);
  if (hooksPathWas !== setting) {
    await git.setConfig("core.hooksPath", setting);
    result = "switched";
  }
  await pinAttributes(await git.dir());
  return { result, hooksPathWas };
}

/**
 * What `.git/info/attributes` must say. That file outranks every
 * `.gitattributes` (which arrives through git like any other file): without
 * it, a pushed `* text eol=crlf` or `working-tree-encoding` makes git rewrite
 * age files on checkout or commit (unreadable records), and a pushed merge
 * driver (`union`, `binary`) changes how a pull merges the roster. With it,
 * every file is stored and checked out byte for byte, and merged git's
 * default way.
 */
export const ATTRIBUTES_LINE = "* -text -eol -ident -filter -working-tree-encoding !merge";

/** Puts {@link ATTRIBUTES_LINE} last in the clone's `info/attributes` (keeping the user's own lines) unless it is already last. */
async function pinAttributes(gitDir: string): Promise<void> {
  const file = join(gitDir, "info", "attributes");
  const current = (await readStateFile(file)) ?? "";
  const lines = current.split("\n").filter((l) => l !== "" && l !== ATTRIBUTES_LINE && l !== ATTRIBUTES_COMMENT);
  if (current.trimEnd().endsWith(ATTRIBUTES_LINE)) return;
  await mkdir(join(gitDir, "info"), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, [...lines, ATTRIBUTES_COMMENT, ATTRIBUTES_LINE, ""].join("\n"));
  await rename(temp, file);
}

const ATTRIBUTES_COMMENT = "# coc: every file byte for byte, whatever a .gitattributes that arrived through git says";

/**
 * What `coc verify` finds about the guard: problems (including what opening
 * the repository found and repaired: `found`), and tracked hook files that
 * coc ignores.
 */
export async function checkGuard(git: Git, found: GuardInstall): Promise<{ problems: string[]; ignored: string[] }> {
  const dir = await git.hooksDir();
  const setting = await hooksSetting(git);
  const problems: string[] = [];
  const was = found.hooksPathWas;
  if (found.result === "switched") problems.push(`core.hooksPath ${was ? `was "${was}"` : "is not set"} in this clone's config, not coc's own ${dir}: a plain git commit did not run the guard (coc has pointed it back now)`);
  const hooksPath = await git.config("core.hooksPath", "local");
  if (hooksPath !== setting) problems.push(`core.hooksPath is ${hooksPath ? `"${hooksPath}"` : "not set"}, not coc's own ${setting}`);
  const hook = await readStateFile(join(dir, "pre-commit"));
  if (hook === undefined) problems.push("the pre-commit guard is missing from .git/coc/hooks; any coc command installs it");
  else if (hook !== PRE_COMMIT_HOOK) problems.push("the pre-commit guard in .git/coc/hooks differs from coc's own; any coc command rewrites it");
  const others = (await readdir(dir).catch(() => [] as string[])).filter((f) => f !== "pre-commit" && !f.endsWith(".tmp"));
  for (const f of others) problems.push(`an unexpected hook .git/coc/hooks/${f} (coc installs only pre-commit; remove it)`);
  const tracked = (await git.raw(["ls-files", "--", ".coc/hooks", ".githooks"]).catch(() => "")).split("\n").filter(Boolean);
  return { problems, ignored: tracked };
}
