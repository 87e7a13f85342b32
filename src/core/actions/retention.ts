/**
 * Retention (`config.yaml: retention.delete_after_days`): when a case has
 * expired, and purging cases from the work tree and, on request, from this
 * clone's history. The seed process does not pass reports on to successive
 * teams: a team deletes them a fixed time after its event.
 *
 * A case expires `delete_after_days` days after the event ends (the end of
 * the day `event.ends_on`, UTC); when the config has no end date, that many
 * days after the case's last record. Record times come from the file names
 * (`<utc-timestamp>-<type>-<rand>.age`), so expiry is the same for every
 * member, including for cases they cannot read.
 */
import { readdir } from "node:fs/promises";
import { EVIDENCE_FILE } from "../repo/evidence-path.js";
import { UserError } from "../errors.js";
import { historyState, replaceHistory, type HistoryState } from "../git/history.js";
import { assertCaseCode } from "../repo/codes.js";
import type { Config } from "../repo/config.js";
import { caseDir, type RepoPaths } from "../repo/layout.js";
import { encrypt } from "../crypto/age.js";
import { makeRecord, serializeRecord } from "../records/record.js";
import { signRecord } from "../records/signature.js";
import { newRecordId } from "../repo/codes.js";
import type { Repo } from "../repo/repo.js";
import { byCodeUnits } from "../records/order.js";
import { caseExists, listCaseCodes } from "../repo/store.js";

const DAY = 86_400_000;
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/;

/** A case past its retention period. */
export interface ExpiredCase {
  case: string;
  /** When it expired (UTC, ISO 8601). */
  expires_at: string;
  /** What the period counts from: the event's end, or the case's last record. */
  basis: "event-end" | "last-record";
}

/**
 * When a case expires under `config`, or null when the team keeps cases (no
 * `retention.delete_after_days`) or there is nothing to count from.
 * @param lastRecordAt the time of the case's last record (ISO 8601), if known.
 */
export function caseExpiry(config: Config, lastRecordAt: string | null): { at: Date; basis: ExpiredCase["basis"] } | null {
  const days = config.retention.delete_after_days;
  if (!days) return null;
  if (config.event.ends_on) {
    // The event ends at the end of its last day.
    return { at: new Date(Date.parse(`${config.event.ends_on}T00:00:00Z`) + (days + 1) * DAY), basis: "event-end" };
  }
  if (!lastRecordAt) return null;
  return { at: new Date(Date.parse(lastRecordAt) + days * DAY), basis: "last-record" };
}

/**
 * The time of a case's last record up to `now`, read from its file names (no
 * decryption), or null when it has none. A record dated later is left out: a
 * date is its writer's word, and one in 2099 must not keep a case past the
 * team's retention period.
 */
async function lastRecordTime(paths: RepoPaths, code: string, now: Date): Promise<string | null> {
  const until = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  let names: string[];
  try {
    names = await readdir(caseDir(paths, code));
  } catch {
    return null;
  }
  let last: string | null = null;
  for (const name of names) {
    const m = STAMP.exec(name);
    if (!m || !name.endsWith(".age")) continue;
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
    if (iso <= until && (last === null || iso > last)) last = iso;
  }
  return last;
}

/** Whether one case has expired at `now` (see {@link caseExpiry}). */
export async function caseExpired(paths: RepoPaths, config: Config, code: string, now: Date): Promise<boolean> {
  const expiry = caseExpiry(config, await lastRecordTime(paths, code, now));
  return expiry !== null && expiry.at.getTime() <= now.getTime();
}

/** The cases that have expired at `now`, oldest expiry first (none when the team has no retention period). */
export async function expiredCases(paths: RepoPaths, config: Config, now: Date): Promise<ExpiredCase[]> {
  if (!config.retention.delete_after_days) return [];
  const { codes } = await listCaseCodes(paths);
  const expired: ExpiredCase[] = [];
  for (const code of codes) {
    const expiry = caseExpiry(config, await lastRecordTime(paths, code, now));
    if (expiry && expiry.at.getTime() <= now.getTime()) {
      expired.push({ case: code, expires_at: expiry.at.toISOString().replace(/\.\d{3}Z$/, "Z"), basis: expiry.basis });
    }
  }
  return expired.sort((a, b) => byCodeUnits(a.expires_at, b.expires_at) || byCodeUnits(a.case, b.case));
}

/**
 * Checks that every code names a case directory of this repository.
 * @throws UserError naming every code that is malformed or unknown.
 */
export async function assertCasesExist(paths: RepoPaths, codes: readonly string[]): Promise<void> {
  const unknown: string[] = [];
  for (const code of codes) {
    assertCaseCode(code);
    if (!(await caseExists(paths, code))) unknown.push(code);
  }
  if (unknown.length > 0) throw new UserError(`unknown case code${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; nothing was purged`, [], "unknown-case");
}

/**
 * Deletes the cases' directories from the work tree and commits the deletion
 * (one commit, `coc: purge N cases`, no codes), through the journal: a purge
 * killed half-way is finished or undone by the next command. Works on cases
 * the caller cannot read: they go by directory. Git history (and every
 * clone) still holds the ciphertexts; see {@link rewriteHistory}.
 * @throws UserError for an unknown case or a git failure (nothing is then deleted).
 */
export async function purgeCases(repo: Repo, codes: readonly string[], opts: { now: Date; reason?: string | undefined }): Promise<{ purged: string[]; committed: boolean }> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return { purged: [], committed: false };
  return repo.write(async () => {
    await assertCasesExist(repo.paths, unique);
    await repo.ensureTrusted();
    const me = await repo.me();
    // Other clones accept a deletion only with a verified purge record by a lead.
    if (!me.roles.includes("lead")) throw new UserError(`only a lead can purge cases (the other clones accept a deletion only from a lead); ${me.name} is not a lead`);
    const files = await Promise.all(unique.map((code) => purgeRecordFile(repo, code, me.name, opts)));
    const { committed } = await repo.commit({
      writes: [],
      files,
      deletes: unique.map((c) => `cases/${c}`),
      message: `coc: purge ${unique.length} case${unique.length === 1 ? "" : "s"}`,
      as: { member: me.name },
    });
    return { purged: unique, committed };
  });
}

/**
 * The signed purge record of one case, encrypted to the whole roster (every
 * clone must be able to check it), for `.coc/purged/<code>/<id>.age`.
 */
async function purgeRecordFile(repo: Repo, code: string, author: string, opts: { now: Date; reason?: string | undefined }): Promise<{ rel: string; content: Uint8Array }> {
  // Record ids only: an evidence file (<id>.file.age) goes with its record's id (see ./incoming.ts).
  const ids = (await readdir(caseDir(repo.paths, code)).catch(() => [] as string[])).filter((f) => f.endsWith(".age") && !f.startsWith(".") && !EVIDENCE_FILE.test(f)).map((f) => f.slice(0, -4));
  const roster = repo.roster();
  const reason = opts.reason?.trim();
  const record = makeRecord({ type: "purge", case: code, id: newRecordId("purge", opts.now), author, created_at: opts.now, recipients: roster, body: { records: ids, ...(reason ? { reason } : {}) } });
  const signed = { ...record, signature: signRecord(record, (await repo.decrypter()).signingKey()) };
  return { rel: purgeRecordPath(code, record.id), content: await encrypt(serializeRecord(signed), repo.keysFor(roster)) };
}

/** Where the purge record of a case lives (outside `cases/`, so the case directory goes entirely). */
export function purgeRecordPath(code: string, id: string): string {
  return `.coc/purged/${code}/${id}.age`;
}

/** What {@link rewriteHistory} would drop from this clone (nothing is changed). */
export function historyToDrop(repo: Repo): Promise<HistoryState> {
  return historyState(repo.git);
}

/**
 * Replaces this clone's history with a single fresh commit of the current
 * tree (see `replaceHistory` in ../git/history.ts): every earlier commit,
 * other branch, tag and remote-tracking ref is dropped, and the old objects
 * are pruned. Pins are keyed on this clone's repository id, so they stay.
 * @throws UserError when this clone is behind its remote (a force-push would
 * destroy what others pushed), has uncommitted changes, or git fails.
 */
export async function rewriteHistory(repo: Repo): Promise<{ commit: string; branch: string; dropped: number; remote: string | undefined }> {
  return repo.write(async () => {
    const me = await repo.me();
    const state = await historyState(repo.git);
    if (state.behind > 0) {
      throw new UserError(`this clone is ${state.behind} commit(s) behind ${state.remote}; run coc sync first, or the force-push would destroy what others pushed; history was not rewritten`);
    }
    const { commit, branch } = await replaceHistory(repo.git, "coc: start a fresh history (older history purged)", { member: me.name });
    return { commit, branch, dropped: state.commits, remote: state.remote };
  });
}
