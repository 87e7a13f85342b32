/**
 * The letters to the reporter before the outcome (issue 14): the
 * acknowledgement (templates/letter-reporter-ack.hbs: received, what happens
 * next, when they will hear from the team, from the deadlines; no promise of
 * an outcome) and a status update (templates/letter-reporter-update.hbs: where
 * the case stands, and an optional message the team writes). The outcome
 * letter is ./letters.ts. Each goes through the public-text check like every
 * letter: it may name the reporter and nobody else from the reports.
 */
import { foldCase } from "../case/fold.js";
import type { CocRecord } from "../records/schema.js";
import type { Config } from "../repo/config.js";
import { publicSettings, type PublicSettings } from "./announcement.js";
import { reporterAddressee, type Letter } from "./letters.js";
import { sensitiveTerms } from "./safety.js";

/** The letters to the reporter, one per stage of a case. */
export const LETTER_KINDS = ["ack", "update", "outcome"] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

/** The data of templates/letter-reporter-ack.hbs and letter-reporter-update.hbs. */
export interface StageLetterData extends PublicSettings {
  case: string;
  to: "reporter";
  kind: "ack" | "update";
  name: string | null;
  /** The outcome deadline in words: "7 days". */
  hear_within: string;
  /** The date (UTC, YYYY-MM-DD) by which the reporter hears the outcome, or null when it has passed. */
  hear_by: string | null;
  /** Where the case stands: new, in-review, decided, resolved, closed. */
  state: string;
  /** What the team adds in an update (`--text`), or null. */
  message: string | null;
}

const TEMPLATES = { ack: "letter-reporter-ack.hbs", update: "letter-reporter-update.hbs" } as const;

function days(n: number): string {
  return n === 1 ? "1 day" : `${n} days`;
}

/**
 * The acknowledgement or the status update of case `code`, from all its
 * records (so the check knows every report).
 * @param message the team's own words for an update (checked like every value).
 */
export function buildStageLetter(code: string, records: readonly CocRecord[], config: Config, kind: "ack" | "update", now: Date, message?: string): Omit<Letter, "data"> & { data: StageLetterData } {
  const { name, except } = reporterAddressee(records);
  const summary = foldCase(code, records, config.deadlines, now);
  // The outcome deadline from config.yaml, counted from when the report was received (also for a reporter the list does not chase).
  const dueMs = summary.received_at ? Date.parse(summary.received_at) + config.deadlines.outcome_days * 86_400_000 : Number.NaN;
  const due = dueMs > now.getTime() ? new Date(dueMs).toISOString().slice(0, 10) : null;
  return {
    template: TEMPLATES[kind],
    terms: sensitiveTerms(code, records, except),
    except,
    data: {
      ...publicSettings(config),
      case: code,
      to: "reporter",
      kind,
      name,
      hear_within: days(config.deadlines.outcome_days),
      hear_by: due,
      state: summary.state,
      message: message?.trim() ? message.trim() : null,
    },
  };
}
