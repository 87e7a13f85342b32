/**
 * One schema per record type: the single source of the TypeScript types, of
 * validation and of the field-level error messages (DESIGN.md §3). The
 * schemas are built on first use (a command that reads no record never builds
 * them); their types are known without building them.
 */
import * as z from "zod";
import { lazy, memberName, timestamp } from "./fields.js";
import { teamBodies } from "./bodies.js";
import { oversightBodies } from "./oversight-bodies.js";
import { consentSchemas } from "./consent-bodies.js";
import type { actionParts } from "./action-parts.js";
import { CASE_CODE, FORMAT_VERSION, RECORD_ID, RECORD_TYPES, type RecordType } from "./constants.js";

export { formatUtc, memberName, timestamp } from "./fields.js";
export { APPEAL_RESULTS, DEFAULT_APPEAL_GROUNDS } from "./oversight-bodies.js";
export { CONSENT_ANSWERS, SHARE_TARGETS } from "./consent-bodies.js";
export { SCOPES } from "./action-parts.js";
export { CASE_CODE, FORMAT_VERSION, NOTE_KINDS, RECORD_ID, RECORD_TYPES, type RecordType } from "./constants.js";

/** The body schema of every record type, built on first use. */
const bodies = lazy(() => {
  const team = teamBodies();
  const outside = oversightBodies();
  return {
    report: team.reportBody,
    conflict: team.conflictBody,
    assessment: team.assessmentBody,
    note: team.noteBody,
    decision: team.decisionBody,
    followup: team.followupBody,
    resolution: team.resolutionBody,
    vouch: team.vouchBody,
    purge: team.purgeBody,
    evidence: team.evidenceBody,
    escalation: outside.escalationBody,
    summary: outside.summaryBody,
    appeal: outside.appealBody,
    appeal_outcome: outside.appealOutcomeBody,
    consent: consentSchemas().consentBody,
  } as const;
});
type Bodies = ReturnType<typeof bodies>;

/** The body schema for each record type (each built when first read). */
export const BODY_SCHEMAS = Object.defineProperties(
  {},
  Object.fromEntries(RECORD_TYPES.map((type) => [type, { enumerable: true, get: () => bodies()[type] }])),
) as Bodies;

export type ReportBody = z.output<Bodies["report"]>;
export type ConflictBody = z.output<Bodies["conflict"]>;
export type AssessmentBody = z.output<Bodies["assessment"]>;
export type NoteBody = z.output<Bodies["note"]>;
export type DecisionBody = z.output<Bodies["decision"]>;
export type FollowupBody = z.output<Bodies["followup"]>;
export type AppealBody = z.output<Bodies["appeal"]>;
export type AppealOutcomeBody = z.output<Bodies["appeal_outcome"]>;
export type ConsentBlock = z.output<ReturnType<typeof consentSchemas>["consentBlock"]>;
export type Plan = z.output<ReturnType<typeof actionParts>["plan"]>;

export type BodyOf<T extends RecordType> = z.output<Bodies[T]>;

/** A whole record file: the envelope with a body checked against its type (built on first use). */
export const recordSchema = lazy(() => {
  const envelopeFields = {
    coc: z.literal(FORMAT_VERSION, { error: `coc must be ${FORMAT_VERSION} (the record format version)` }),
    case: z.string().regex(CASE_CODE, { error: "expected a case code such as quiet-otter-42" }),
    id: z.string().regex(RECORD_ID, { error: "expected a record id such as 20260601T140500Z-report-k3f9" }),
    author: memberName,
    created_at: timestamp,
    recipients: z.array(memberName).min(1, { error: "recipients must list at least one member" }),
    /** Who the author encrypted it to when writing it (signed; `recipients` changes on re-encryption, this does not). */
    readers: z.array(memberName).optional(),
    /** The author's SSH signature over the record's canonical bytes (see ./canonical.ts). */
    signature: z.string().max(4096, { error: "signature is too long" }).optional(),
  };
  const all = bodies();
  const envelope = <T extends RecordType>(type: T) => z.strictObject({ ...envelopeFields, type: z.literal(type), body: all[type] });
  return z.discriminatedUnion(
    "type",
    [
      envelope("report"),
      envelope("conflict"),
      envelope("assessment"),
      envelope("note"),
      envelope("decision"),
      envelope("followup"),
      envelope("resolution"),
      envelope("vouch"),
      envelope("purge"),
      envelope("evidence"),
      envelope("escalation"),
      envelope("summary"),
      envelope("appeal"),
      envelope("appeal_outcome"),
      envelope("consent"),
    ],
    { error: `type must be one of ${RECORD_TYPES.join(", ")}` },
  );
});

export type CocRecord = z.output<ReturnType<typeof recordSchema>>;
export type RecordOf<T extends RecordType> = Extract<CocRecord, { type: T }>;
