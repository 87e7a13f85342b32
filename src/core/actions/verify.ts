/**
 * `coc verify`: proves a repository consistent and leak-free, as far as the
 * caller can see. Every record under cases/ is an age file, decrypts for the
 * caller (or is reported as not for them), is well-formed and names its case,
 * and lists as recipients the case's members minus its exclusions and
 * recusals (with as many recipient stanzas as names); all records of a case
 * agree (a mix means an interrupted re-encryption); the pre-commit guard is
 * installed; and no file under cases/ in any commit of history is plaintext.
 * Anything under cases/ that is not a regular file in a real directory, or
 * beyond the size and stanza caps, is named (never read through); so is every
 * symlink (or other non-file entry) under cases/ in any commit of history.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { caseAudience, readersOf, type Audience } from "../case/audience.js";
import { checkGuard } from "../git/guard.js";
import { blobHeads, caseBlobsInHistory, oddCaseEntriesInHistory } from "../git/history.js";
import { readLimits, readRecordFile } from "../repo/read.js";
import type { Repo } from "../repo/repo.js";
import type { StoredRecord } from "../repo/store.js";
import { checkEvidence } from "./verify-evidence.js";

export interface VerifyProblem {
  /** Repository-relative file. */
  file: string;
  /** The commit, for problems found in history. */
  commit?: string;
  message: string;
}

export interface VerifyReport {
  cases: number;
  records: number;
  /** Records the caller could read and check fully. */
  checked: number;
  /** Records not encrypted to the caller (their case is restricted for them). */
  notForYou: number;
  /** Blobs under cases/ in history that were checked. */
  historyBlobs: number;
  problems: VerifyProblem[];
  /** Observations that are not errors (e.g. a member a case was never shared with). */
  notes: string[];
}

const AGE_MAGIC = "age-encryption.org/v1\n";
const ARMOR_MAGIC = "-----BEGIN AGE ENCRYPTED FILE-----";

function looksEncrypted(head: Buffer): boolean {
  const text = head.toString("latin1");
  return text.startsWith(AGE_MAGIC) || text.startsWith(ARMOR_MAGIC);
}

/** The number of X25519 recipient stanzas in a binary age header (no key needed). */
export function countRecipientStanzas(file: Buffer): number | undefined {
  const text = file.toString("latin1");
  if (!text.startsWith(AGE_MAGIC)) return undefined;
  const end = text.indexOf("\n--- ");
  if (end < 0) return undefined;
  return text.slice(0, end).split("\n").filter((l) => l.startsWith("-> X25519 ")).length;
}

/** Problems of one case's files against its audience: who they list, and how many stanzas they hold. */
function checkCaseRecipients(root: string, code: string, files: readonly StoredRecord[], audience: Audience, roster: readonly string[], overseers: readonly string[]): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (const { file, record } of files) {
    // A summary record is also read by the oversight people it was written for.
    const readers = readersOf(audience, record.id).sort();
    const listed = [...record.recipients].sort();
    for (const name of listed) {
      if (readers.includes(name)) continue;
      const why = overseers.includes(name)
        ? `an oversight person to whom neither case ${code} nor this record was given by a verified escalation or summary (re-encrypt with coc oversight remove ${name})`
        : !roster.includes(name)
        ? `who is not on the roster (re-encrypt with coc team remove ${name})`
        : audience.recused.includes(name)
          ? `who is recused from case ${code} (re-encrypt with coc recuse ${code} ${name})`
          : audience.excluded.includes(name)
            ? `who is excluded from case ${code}`
            : `who may not read case ${code} (it was never shared with them by a verified record)`;
      problems.push({ file, message: `still encrypted to "${name}", ${why}` });
    }
    const missing = readers.filter((n) => !listed.includes(n));
    if (missing.length > 0) {
      const out = missing.filter((n) => overseers.includes(n));
      const what = out.length > 0 ? `, ${out.join(", ")} by an escalation of the case` : "";
      problems.push({ file, message: `not encrypted to ${missing.join(", ")}, who may read case ${code}${what}: a re-encryption did not finish` });
    }
    // Read again the same safe way (no link followed, size capped): the file was read moments ago.
    const read = readRecordFile(join(root, file), readLimits(roster.length).maxBytes);
    if ("problem" in read) {
      problems.push({ file, message: read.problem });
      continue;
    }
    const stanzas = countRecipientStanzas(Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength));
    if (stanzas !== undefined && stanzas !== listed.length) problems.push({ file, message: `lists ${listed.length} recipient(s) but is encrypted to ${stanzas}` });
  }
  return problems;
}

/** The oversight list against the user's pin: any difference is a problem until confirmed. */
async function oversightPinProblems(repo: Repo): Promise<VerifyProblem[]> {
  const state = await repo.trustState().catch(() => undefined);
  if (state?.kind !== "changed") return [];
  return state.diff.oversight.map((o) => ({ file: ".coc/oversight.yaml", message: `${o.name} (${o.role}) ${o.change} since you last confirmed the oversight list: nothing is escalated to them until you confirm it (coc trust)` }));
}

/** Escalation and summary records that give nobody anything (their author could not read the case, or the people they name are not on the confirmed list with that key). */
function uncountedEscalations(records: readonly StoredRecord[], audience: Audience, overseers: readonly string[]): VerifyProblem[] {
  return records.flatMap(({ file, record }) => {
    if (record.type !== "escalation" && record.type !== "summary") return [];
    const given = record.type === "escalation" ? audience.escalated : (audience.extra[record.id] ?? []);
    // Someone since removed from the list is given nothing on purpose.
    const lost = record.body.to.filter((t) => !given.includes(t.name) && overseers.includes(t.name)).map((t) => t.name);
    return lost.length === 0 ? [] : [{ file, message: `${record.type} by ${record.author} gives ${lost.join(", ")} nothing: ${record.author} could not read the case when it was written, or ${lost.join(", ")} is not on the oversight list you confirmed with that key since before it` }];
  });
}

/** How long verify waits for another coc command to finish changing the clone, and how often it checks again. */
const QUIET_WAIT_MS = 30_000;
const ATTEMPTS = 3;

/**
 * What tells whether the clone changed while it was being checked: HEAD, and
 * coc's own directory (a writer makes and removes its lock and journal there,
 * which changes the directory's times even when it then undoes everything);
 * undefined while another coc command is changing the clone.
 */
async function quietMark(repo: Repo): Promise<string | undefined> {
  if (await repo.log.busy()) return undefined;
  const dir = await stat(join(await repo.git.dir(), "coc"), { bigint: true }).catch(() => undefined);
  return `${await repo.git.head()}:${dir?.mtimeNs ?? ""}:${dir?.ctimeNs ?? ""}`;
}

/** The mark of the clone once no other coc command is changing it (undefined if one still is after QUIET_WAIT_MS). */
async function whenQuiet(repo: Repo): Promise<string | undefined> {
  const until = Date.now() + QUIET_WAIT_MS;
  for (;;) {
    const mark = await quietMark(repo);
    if (mark !== undefined || Date.now() >= until) return mark;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs every check, on a clone no other coc command changed meanwhile: a
 * check that overlapped another command's change (a re-encryption rewrites
 * files in place, a roll-back puts them back) could name a file as it was
 * half-way, so it waits for that command to finish and checks again. Never
 * throws for a bad file: each is a problem line.
 */
export async function verifyRepository(repo: Repo): Promise<VerifyReport> {
  for (let attempt = 1; ; attempt++) {
    const before = await whenQuiet(repo);
    const report = await verifyOnce(repo);
    if (before !== undefined && before === (await quietMark(repo))) return report;
    if (attempt >= ATTEMPTS) {
      report.notes.push("another coc command changed this clone while it was being checked, every time: what is named may be half-way through that change; run coc verify again when nothing else runs");
      return report;
    }
  }
}

async function verifyOnce(repo: Repo): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const notes: string[] = [];
  const { root } = repo.paths;

  // The guard: coc's own, in .git/coc/hooks; tracked hooks are never used.
  const guard = await checkGuard(repo.git, repo.guard);
  problems.push(...guard.problems.map((message) => ({ file: ".git/coc/hooks", message })));
  for (const f of guard.ignored) notes.push(`${f} is tracked in the repository and ignored: coc runs only its own guard from .git/coc/hooks`);

  // The oversight list: what this user confirmed (a pushed hand-edit waits for coc trust).
  problems.push(...(await oversightPinProblems(repo)));

  // The work tree.
  const roster = repo.roster();
  const { cases, problems: layout } = await repo.readCases(undefined, { cache: false, strict: true });
  problems.push(...layout.map((p) => ({ file: p.file, message: p.message })));
  let records = 0;
  let checked = 0;
  let notForYou = 0;
  for (const m of repo.team.members) {
    if (!m.signing_key) problems.push({ file: ".coc/team.yaml", message: `${m.name} has no signing key: their records cannot be verified (a lead runs coc team add ${m.name} <their member key>)` });
  }
  for (const c of cases) {
    problems.push(...c.problems.map((p) => ({ file: p.file, message: p.message })));
    for (const u of c.unverified) {
      // Written on a clone that had not pulled its author's recusal yet, or dated ahead of this clock: a note, as it
      // may come from an honest member and stays in the history for good; anything else is a problem.
      if (u.innocent) notes.push(`${u.file}: a record that does not count for the case (${u.reason})`);
      else problems.push({ file: u.file, message: `unverified record (${u.reason}): it does not count for the case` });
    }
    const readable = [...c.records, ...c.unverified];
    records += readable.length + c.notForYou.length + c.problems.length;
    checked += c.records.length;
    notForYou += c.notForYou.length;
    if (readable.length === 0) {
      // Restricted for the caller: a recusal or exclusion, or a damaged stanza (age hides who a stanza is for,
      // so only the case's other readers can tell: their verify finds the file corrupt).
      if (c.notForYou.length > 0) notes.push(`case ${c.code}: none of its files is encrypted to you (recused, excluded, or joined later); if you should read it, ask a member who can to run coc verify`);
      continue;
    }
    if (c.notForYou.length > 0) {
      // Some files of the case are readable and some are not: an interrupted re-encryption.
      for (const f of c.notForYou) problems.push({ file: f, message: `not encrypted to you, while ${readable.length} other record(s) of case ${c.code} are: the case is half re-encrypted (restore it with: git checkout HEAD -- cases/${c.code})` });
    }
    if (c.records.length === 0) continue;
    // Every file must be encrypted to exactly the case's readers, as the rules compute them from the verified records.
    const audience = caseAudience(roster, c.records.map((r) => r.record), {}, repo.rejoined(), repo.oversight.people);
    const overseers = repo.oversight.people.map((p) => p.name);
    problems.push(...checkCaseRecipients(root, c.code, readable, audience, roster, overseers));
    problems.push(...uncountedEscalations(c.records, audience, overseers));
    problems.push(...(await checkEvidence(repo, c, audience)));
    const unshared = roster.filter((m) => ![...audience.readers, ...audience.excluded, ...audience.recused].includes(m));
    if (unshared.length > 0) notes.push(`case ${c.code} is not shared with ${unshared.join(", ")} (they joined after it, or it was never shared with them)`);
  }

  // Records the last commit holds that the work tree lacks (deleted by hand, staged or not, or lost): no read sees
  // them, so only this names them.
  const deleted = await repo.git.raw(["diff-index", "--name-only", "--diff-filter=D", "-z", "HEAD", "--", "cases"]).catch(() => "");
  for (const file of deleted.split("\0").filter(Boolean)) {
    problems.push({ file, message: `in the last commit but missing from the work tree (deleted, or lost); put it back with: git checkout HEAD -- ${file}` });
  }

  // History: every entry under cases/ that was ever a symlink (or another non-file).
  const odd = await oddCaseEntriesInHistory(repo.git);
  for (const o of odd) {
    const what = o.mode === "120000" ? "a symbolic link" : o.mode === "160000" ? "a submodule link" : "not a regular file";
    problems.push({ file: o.path, commit: o.commit, message: `${what} (git mode ${o.mode}) in git history; coc reads only regular files and never follows it (someone committed it instead of a record)` });
  }
  const notFiles = new Set(odd.map((o) => `${o.commit}\0${o.path}`));

  // History: every blob ever committed under cases/.
  const history = await caseBlobsInHistory(repo.git);
  const heads = await blobHeads(repo.git, history.map((h) => h.blob));
  const reported = new Set<string>();
  for (const h of history) {
    // A symlink's blob is its target, not a record: named above as what it is.
    if (notFiles.has(`${h.commit}\0${h.path}`)) continue;
    const head = heads.get(h.blob);
    if (!head || looksEncrypted(head) || reported.has(h.blob)) continue;
    reported.add(h.blob);
    problems.push({ file: h.path, commit: h.commit, message: "plaintext in git history: this file is not age-encrypted (see README: purging history)" });
  }
  return { cases: cases.length, records, checked, notForYou, historyBlobs: new Set(history.map((h) => h.blob)).size, problems, notes };
}
