/** Durations of consequences ("12 months"), as the register of consequences reads them. */
import { formatUtc } from "../records/schema.js";

const UNITS: Record<string, "day" | "week" | "month" | "year"> = {
  d: "day", day: "day", days: "day", w: "week", week: "week", weeks: "week",
  m: "month", mo: "month", month: "month", months: "month", y: "year", yr: "year", year: "year", years: "year",
};

/**
 * The end of a duration such as "12 months", "6 weeks", "30 days" or "1 year"
 * from `start` (UTC); null for a text that is not such a duration ("until the
 * next event"), which then needs an explicit `ends_at`.
 */
export function durationEnd(start: string, duration: string): string | null {
  const m = /^\s*(\d{1,4})\s*([a-z]+)\s*$/i.exec(duration);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || !unit) return null;
  const n = Number(m[1]);
  const d = new Date(start);
  if (unit === "day") d.setUTCDate(d.getUTCDate() + n);
  else if (unit === "week") d.setUTCDate(d.getUTCDate() + 7 * n);
  else if (unit === "month") d.setUTCMonth(d.getUTCMonth() + n);
  else d.setUTCFullYear(d.getUTCFullYear() + n);
  return formatUtc(d);
}

