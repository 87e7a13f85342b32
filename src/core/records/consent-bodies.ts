/** The record parts of the reporter's consent (issue 14): the report's `consent` block and the `consent` record's body. */
import * as z from "zod";
import { lazy, required, text, timestamp } from "./fields.js";

/** An answer of the reporter's consent: yes, no, or ask them first. */
export const CONSENT_ANSWERS = ["yes", "no", "ask"] as const;
/** Who the team may share a case with, each agreed separately (an oversight body counts as `umbrella`). */
export const SHARE_TARGETS = ["venue", "security", "police", "umbrella", "mediator"] as const;

/** The consent schemas, built on first use. */
export const consentSchemas = lazy(() => {
  const answer = z.enum(CONSENT_ANSWERS, { error: "expected yes, no or ask" });

  /**
   * The reporter's consent (issue 14): in a report's `consent` block, and as
   * the `changes` of a later `consent` record (the same shape, any part of it).
   * A field left out is "not recorded", which never counts as agreement.
   */
  const consentBlock = z.strictObject({
    contact_reported: answer.optional(),
    share: z
      .strictObject({ venue: answer.optional(), security: answer.optional(), police: answer.optional(), umbrella: answer.optional(), mediator: answer.optional() })
      .optional(),
    public_statement: answer.optional(),
    transparency: z.enum(["yes", "no"], { error: "expected yes or no" }).optional(),
    followup: z.strictObject({ channel: text.optional(), times: text.optional() }).optional(),
  });

  /** A later change of the reporter's consent: what changed, who said it, when and how. */
  const consentBody = z.strictObject({
    changes: consentBlock.refine((c) => Object.values(c).some((v) => v !== undefined), { error: "changes must name at least one part of the consent" }),
    said_by: required("said_by"),
    said_at: timestamp.optional(),
    how: text.optional(),
  });
  return { consentBlock, consentBody };
});
