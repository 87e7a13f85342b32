/**
 * `coc sync`: share this clone's records through the git remote, and take the
 * others' (DESIGN.md §7 "Sync"): fetch; refuse a rewritten history and
 * deleted or altered records; merge, settling concurrent re-encryptions;
 * re-encrypt what would reach someone who may no longer read it; push,
 * retrying when the remote moved.
 */
import { UserError } from "../errors.js";
import { Git } from "../git/client.js";
import { loadSyncState, saveSyncState, stateKey, type SyncState } from "../git/sync-state.js";
import { countCommits, fetchRemote, filesLost, isAncestor, mergeRemote, pushHead, resolve, syncTarget, type SyncResult, type SyncTarget } from "../git/sync.js";
import type { Repo } from "../repo/repo.js";
import { foldIntoOutgoing } from "../git/outgoing.js";
import { reencryptStale } from "./heal.js";
import { checkIncoming, settleConflicts } from "./incoming.js";

export interface SyncOutcome extends SyncResult {
  /** Cases re-encrypted before pushing (a record still encrypted to someone recused, excluded or removed). */
  reencrypted: string[];
  /** Cases the caller can read none of: someone who can must sync to check them. */
  unreadable: string[];
  /** When this sync finished (ISO 8601, UTC). */
  syncedAt: string;
}

const ATTEMPTS = 3;

/**
 * Syncs under the clone's lock. Needs no git identity of the user's own
 * (commits made while settling are the team member's).
 * @param opts.interactive false: git must not ask for credentials on the terminal.
 * @throws UserError when there is no remote, on a rewritten remote history,
 * deleted or altered records, a conflict outside cases/, or a refused push;
 * nothing local is lost and no merge is left in progress.
 */
export async function sync(repo: Repo, opts: { interactive: boolean; now: Date }): Promise<SyncOutcome> {
  return repo.write(async () => {
    const me = await repo.me().catch(() => undefined);
    if (me) await repo.adoptOwnEdits();
    const client = opts.interactive ? repo.git : new Git(repo.paths.root, { ...repo.env, GIT_TERMINAL_PROMPT: "0" });
    const t = await syncTarget(client, { member: me?.name ?? "coc" });
    const state = await loadSyncState(client);
    const key = stateKey(t.url, t.branch);
    // What this clone last saw of the remote: its own record, else the tracking ref before fetching.
    let known = state.heads[key] ?? (await resolve(t, t.ref));
    const before = await resolve(t, "HEAD");
    const reencrypted = new Set<string>();
    let unreadable: string[] = [];
    let fetched: string | null;
    let pushed = 0;
    for (let attempt = 1; ; attempt++) {
      fetched = await fetchRemote(t);
      await refuseRewrite(t, state, key, known, fetched);
      if (fetched) {
        await checkIncoming(repo, t, t.ref, opts.now);
        if (!(await isAncestor(t, fetched, "HEAD"))) await mergeRemote(t, t.ref, (paths) => settleConflicts(repo, t, paths));
        known = fetched;
      }
      await repo.reload();
      if (me) {
        const healed = await reencryptStale(repo, me.name);
        if (healed.waiting.length > 0) throw waitingForTrust(healed.waiting, t.remote);
        healed.healed.forEach((c) => reencrypted.add(c));
        unreadable = healed.unreadable;
      }
      // The first versions of what was re-encrypted, now or by an earlier command, stay out of what is pushed (see ../git/outgoing.ts).
      await foldIntoOutgoing(t.client, fetched);
      const ahead = fetched ? await countCommits(t, `${fetched}..HEAD`) : await countCommits(t, "HEAD");
      if (ahead === 0 && (t.upstream || fetched === null)) break;
      if ((await pushHead(t)) === "pushed") {
        pushed = ahead;
        known = await resolve(t, "HEAD");
        break;
      }
      if (attempt >= ATTEMPTS) throw new UserError(`${t.remote} kept changing while pushing (${ATTEMPTS} tries); everything is committed here: run coc sync again`);
    }
    const pulled = fetched && before ? await countCommits(t, `${fetched}`, `^${before}`) : fetched ? await countCommits(t, fetched) : 0;
    const syncedAt = opts.now.toISOString().replace(/\.\d{3}Z$/, "Z");
    await saveSyncState(client, { heads: { ...state.heads, ...(known ? { [key]: known } : {}) }, syncedAt });
    return { remote: t.remote, branch: t.branch, pulled, pushed, reencrypted: [...reencrypted].sort(), unreadable, syncedAt };
  });
}

/**
 * A sync that must re-encrypt records for a roster this clone has not
 * confirmed yet: the re-encryption would either reach a key nobody confirmed
 * or take a case away from a member the team added; nothing is pushed.
 */
function waitingForTrust(codes: readonly string[], remote: string): UserError {
  return new UserError(
    `case(s) ${codes.join(", ")} hold records still encrypted to someone who may no longer read them, and re-encrypting them needs the roster change that arrived to be confirmed; nothing was pushed to ${remote}, everything is committed here`,
    ["Check the change with coc trust, then run coc sync again."],
  );
}

/**
 * Refuses a remote whose history no longer holds what this clone last
 * fetched or pushed (a force-push), remembering that commit so the next sync
 * refuses too. @throws UserError saying what the remote lost and what to do.
 */
async function refuseRewrite(t: SyncTarget, state: SyncState, key: string, known: string | null, fetched: string | null): Promise<void> {
  if (!known || !(await resolve(t, known))) return;
  if (fetched && (await isAncestor(t, known, fetched))) return;
  await saveSyncState(t.client, { ...state, heads: { ...state.heads, [key]: known } });
  const commits = fetched ? await countCommits(t, known, `^${fetched}`) : await countCommits(t, known);
  const records = (await filesLost(t, known, fetched)).length;
  const what = fetched ? `its history was rewritten (a force-push)` : `its branch ${t.branch} is gone`;
  throw new UserError(`${t.remote}/${t.branch} no longer holds what this clone last synced: ${what}; it lost ${commits} commit(s) and ${records} record file(s). Nothing was taken in or pushed; everything here is kept`, [
    "If the team rewrote history on purpose (coc purge --rewrite-history): check nothing of yours is unpushed (git log " + `${t.remote}/${t.branch}..HEAD` + "), then delete this clone and clone again.",
    `Otherwise, after checking with the team, put this clone's history back: git push --force-with-lease=${t.branch}:${fetched ?? ""} ${t.remote} HEAD:${t.branch}, then coc sync.`,
  ]);
}

/** How far this clone is from its remote, as far as it knows without asking it. */
export interface SyncStatus {
  /** Whether a git remote is configured. */
  remote: boolean;
  /** Commits on HEAD that no remote-tracking branch holds (not pushed yet). */
  unpushed: number;
  /** When `coc sync` last succeeded here, or null. */
  syncedAt: string | null;
}

/** This clone's sync status, from git and `.git/coc/sync.json` only (no network). */
export async function syncStatus(repo: Repo): Promise<SyncStatus> {
  const remote = (await repo.git.remotes().catch(() => [])).length > 0;
  // Without a remote nothing is counted; before the first commit the count fails and is 0.
  const unpushed = remote ? Number((await repo.git.raw(["rev-list", "--count", "HEAD", "--not", "--remotes"]).catch(() => "0")).trim()) || 0 : 0;
  const { syncedAt } = await loadSyncState(repo.git);
  return { remote, unpushed, syncedAt: syncedAt ?? null };
}
