/**
 * One schema per record type: the single source of the TypeScript types, of
 * validation and of the field-level error messages (DESIGN.md §3).
 */
import * as z from "zod";
import { memberName, required, text, timestamp } from "./fields.js";
import { appealBody, appealOutcomeBody, escalationBody, summaryBody } from "./oversight-bodies.js";
import { consentBlock, consentBody } from "./consent-bodies.js";
import { action, plan } from "./action-parts.js";

export { formatUtc, memberName, timestamp } from "./fields.js";
export { APPEAL_RESULTS, DEFAULT_APPEAL_GROUNDS } from "./oversight-bodies.js";
export { CONSENT_ANSWERS, SHARE_TARGETS, consentBlock } from "./consent-bodies.js";
export { SCOPES } from "./action-parts.js";

/** Record format version written in every file. */
export const FORMAT_VERSION = 1;

export const RECORD_TYPES = ["report", "conflict", "assessment", "note", "decision", "followup", "resolution", "vouch", "purge", "evidence", "escalation", "summary", "appeal", "appeal_outcome", "consent"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const CHANNELS = ["in-person", "email", "phone", "chat", "online-form", "other-staff", "observed"] as const;
export const NOTE_KINDS = ["meeting", "conversation", "reporter-contact", "reported-contact", "witness-contact", "other", "override"] as const;
export const LEVELS = ["low", "high"] as const;
export const VIOLATION = ["yes", "no", "unclear"] as const;

/** Case code names such as `quiet-otter-42`: lowercase words and a number, never derived from content. */
export const CASE_CODE = /^[a-z]{2,20}-[a-z]{2,20}-[0-9]{1,4}$/;
export const caseCode = z.string().regex(CASE_CODE, { error: "expected a case code such as quiet-otter-42" });

/** Record ids: `<utc-timestamp>-<type>-<rand>`, e.g. 20260601T140500Z-report-k3f9. */
export const RECORD_ID = new RegExp(`^\\d{8}T\\d{6}Z-(${RECORD_TYPES.join("|")})-[a-z0-9]{4,12}$`);


export const person = z.strictObject({
  name: text.optional(),
  role: text.optional(),
  description: text.optional(),
  /** How to identify them in a register of consequences: an e-mail address, a phone number. */
  contact: text.optional(),
  /** Their handles on the community's platforms ("@pat", "github:pat-example"). */
  handles: z.array(text).optional(),
});

export const witness = z.strictObject({
  name: text.optional(),
  contact: text.optional(),
});

export const reportBody = z.strictObject({
  received_at: timestamp.optional(),
  received_by: text.optional(),
  channel: z.enum(CHANNELS).optional(),
  reporter: z
    .strictObject({
      name: text.optional(),
      contact: text.optional(),
      anonymous: z.boolean().default(false),
      keep_private: z.boolean().default(true),
      wants_followup: z.boolean().optional(),
    })
    .default({ anonymous: false, keep_private: true }),
  incident: z.strictObject(
    {
      summary: required("summary"),
      description: required("description"),
      occurred_at: text.optional(),
      location: text.optional(),
      ongoing: z.boolean().optional(),
      people: z.array(person).default([]),
      witnesses: z.array(witness).default([]),
      links: z.array(text).default([]),
    },
    { error: "incident is required (with summary and description)" },
  ),
  safety: z
    .strictObject({
      immediate_risk: z.boolean().optional(),
      police_contacted: z.boolean().optional(),
      support_offered: z.array(text).default([]),
    })
    .default({ support_offered: [] }),
  exclude: z.array(memberName).default([]),
  /** What the reporter agrees to (see ../case/consent.ts); absent in reports taken before coc asked. */
  consent: consentBlock.optional(),
});

/** Soft: may take part in the discussion but not decide or vote (CNCF); hard: recused (the default). */
export const CONFLICT_KINDS = ["soft", "hard"] as const;

export const conflictBody = z.strictObject({
  member: memberName,
  conflict: z.boolean({ error: "conflict is required (true or false)" }),
  reason: text.optional(),
  recused: z.boolean().optional(),
  /** For `conflict: true`: hard (recused; the default, as for records written before kinds) or soft (keeps access, does not decide or vote). */
  kind: z.enum(CONFLICT_KINDS, { error: "kind must be soft or hard" }).optional(),
});

export const assessmentBody = z.strictObject({
  risk: z.enum(LEVELS, { error: "risk must be low or high" }),
  impact: z.enum(LEVELS, { error: "impact must be low or high" }),
  in_scope: z.boolean().optional(),
  violation: z.enum(VIOLATION).optional(),
  rationale: text.optional(),
  /** Why the author votes although they declared a soft conflict (`--override`). */
  override: required("override").optional(),
});

export const noteBody = z.strictObject({
  kind: z.enum(NOTE_KINDS).default("other"),
  text: required("text"),
  participants: z.array(memberName).default([]),
  attendees: z.array(memberName).default([]),
});

export const decisionBody = z.strictObject({
  stage: z.enum(["interim", "final"]).default("interim"),
  violation: z.enum(VIOLATION).optional(),
  /** The behaviour, for the letter to the reported person (neutral language). */
  finding: text.optional(),
  /** What may be told to the reporter about the outcome (their letter never shows the finding). */
  outcome_for_reporter: text.optional(),
  actions: z.array(action).default([]),
  reasoning: text.optional(),
  decided_by: z.array(memberName).default([]),
  lead_agreement: z.strictObject({ by: memberName, at: timestamp.optional() }).optional(),
  /**
   * An urgent decision taken by fewer than two members: who acted alone, and
   * by when a decision of at least two members must ratify it (24 h).
   */
  urgent: z.strictObject({ acted_alone: z.array(memberName).min(1), ratify_by: timestamp }).optional(),
  /** Why members with a soft conflict are in `decided_by` anyway (`--override`). */
  override: required("override").optional(),
  /** A behavioural plan: expectations, conditions for return, check-ins, repair. */
  plan: plan.optional(),
});

export const followupBody = z
  .strictObject({
    action: z.union([z.number().int().nonnegative(), z.string().min(1)], { error: "action must be an action's index or its text" }).optional(),
    /** A check-in of the plan in force, by index (from 0), instead of an action. */
    check_in: z.number({ error: "check_in must be a check-in's index (from 0)" }).int().nonnegative().optional(),
    done_at: timestamp.optional(),
    text: text.optional(),
  })
  .refine((b) => (b.action === undefined) !== (b.check_in === undefined), { error: "name either an action (action) or a check-in of the plan (check_in)" });

export const resolutionBody = z.strictObject({
  closed_at: timestamp.optional(),
  reporter_informed_at: timestamp.optional(),
  reported_informed_at: timestamp.optional(),
  public: z
    .strictObject({
      statement: z.enum(["none", "announcement"]).default("none"),
      thing: text.optional(),
      action: text.optional(),
    })
    .default({ statement: "none" }),
  transparency: z.strictObject(
    {
      include: z.boolean({ error: "transparency.include is required (true or false)" }),
      title: text.optional(),
      summary: text.optional(),
      category: text.optional(),
    },
    { error: "transparency is required (with include: true or false)" },
  ),
});

/**
 * A lead's word for records that carry no valid signature (written before
 * coc signed records, or by a member since removed): each named with the
 * SHA-256 of its canonical bytes, so a changed record is not covered; and
 * who read the case when it was vouched for (the founding readers of a case
 * whose first report predates signatures).
 */
export const vouchBody = z.strictObject({
  records: z.array(z.strictObject({ id: z.string().regex(RECORD_ID, { error: "expected a record id" }), sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected a SHA-256 in hex" }) })).min(1),
  readers: z.array(memberName),
});

/**
 * A case a lead purged: which record files were removed, and why. Kept in
 * `.coc/purged/<code>/<id>.age`, encrypted to the whole roster, so that every
 * clone can check it and accept the deletion (DESIGN.md §7 "Sync").
 */
export const purgeBody = z.strictObject({
  records: z.array(z.string().regex(RECORD_ID, { error: "expected a record id" })),
  reason: text.optional(),
});

/**
 * An evidence file of a case: the file itself is encrypted, to the same
 * readers as this record, beside it as `cases/<code>/<id>.file.age` (see
 * ../repo/evidence.ts). The original name lives only here, inside the
 * encrypted record, never in a file name or a commit message.
 */
export const evidenceBody = z.strictObject({
  name: required("name"),
  media_type: required("media_type"),
  /** Size in bytes of what was encrypted (after metadata removal). */
  size: z.number({ error: "size is required (bytes)" }).int().nonnegative(),
  /** SHA-256 (hex) of what was encrypted. */
  sha256: z.string({ error: "sha256 is required" }).regex(/^[0-9a-f]{64}$/, { error: "expected a SHA-256 in hex" }),
  description: text.optional(),
  added_by: memberName,
  /** What was removed before encryption (e.g. "EXIF", "XMP"); empty when nothing was, absent when kept on purpose. */
  metadata_removed: z.array(text).optional(),
  /** Where it came from, e.g. "e-mail attachment". */
  source: text.optional(),
});

/** The body schema for each record type. */
export const BODY_SCHEMAS = {
  report: reportBody,
  conflict: conflictBody,
  assessment: assessmentBody,
  note: noteBody,
  decision: decisionBody,
  followup: followupBody,
  resolution: resolutionBody,
  vouch: vouchBody,
  purge: purgeBody,
  evidence: evidenceBody,
  escalation: escalationBody,
  summary: summaryBody,
  appeal: appealBody,
  appeal_outcome: appealOutcomeBody,
  consent: consentBody,
} as const;

export type ReportBody = z.output<typeof reportBody>;
export type ConflictBody = z.output<typeof conflictBody>;
export type AssessmentBody = z.output<typeof assessmentBody>;
export type NoteBody = z.output<typeof noteBody>;
export type DecisionBody = z.output<typeof decisionBody>;
export type FollowupBody = z.output<typeof followupBody>;
export type AppealBody = z.output<typeof appealBody>;
export type AppealOutcomeBody = z.output<typeof appealOutcomeBody>;
export type ConsentBlock = z.output<typeof consentBlock>;
export type Plan = z.output<typeof plan>;


export type BodyOf<T extends RecordType> = z.output<(typeof BODY_SCHEMAS)[T]>;

const envelopeFields = {
  coc: z.literal(FORMAT_VERSION, { error: `coc must be ${FORMAT_VERSION} (the record format version)` }),
  case: caseCode,
  id: z.string().regex(RECORD_ID, { error: "expected a record id such as 20260601T140500Z-report-k3f9" }),
  author: memberName,
  created_at: timestamp,
  recipients: z.array(memberName).min(1, { error: "recipients must list at least one member" }),
  /** Who the author encrypted it to when writing it (signed; `recipients` changes on re-encryption, this does not). */
  readers: z.array(memberName).optional(),
  /** The author's SSH signature over the record's canonical bytes (see ./canonical.ts). */
  signature: z.string().max(4096, { error: "signature is too long" }).optional(),
};

function envelope<T extends RecordType>(type: T) {
  return z.strictObject({ ...envelopeFields, type: z.literal(type), body: BODY_SCHEMAS[type] });
}

/** A whole record file: the envelope with a body checked against its type. */
export const recordSchema = z.discriminatedUnion(
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

export type CocRecord = z.output<typeof recordSchema>;
export type RecordOf<T extends RecordType> = Extract<CocRecord, { type: T }>;
