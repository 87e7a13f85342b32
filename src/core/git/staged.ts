/**
 * The guard's check, in-process, for coc's own commits: every file under
 * cases/ that a commit takes must be an age file (binary or armored). The
 * pre-commit guard (./guard.ts) makes the same check for commits made by hand.
 */
import { lstat, open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.js";

const HEADERS = ["age-encryption.org/v1\n", "-----BEGIN AGE ENCRYPTED FILE-----\n", "-----BEGIN AGE ENCRYPTED FILE-----\r\n"].map((h) => Buffer.from(h));
const LONGEST = Math.max(...HEADERS.map((h) => h.length));

/** Whether `bytes` (a file, or at least its first line) begin as an age file does, binary or armored. */
export function isAgeBytes(bytes: Uint8Array): boolean {
  return HEADERS.some((h) => bytes.length >= h.length && h.equals(bytes.subarray(0, h.length)));
}

async function isAgeFile(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(LONGEST);
    const { bytesRead } = await handle.read(head, 0, LONGEST, 0);
    return isAgeBytes(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** The files at and under `rel` (none when it does not exist: a deletion). */
async function filesAt(root: string, rel: string): Promise<string[]> {
  const st = await lstat(join(root, rel)).catch(() => undefined);
  if (!st) return [];
  if (!st.isDirectory()) return [rel];
  const names = await readdir(join(root, rel));
  return (await Promise.all(names.map((n) => filesAt(root, `${rel}/${n}`)))).flat();
}

/**
 * Checks what a commit of `paths` (relative to `root`) would take under cases/.
 * @throws UserError naming the files that are not age files (a symlink is not one).
 */
export async function assertAgeFiles(root: string, paths: readonly string[]): Promise<void> {
  const under = paths.map((p) => p.split("\\").join("/")).filter((p) => p === "cases" || p.startsWith("cases/"));
  const files = (await Promise.all(under.map((p) => filesAt(root, p)))).flat();
  const bad: string[] = [];
  await Promise.all(
    files.map(async (rel) => {
      const st = await lstat(join(root, rel));
      if (!st.isFile() || !(await isAgeFile(join(root, rel)))) bad.push(rel);
    }),
  );
  if (bad.length > 0) throw new UserError(`refusing to commit files under cases/ that are not age-encrypted: ${bad.sort().join(", ")}; nothing was committed`);
}
