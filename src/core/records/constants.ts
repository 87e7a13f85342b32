/** The fixed vocabularies of records: types, enumerations and id formats, shared by ./schema.ts and ./bodies.ts. */

/** Record format version written in every file. */
export const FORMAT_VERSION = 1;

export const RECORD_TYPES = ["report", "conflict", "assessment", "note", "decision", "followup", "resolution", "vouch", "purge", "evidence", "escalation", "summary", "appeal", "appeal_outcome", "consent"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const CHANNELS = ["in-person", "email", "phone", "chat", "online-form", "other-staff", "observed"] as const;
export const NOTE_KINDS = ["meeting", "conversation", "reporter-contact", "reported-contact", "witness-contact", "other", "override"] as const;
export const LEVELS = ["low", "high"] as const;
export const VIOLATION = ["yes", "no", "unclear"] as const;
/** Soft: may take part in the discussion but not decide or vote (CNCF); hard: recused (the default). */
export const CONFLICT_KINDS = ["soft", "hard"] as const;

/** Case code names such as `quiet-otter-42`: lowercase words and a number, never derived from content. */
export const CASE_CODE = /^[a-z]{2,20}-[a-z]{2,20}-[0-9]{1,4}$/;

/** Record ids: `<utc-timestamp>-<type>-<rand>`, e.g. 20260601T140500Z-report-k3f9. */
export const RECORD_ID = new RegExp(`^\\d{8}T\\d{6}Z-(${RECORD_TYPES.join("|")})-[a-z0-9]{4,12}$`);
