/**
 * The bodies of the records for cases that go outside the team (issue 16):
 * escalations and summaries for oversight people, appeals and their
 * outcomes. Part of the one schema per record type of ./schema.ts.
 */
import * as z from "zod";
import { lazy, memberName, required, text, timestamp } from "./fields.js";

/** A record id (`<utc-timestamp>-<type>-<rand>`), as an appeal outcome names its appeal. */
const RECORD_REF = /^\d{8}T\d{6}Z-[a-z_]+-[a-z0-9]{4,12}$/;

/** The default grounds an appeal may give (config.yaml `appeal_grounds` replaces them). */
export const DEFAULT_APPEAL_GROUNDS = ["new information", "procedural error", "conflict of interest", "disproportionate consequence", "factual error", "other"] as const;

export const APPEAL_RESULTS = ["upheld", "changed", "overturned"] as const;

/** The body schemas of these records, built on first use. */
export const oversightBodies = lazy(() => {
  /** Someone outside the team a case is escalated to, as the oversight list held them (their key is signed with the record). */
  const oversightTarget = z.strictObject({
    name: memberName,
    recipient: z.string().regex(/^age1[0-9a-z]+$/, { error: "expected an age recipient (age1...)" }),
    role: text.optional(),
  });

  /**
   * A case escalated to people of the oversight list (.coc/oversight.yaml):
   * from this record on they read every record of the case (DESIGN.md §7).
   */
  const escalationBody = z.strictObject({
    to: z.array(oversightTarget).min(1, { error: "to must name at least one oversight person" }),
    reason: text.optional(),
  });

  /** What the team chooses to tell oversight people about a case they are not given (`coc escalate --summary-only`). */
  const summaryBody = z.strictObject({
    to: z.array(oversightTarget).min(1, { error: "to must name at least one oversight person" }),
    text: required("text"),
    reason: text.optional(),
  });

  /** An appeal of the decision in force: by whom, when, on which grounds (from config.yaml `appeal_grounds`). */
  const appealBody = z.strictObject({
    /** reporter, reported, or who else (free text). */
    by: required("by"),
    received_at: timestamp.optional(),
    grounds: z.array(required("ground")).min(1, { error: "grounds must list at least one ground" }),
    text: text.optional(),
  });

  /** The outcome of an appeal: the decision upheld, changed or overturned, by whom (members or oversight people). */
  const appealOutcomeBody = z.strictObject({
    result: z.enum(APPEAL_RESULTS, { error: `result must be one of ${APPEAL_RESULTS.join(", ")}` }),
    decided_by: z.array(memberName).min(1, { error: "decided_by must name who decided the appeal" }),
    reasoning: text.optional(),
    decided_at: timestamp.optional(),
    /** The appeal decided (its record id); default: the latest appeal without an outcome. */
    appeal: z.string().regex(RECORD_REF, { error: "expected a record id" }).optional(),
  });
  return { escalationBody, summaryBody, appealBody, appealOutcomeBody };
});
