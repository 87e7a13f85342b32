/**
 * Knowing a file by its status instead of its bytes, as git's index does: the
 * read cache (./repo/cache.ts) and the hooks-setting memo (./git/guard.ts).
 *
 * A status key holds size, modification and change times, inode and device.
 * A file rewritten in any way (git writes a new file; coc renames one into
 * place; an edit in place moves the change time, which cannot be put back)
 * changes at least one of them. A file changed within RACY_MS of the moment a
 * status was recorded could change again within the same clock tick without
 * its status showing it (git's "racy clean" entries): such a status is never
 * trusted.
 */

/** How long before a moment a file must have changed to be known by its status then. */
export const RACY_MS = 2000;

/** What `lstat`/`fstat` say, as far as a status key needs. */
export interface FileStatus {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

/** The status key of a file: `size:mtime:ctime:ino:dev`. */
export function statusKey(st: FileStatus): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}:${st.dev}`;
}

/** Whether a file with these times changed at least RACY_MS before `time`. */
export function settledBefore(st: Pick<FileStatus, "mtimeMs" | "ctimeMs">, time: number): boolean {
  return Math.max(st.mtimeMs, st.ctimeMs) < time - RACY_MS;
}

/** {@link settledBefore} for a status key. */
export function keySettledBefore(key: string, time: number): boolean {
  const [, mtimeMs, ctimeMs] = key.split(":").map(Number);
  return mtimeMs !== undefined && ctimeMs !== undefined && settledBefore({ mtimeMs, ctimeMs }, time);
}
