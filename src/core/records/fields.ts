/**
 * The field schemas every record body is built from: member names, points in
 * time, text. Its own module so that the body schemas of ./schema.ts and
 * ./oversight-bodies.ts share them.
 */
import { quote } from "../errors.js";
import * as z from "zod";

/** Team member names: short, safe in paths and messages. */
export const MEMBER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const memberName = z
  .string({ error: "expected a team member name" })
  .regex(MEMBER_NAME, { error: "expected a team member name (letters, digits, '.', '_' or '-')" });

/** Formats a date as the stored UTC form, second precision: 2026-06-01T14:05:00Z. */
export function formatUtc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A point in time. Accepts ISO 8601 with an offset or `Z`, or a date and time
 * without one (read as the local time of the machine); stored as UTC.
 */
export const timestamp = z.string({ error: "expected a date and time such as 2026-06-01T14:05:00Z" }).transform((s, ctx) => {
  const text = s.trim();
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text);
  const ms = ok ? Date.parse(text.replace(" ", "T")) : Number.NaN;
  if (Number.isNaN(ms)) {
    ctx.issues.push({ code: "custom", message: `expected a date and time such as 2026-06-01T14:05:00Z, got "${quote(s)}"`, input: s });
    return z.NEVER;
  }
  return formatUtc(new Date(ms));
});

export const text = z.string({ error: "expected text" });

/**
 * A value built on first use. The record schemas are built this way: building
 * zod schemas takes time at start-up, and a command that reads no record (a
 * `list` of an empty repository, `whoami`) never needs them.
 */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
export const required = (what: string) => z.string({ error: `${what} is required` }).trim().min(1, { error: `${what} must not be empty` });
