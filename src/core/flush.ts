/**
 * Flushing to disk what a change wrote (fsync), so that what coc says is
 * written survives a power cut. Both never throw: a file system that cannot
 * flush (or a file gone meanwhile) leaves it to its own timing.
 */
import { open } from "node:fs/promises";

/** fsync on a file (opened read-only: enough on Linux and macOS) or a directory (its entries: a rename into it, a removal). */
export async function flushPath(path: string): Promise<void> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // See above.
  } finally {
    await handle.close().catch(() => undefined);
  }
}
