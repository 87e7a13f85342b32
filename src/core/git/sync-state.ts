/**
 * What a clone remembers of its syncs, in `.git/coc/sync.json` (never
 * shared): the remote commit it last fetched or pushed, per remote URL and
 * branch, so a rewritten remote history is noticed; and when it last synced.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Git } from "./client.js";
import { readStateFile } from "../state-file.js";

export interface SyncState {
  /** The remote commit last fetched or pushed, by "<url> <branch>". */
  heads: Record<string, string>;
  /** When the last sync succeeded (ISO 8601, UTC). */
  syncedAt?: string | undefined;
}

async function statePath(git: Git): Promise<string> {
  return join(await git.dir(), "coc", "sync.json");
}

/** The clone's sync state; empty when there is none (or it is unreadable). */
export async function loadSyncState(git: Git): Promise<SyncState> {
  try {
    const raw = JSON.parse((await readStateFile(await statePath(git))) ?? "{}") as Partial<SyncState> | null;
    const heads = typeof raw?.heads === "object" && raw.heads !== null ? Object.fromEntries(Object.entries(raw.heads).filter(([, v]) => typeof v === "string" && /^[0-9a-f]{40,64}$/.test(v))) : {};
    return { heads, ...(typeof raw?.syncedAt === "string" ? { syncedAt: raw.syncedAt } : {}) };
  } catch {
    return { heads: {} };
  }
}

/** Writes the state (atomically). */
export async function saveSyncState(git: Git, state: SyncState): Promise<void> {
  const path = await statePath(git);
  await mkdir(join(path, ".."), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, path);
}

/** The key of a remote branch in {@link SyncState.heads}. */
export function stateKey(url: string, branch: string): string {
  return `${url} ${branch}`;
}
