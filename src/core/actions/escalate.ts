/**
 * Escalating a case to people of the oversight list (`coc escalate`): a
 * signed escalation record, and every record of the case re-encrypted to
 * include exactly those people (from then on, records written in the case
 * are encrypted to them too); or, with `summaryOnly`, a separate summary
 * record for them alone, the rest of the case staying unreadable to them.
 */
import { UserError } from "../errors.js";
import { caseAudience } from "../case/audience.js";
import { makeRecord } from "../records/record.js";
import type { CocRecord } from "../records/schema.js";
import { newRecordId } from "../repo/codes.js";
import type { Repo } from "../repo/repo.js";
import { openCase } from "./read.js";
import { writeCase, type WriteResult } from "./write.js";

export interface EscalateInput {
  /** Names on the oversight list. */
  to: readonly string[];
  reason?: string | undefined;
  /** Write a summary record for them instead of giving them the case. */
  summaryOnly?: boolean | undefined;
  /** The summary's text (required with `summaryOnly`). */
  text?: string | undefined;
}

export interface EscalateResult extends WriteResult {
  /** Who was given the case (or the summary). */
  to: string[];
  /** Of the names asked for, those the case was already escalated to (left as they are). */
  already: string[];
  summary: boolean;
}

/**
 * Checks that every name is on the oversight list (before anything is asked or read).
 * @throws UserError naming the first one that is not, and who is on it.
 */
export function requireOverseers(repo: Repo, names: readonly string[]): void {
  for (const n of names) {
    if (!repo.overseer(n)) throw new UserError(`"${n}" is not on the oversight list (${repo.oversight.people.map((p) => p.name).join(", ") || "it is empty; a lead adds people with coc oversight add"})`);
  }
}

/**
 * Escalates a case, in one commit. Checked under the lock: the caller must
 * read the case (a member it excludes or recused cannot hand it on), and
 * every name must be on the confirmed oversight list.
 * @throws UserError for an unknown oversight person, a case the caller
 * cannot write to, a summary without text, a case already escalated to
 * everyone named, or an unconfirmed roster or oversight list.
 */
export async function escalate(repo: Repo, code: string, input: EscalateInput, now: Date): Promise<EscalateResult> {
  const names = [...new Set(input.to.map((n) => n.trim()).filter(Boolean))];
  if (names.length === 0) throw new UserError("--to: name at least one person of the oversight list (coc oversight list)");
  const text = input.text?.trim();
  if (input.summaryOnly && !text) throw new UserError("--summary-only needs the text to tell them (--text, --from, or typed in a terminal)");
  const reason = input.reason?.trim();
  return repo.write(async () => {
    const me = await repo.me();
    requireOverseers(repo, names);
    const files = await openCase(repo, code);
    await repo.ensureTrusted();
    const records = files.records.map((r) => r.record);
    const audience = caseAudience(repo.roster(), records, {}, repo.rejoined(), repo.oversight.people);
    if (!audience.readers.includes(me.name)) throw new UserError(`you are not a recipient of case ${code}`);
    const already = names.filter((n) => audience.escalated.includes(n));
    const to = input.summaryOnly ? names : names.filter((n) => !already.includes(n));
    if (to.length === 0) throw new UserError(`case ${code} is already escalated to ${already.join(", ")}; nothing to do`);
    const targets = to.map((n) => {
      const p = repo.overseer(n)!;
      return { name: p.name, recipient: p.recipient, role: p.role };
    });
    const base = { case: code, author: me.name, created_at: now };
    if (input.summaryOnly) {
      const record = makeRecord({ ...base, type: "summary", id: newRecordId("summary", now), recipients: [...audience.readers, ...to.filter((n) => !audience.readers.includes(n))], body: { to: targets, text: text!, ...(reason ? { reason } : {}) } });
      const written = await writeCase(repo, code, files, audience.readers, [record], `coc: summary of ${code} for oversight`, me.name);
      return { ...written, to, already, summary: true };
    }
    const record = makeRecord({ ...base, type: "escalation", id: newRecordId("escalation", now), recipients: audience.readers, body: { to: targets, ...(reason ? { reason } : {}) } });
    const after = caseAudience(repo.roster(), [...records, record as CocRecord], {}, repo.rejoined(), repo.oversight.people);
    const escalation = { ...record, recipients: after.readers, readers: after.readers } as CocRecord;
    const written = await writeCase(repo, code, files, after.readers, [escalation], `coc: escalate ${code}`, me.name);
    return { ...written, to, already, summary: false };
  });
}
