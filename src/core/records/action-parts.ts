/** The parts of a decision that the register of consequences and the behavioural plan read (issue 14). */
import * as z from "zod";
import { lazy, memberName, required, text, timestamp } from "./fields.js";

export const SCOPES = ["event", "online", "both"] as const;

/** The schemas of a decision's actions and plan, built on first use. */
export const actionParts = lazy(() => {
  const action = z.strictObject({
    level: required("level"),
    detail: text.optional(),
    duration: text.optional(),
    owner: memberName.optional(),
    due: timestamp.optional(),
    /** Who it applies to: the index (from 0) of a person in the case's reports (in report order), or their name. */
    subject: z.union([z.number().int().nonnegative(), z.string().trim().min(1)], { error: "subject must be a person's index (from 0) or name" }).optional(),
    /** Where it applies. */
    scope: z.enum(SCOPES, { error: `scope must be one of ${SCOPES.join(", ")}` }).optional(),
    /** The online platforms it applies to, from `platforms` in config.yaml. */
    platforms: z.array(text).optional(),
    starts_at: timestamp.optional(),
    ends_at: timestamp.optional(),
    permanent: z.boolean().optional(),
  });

  /** A behavioural plan for the reported person (Contributor Covenant 3.0 speaks of repair). */
  const plan = z.strictObject({
    expectations: z.array(text).default([]),
    conditions_for_return: z.array(text).default([]),
    check_ins: z.array(z.strictObject({ due: timestamp, what: required("what") })).default([]),
    repair: z.array(text).default([]),
  });
  return { action, plan };
});
