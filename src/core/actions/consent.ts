/**
 * The reporter's consent as a use case: reading the consent in force of a
 * case, recording a later change (a `consent` record), and recording an
 * override of it (a signed `override` note) through the one write path.
 */
import { effectiveConsent, overrideNote, type Consent, type ConsentGate } from "../case/consent.js";
import type { ConsentBlock } from "../records/schema.js";
import type { Repo } from "../repo/repo.js";
import type { CaseFiles } from "../repo/store.js";
import { addRecords } from "./records.js";
import type { WriteResult } from "./write.js";

/** The consent in force of a case, from its verified records. */
export function consentOf(files: Pick<CaseFiles, "records">): Consent {
  return effectiveConsent(files.records.map((r) => r.record));
}

/** The consent body of a change: what changed, who said it, when, how. */
export interface ConsentChange {
  changes: ConsentBlock;
  said_by: string;
  said_at?: string | undefined;
  how?: string | undefined;
}

/**
 * Records a change of the reporter's consent in one commit.
 * @throws UserError as addRecords.
 */
export async function recordConsent(repo: Repo, code: string, change: ConsentChange, source: string, now: Date): Promise<WriteResult> {
  return addRecords(repo, code, [{ type: "consent", body: change, source }], { now, message: `coc: consent ${code}` });
}

/**
 * Records, as a signed note of kind `override`, that the team went ahead
 * without the reporter's agreement, and why. Written before the text it
 * allows is printed.
 * @throws UserError as addRecords.
 */
export async function recordOverride(repo: Repo, code: string, gate: ConsentGate, reason: string, consent: Consent, now: Date): Promise<WriteResult> {
  const me = await repo.me();
  const body = { kind: "override" as const, text: overrideNote(gate, reason, consent), participants: [me.name], attendees: [] };
  return addRecords(repo, code, [{ type: "note", body, source: "--override" }], { now, message: `coc: note ${code}` });
}
