/**
 * Reading the small files coc keeps for itself, outside what git shares: in
 * the clone's `.git/coc/` (its id, the sync state, the hooks-path memo, the
 * guard) and `.git/info/attributes`, and the roster pins in the user's
 * configuration directory. No push reaches them, but a local program, a
 * crash or a slip can leave anything there: each is read only when it is a
 * regular file (never through a symbolic link, and a FIFO opened without
 * waiting for a writer) of a bounded size, so none can make a command hang
 * or read forever. Anything else reads as absent, as a missing file does.
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";

/** Each of these files is a few KB; a pin of a large team a few tens. */
const MAX_STATE_BYTES = 1024 * 1024;

/** The text of the state file at `path`, or undefined when there is none or it is not a small regular file. */
export async function readStateFile(path: string, maxBytes = MAX_STATE_BYTES): Promise<string | undefined> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch(() => undefined);
  if (handle === undefined) return undefined;
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > maxBytes) return undefined;
    // One byte past the cap: a file that grew after the check is refused too.
    const buffer = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) return undefined;
      if (length === buffer.length) break;
    }
    return buffer.toString("utf8", 0, length);
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
