/**
 * The body schema of each record type but those of ./oversight-bodies.ts and
 * ./consent-bodies.ts, built on first use (see {@link lazy}): one schema per
 * record type (DESIGN.md §3), in ./schema.ts.
 */
import * as z from "zod";
import { lazy, memberName, required, text, timestamp } from "./fields.js";
import { actionParts } from "./action-parts.js";
import { consentSchemas } from "./consent-bodies.js";
import { CHANNELS, CONFLICT_KINDS, LEVELS, NOTE_KINDS, RECORD_ID, VIOLATION } from "./constants.js";

export const teamBodies = lazy(() => {
  const { action, plan } = actionParts();
  const { consentBlock } = consentSchemas();

  const person = z.strictObject({
    name: text.optional(),
    role: text.optional(),
    description: text.optional(),
    /** How to identify them in a register of consequences: an e-mail address, a phone number. */
    contact: text.optional(),
    /** Their handles on the community's platforms ("@pat", "github:pat-example"). */
    handles: z.array(text).optional(),
  });

  const witness = z.strictObject({
    name: text.optional(),
    contact: text.optional(),
  });

  const reportBody = z.strictObject({
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


  const conflictBody = z.strictObject({
    member: memberName,
    conflict: z.boolean({ error: "conflict is required (true or false)" }),
    reason: text.optional(),
    recused: z.boolean().optional(),
    /** For `conflict: true`: hard (recused; the default, as for records written before kinds) or soft (keeps access, does not decide or vote). */
    kind: z.enum(CONFLICT_KINDS, { error: "kind must be soft or hard" }).optional(),
  });

  const assessmentBody = z.strictObject({
    risk: z.enum(LEVELS, { error: "risk must be low or high" }),
    impact: z.enum(LEVELS, { error: "impact must be low or high" }),
    in_scope: z.boolean().optional(),
    violation: z.enum(VIOLATION).optional(),
    rationale: text.optional(),
    /** Why the author votes although they declared a soft conflict (`--override`). */
    override: required("override").optional(),
  });

  const noteBody = z.strictObject({
    kind: z.enum(NOTE_KINDS).default("other"),
    text: required("text"),
    participants: z.array(memberName).default([]),
    attendees: z.array(memberName).default([]),
  });

  const decisionBody = z.strictObject({
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

  const followupBody = z
    .strictObject({
      action: z.union([z.number().int().nonnegative(), z.string().min(1)], { error: "action must be an action's index or its text" }).optional(),
      /** A check-in of the plan in force, by index (from 0), instead of an action. */
      check_in: z.number({ error: "check_in must be a check-in's index (from 0)" }).int().nonnegative().optional(),
      done_at: timestamp.optional(),
      text: text.optional(),
    })
    .refine((b) => (b.action === undefined) !== (b.check_in === undefined), { error: "name either an action (action) or a check-in of the plan (check_in)" });

  const resolutionBody = z.strictObject({
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
  const vouchBody = z.strictObject({
    records: z.array(z.strictObject({ id: z.string().regex(RECORD_ID, { error: "expected a record id" }), sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected a SHA-256 in hex" }) })).min(1),
    readers: z.array(memberName),
  });

  /**
   * A case a lead purged: which record files were removed, and why. Kept in
   * `.coc/purged/<code>/<id>.age`, encrypted to the whole roster, so that every
   * clone can check it and accept the deletion (DESIGN.md §7 "Sync").
   */
  const purgeBody = z.strictObject({
    records: z.array(z.string().regex(RECORD_ID, { error: "expected a record id" })),
    reason: text.optional(),
  });

  /**
   * An evidence file of a case: the file itself is encrypted, to the same
   * readers as this record, beside it as `cases/<code>/<id>.file.age` (see
   * ../repo/evidence.ts). The original name lives only here, inside the
   * encrypted record, never in a file name or a commit message.
   */
  const evidenceBody = z.strictObject({
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

  return { reportBody, conflictBody, assessmentBody, noteBody, decisionBody, followupBody, resolutionBody, vouchBody, purgeBody, evidenceBody };
});
