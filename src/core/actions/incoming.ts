/**
 * What `coc sync` checks before taking the remote's commits (DESIGN.md §7
 * "Sync"): no record file may be deleted, and one may be changed only as a
 * re-encryption of the same signed content; and how it settles two
 * re-encryptions of the same record.
 */
import { UserError } from "../errors.js";
import { blobHeads } from "../git/history.js";
import { incomingChanges, mergeBase, type Side, type SyncTarget } from "../git/sync.js";
import type { CocRecord } from "../records/schema.js";
import { verifyRecords, vouchHash } from "../records/verification.js";
import { decodeRecord, readLimits, MAX_RECORD_BYTES, type ReadOutcome } from "../repo/read.js";
import { countStanzas, NotARecipientError } from "../crypto/age.js";
import type { Repo } from "../repo/repo.js";
import { EVIDENCE_FILE, MAX_EVIDENCE_FILE_BYTES, evidencePath } from "../repo/evidence-path.js";
import { createHash } from "node:crypto";
import { purgeStands } from "./purge-standing.js";

const RECORD_PATH = /^cases\/([^/]+)\/([^/]+)\.age$/;

/** The record files at `revs` (`<rev>:<path>`), decrypted where the caller can. */
async function decodeAt(repo: Repo, t: SyncTarget, revs: readonly string[], path: string): Promise<Map<string, ReadOutcome>> {
  const m = RECORD_PATH.exec(path);
  const out = new Map<string, ReadOutcome>();
  const blobs = await blobHeads(t.client, revs.map((r) => `${r}:${path}`), MAX_RECORD_BYTES + 1);
  const decrypter = await repo.decrypter();
  for (const rev of revs) {
    const bytes = blobs.get(`${rev}:${path}`);
    if (!m) out.set(rev, { file: path, code: "", kind: "problem", message: "not a record file" });
    else if (bytes) out.set(rev, await decodeRecord(bytes, { file: path, code: m[1]!, id: m[2]! }, decrypter, readLimits(repo.team.members.length)));
  }
  return out;
}

const codeOf = (path: string) => path.split("/")[1] ?? path;
const list = (paths: readonly string[]) => [...new Set(paths.map(codeOf))].sort().join(", ");

/**
 * Refuses the remote's commits (nothing is taken in) when they delete a
 * record file, or change one into anything but the same record encrypted
 * again (as far as the caller can decrypt it).
 * @throws UserError naming the cases.
 */
export async function checkIncoming(repo: Repo, t: SyncTarget, ref: string, now: Date): Promise<void> {
  const changes = await incomingChanges(t, ref);
  const purged = await purgedIn(repo, t, ref, now);
  // A deletion is taken in only when a verified purge record of a lead names the file (and the lead stands in the case: ./purge-standing.ts).
  const deleted = changes.filter((c) => c.status === "D" && !purged.has(c.path)).map((c) => c.path);
  if (deleted.length > 0) {
    throw new UserError(`the remote's commits delete ${deleted.length} record file(s) of case(s) ${list(deleted)}; nothing was taken in, every record here is kept`, [
      "A case is removed only by a lead with coc purge (a lead the case excludes or recuses, only once it has expired); a deletion pushed with plain git is refused.",
      `Ask the team who pushed it (git log ${t.remote}/${t.branch} -- cases shows it); to restore the files on the remote, revert that commit (git revert <commit>) and run coc sync again.`,
    ]);
  }
  const altered: string[] = [];
  // Files re-encrypted away from the caller: nothing to compare, unless the rest of their case is still theirs.
  const away: string[] = [];
  const base = await mergeBase(t, ref);
  for (const c of changes) {
    if (c.status === "A" || (c.status === "D" && purged.has(c.path))) continue;
    if (c.status !== "M" || !base) {
      altered.push(c.path);
      continue;
    }
    if (isEvidence(c.path)) {
      const same = await sameEvidence(repo, t, [base, ref], c.path);
      if (same === "away") away.push(c.path);
      else if (!same) altered.push(c.path);
      continue;
    }
    const seen = await decodeAt(repo, t, [base, ref], c.path);
    const [before, after] = [seen.get(base), seen.get(ref)];
    if (after?.kind === "not-for-you") {
      away.push(c.path);
      continue;
    }
    if (after?.kind !== "record") {
      altered.push(c.path);
      continue;
    }
    if (before?.kind === "record" && vouchHash(before.record) !== vouchHash(after.record)) altered.push(c.path);
  }
  altered.push(...(await awayFromAReader(repo, t, ref, away)));
  if (altered.length > 0) {
    throw new UserError(`the remote's commits alter record file(s) of case(s) ${list(altered)} (${altered.join(", ")}), not only re-encrypt them; nothing was taken in, every record here is kept`, [
      "Records are never edited: a change is a new record. Ask the team who pushed it (git log -p " + `${t.remote}/${t.branch}` + " -- cases).",
    ]);
  }
}

const PURGE_PATH = /^\.coc\/purged\/([^/]+)\/([^/]+)\.age$/;

/**
 * The record files the remote's commits purge: those named by a purge record
 * they add under `.coc/purged/` that verifies as a lead's (by the roster this
 * user confirmed), unless the lead is excluded from or recused in a case that
 * has not expired.
 */
async function purgedIn(repo: Repo, t: SyncTarget, ref: string, now: Date): Promise<Set<string>> {
  const added = (await t.git.raw(["diff", "--name-only", "--diff-filter=A", `HEAD...${ref}`, "--", ".coc/purged"]).catch(() => "")).split("\n").filter((p) => PURGE_PATH.test(p));
  const out = new Set<string>();
  if (added.length === 0) return out;
  const blobs = await blobHeads(t.client, added.map((p) => `${ref}:${p}`), MAX_RECORD_BYTES + 1);
  const decrypter = await repo.decrypter();
  const members = await repo.trustedMembers();
  const leads = new Set(members.filter((m) => m.roles.includes("lead") && m.removed_at === undefined).map((m) => m.name));
  for (const path of added) {
    const [, code, id] = PURGE_PATH.exec(path)!;
    const bytes = blobs.get(`${ref}:${path}`);
    if (!bytes) continue;
    const read = await decodeRecord(bytes, { file: path, code: code!, id: id! }, decrypter, readLimits(repo.team.members.length));
    if (read.kind !== "record" || read.record.type !== "purge" || !leads.has(read.record.author)) continue;
    const { verified } = await verifyRecords([{ record: read.record }], members);
    if (verified.length === 0 || !(await purgeStands(repo, code!, read.record.author, now))) continue;
    for (const r of read.record.body.records) {
      out.add(`cases/${code}/${r}.age`);
      out.add(evidencePath(code!, r));
    }
  }
  return out;
}

/**
 * For each record file both sides re-encrypted: the side the caller can
 * decrypt whose record verifies, the one encrypted to fewer readers first
 * (the heal that follows re-encrypts it to the merged audience); theirs when
 * the caller can read neither.
 */
export async function settleConflicts(repo: Repo, t: SyncTarget, paths: readonly string[]): Promise<Map<string, Side>> {
  const members = await repo.trustedMembers();
  const sides = new Map<string, Side>();
  for (const path of paths) {
    if (isEvidence(path)) {
      sides.set(path, await evidenceSide(repo, t, path));
      continue;
    }
    const seen = await decodeAt(repo, t, [":2", ":3"], path);
    const candidates: { side: Side; record: CocRecord }[] = [];
    for (const [rev, side] of [[":2", "ours"], [":3", "theirs"]] as const) {
      const o = seen.get(rev);
      if (o?.kind === "record") candidates.push({ side, record: o.record });
    }
    const { verified } = await verifyRecords(candidates, members);
    verified.sort((a, b) => a.record.recipients.length - b.record.recipients.length);
    sides.set(path, verified[0]?.side ?? candidates[0]?.side ?? "theirs");
  }
  return sides;
}

const isEvidence = (path: string) => path.startsWith("cases/") && EVIDENCE_FILE.test(path.slice(path.lastIndexOf("/") + 1));

/** An evidence file at each of `revs`: its plaintext's SHA-256 and stanza count, "not-for-you", or a problem. */
async function evidenceAt(repo: Repo, t: SyncTarget, revs: readonly string[], path: string): Promise<Map<string, { sha256: string; stanzas: number } | "not-for-you" | "problem">> {
  const blobs = await blobHeads(t.client, revs.map((r) => `${r}:${path}`), MAX_EVIDENCE_FILE_BYTES + 1);
  const decrypter = await repo.decrypter();
  const out = new Map<string, { sha256: string; stanzas: number } | "not-for-you" | "problem">();
  for (const rev of revs) {
    const bytes = blobs.get(`${rev}:${path}`);
    if (!bytes || bytes.length > MAX_EVIDENCE_FILE_BYTES) {
      out.set(rev, "problem");
      continue;
    }
    try {
      const stanzas = countStanzas(bytes, readLimits(repo.team.members.length).maxStanzas);
      const plain = await decrypter.decrypt(bytes);
      out.set(rev, { sha256: createHash("sha256").update(plain).digest("hex"), stanzas });
    } catch (e) {
      out.set(rev, e instanceof NotARecipientError ? "not-for-you" : "problem");
    }
  }
  return out;
}

/**
 * Of the files re-encrypted away from the caller, those of a case whose other
 * record files the caller still reads at `ref`: a re-encryption (a recusal,
 * an exclusion) takes every file of a case away at once, so one file taken
 * away alone was replaced by someone who could not read it.
 */
async function awayFromAReader(repo: Repo, t: SyncTarget, ref: string, away: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const code of new Set(away.map(codeOf))) {
    const listed = (await t.git.raw(["ls-tree", "--name-only", ref, `cases/${code}/`]).catch(() => "")).split("\n");
    const others = listed.filter((p) => RECORD_PATH.test(p) && !isEvidence(p) && !away.includes(p));
    for (const p of others) {
      if ((await decodeAt(repo, t, [ref], p)).get(ref)?.kind === "record") {
        out.push(...away.filter((a) => codeOf(a) === code));
        break;
      }
    }
  }
  return out;
}

/** True when an evidence file changed only by re-encryption (as far as the caller can decrypt it); "away" when it is no longer encrypted to the caller. */
async function sameEvidence(repo: Repo, t: SyncTarget, [base, ref]: [string, string], path: string): Promise<boolean | "away"> {
  const seen = await evidenceAt(repo, t, [base, ref], path);
  const [before, after] = [seen.get(base), seen.get(ref)];
  if (after === "not-for-you") return "away";
  if (after === undefined || after === "problem") return false;
  return typeof before !== "object" || before.sha256 === after.sha256;
}

/** Of two re-encryptions of one evidence file: the one the caller can decrypt with fewer readers (the heal re-encrypts it), else theirs. */
async function evidenceSide(repo: Repo, t: SyncTarget, path: string): Promise<Side> {
  const seen = await evidenceAt(repo, t, [":2", ":3"], path);
  const [ours, theirs] = [seen.get(":2"), seen.get(":3")];
  if (typeof ours === "object" && (typeof theirs !== "object" || ours.stanzas <= theirs.stanzas)) return "ours";
  return "theirs";
}
