/**
 * Files a command writes with `--out` (public text, an audit bundle): never
 * inside the repository (the commit guard keeps plaintext out of cases/ only),
 * written to a temp file beside the target and renamed into place, mode 0600.
 */
import { randomBytes } from "node:crypto";
import { realpathSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { UserError } from "../errors.js";

/** `p` with its existing ancestors' symlinks resolved (the file itself need not exist). */
function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    return parent === p ? p : join(real(parent), basename(p));
  }
}

/** Whether `target` is `root` or lies under it, links resolved. */
export function insideRepository(root: string, target: string): boolean {
  const rel = relative(real(root), real(target));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Writes `content` to `target` atomically, mode 0600.
 * @throws UserError naming `shown` (what the user typed) when it cannot be written.
 */
export async function writeOutFile(target: string, shown: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, content, { flag: "wx", mode: 0o600 });
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw new UserError(`cannot write ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
