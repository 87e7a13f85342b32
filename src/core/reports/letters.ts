/**
 * The two letters that close a case for the people in it (DESIGN.md §4):
 *
 * - to the reporter (templates/letter-reporter.hbs), the outcome letter: what
 *   was decided and why, within what the team may share: the finding and
 *   whether it was a violation, the action levels in general terms, the
 *   reasoning of the decision, how to reach the team;
 * - to the reported person (templates/letter-reported.hbs), the four-part
 *   letter: the behaviour in neutral language (the decision's `finding`), its
 *   impact, the expected change, and the consequence (the action levels with
 *   their durations).
 *
 * Each letter comes with the terms its rendered text is checked against
 * (./safety.ts): a letter may name its addressee and nobody else from the
 * reports. The letter to the reported person is always checked against the
 * name and contact of the reporter of every report of the case, whatever
 * `keep_private` says: it must never identify who reported.
 */
import { UserError } from "../errors.js";
import { FREE_TEXT_LEVEL } from "../case/rules.js";
import type { CocRecord, RecordOf } from "../records/schema.js";
import { foldCase } from "../case/fold.js";
import { sortRecords } from "../records/order.js";
import type { Config } from "../repo/config.js";
import { publicSettings, type PublicSettings } from "./announcement.js";
import { isSettingPath } from "./announcement.js";
import { publicValues, type PublicValue } from "./gate.js";
import { sensitiveTerms, type SensitiveTerm, type TermExceptions } from "./safety.js";

export const LETTER_RECIPIENTS = ["reporter", "reported"] as const;
export type LetterRecipient = (typeof LETTER_RECIPIENTS)[number];

/** The template of each letter. */
export const LETTER_TEMPLATES: Record<LetterRecipient, string> = {
  reporter: "letter-reporter.hbs",
  reported: "letter-reported.hbs",
};

/** An action of the decision, in general terms. */
export interface LetterAction {
  /** The ladder level ("temporary ban"), or the detail of a free-text action. */
  level: string;
  duration: string | null;
  /** The level with its duration: "temporary ban (12 months)". Never an action's detail, unless the action is free text. */
  text: string;
}

export interface LetterDecision {
  stage: "interim" | "final";
  violation: "yes" | "no" | "unclear" | null;
  /** The behaviour, as the team wrote it down for the reported person (`finding`): only in the letter to the reported person. */
  finding?: string | null;
  /** What the team may tell the reporter (`outcome_for_reporter`): only in the letter to the reporter, which never shows the finding. */
  outcome?: string | null;
  reasoning: string | null;
  actions: LetterAction[];
}

/** The data of templates/letter-reporter.hbs and letter-reported.hbs. */
export interface LetterData extends PublicSettings {
  /** The case code, as a reference for replies (random; says nothing about the case). */
  case: string;
  to: LetterRecipient;
  /**
   * The addressee's name, when the case has exactly one for this letter (one
   * named reporter; one person with the role "reported"); otherwise null and
   * the letter greets nobody by name.
   */
  name: string | null;
  decision: LetterDecision;
  /** The reviewers' majority impact rating (high, low), or null without assessments. */
  impact: "low" | "high" | null;
  /**
   * How to appeal (config.yaml `appeal_instructions`), in the letter to the
   * reported person only; null when unset. Checked like every value of the
   * letter: free text written by the team.
   */
  appeal: string | null;
  /** Only in the letter to the reported person: the behavioural plan of the decision, or null (the fixed wording then says what is expected). */
  plan?: LetterPlan | null;
}

/** A decision's behavioural plan, as the letter to the reported person shows it. */
export interface LetterPlan {
  expectations: string[];
  conditions_for_return: string[];
  /** Each check-in's date (UTC, YYYY-MM-DD) and what it is about. */
  check_ins: { due: string; what: string }[];
  repair: string[];
}

function letterPlan(plan: RecordOf<"decision">["body"]["plan"]): LetterPlan | null {
  if (!plan) return null;
  const list = (l: readonly string[]) => l.map((x) => x.trim()).filter(Boolean);
  const out = {
    expectations: list(plan.expectations),
    conditions_for_return: list(plan.conditions_for_return),
    check_ins: plan.check_ins.map((c) => ({ due: c.due.slice(0, 10), what: c.what.trim() })),
    repair: list(plan.repair),
  };
  const empty = out.expectations.length + out.conditions_for_return.length + out.check_ins.length + out.repair.length === 0;
  return empty ? null : out;
}

export interface Letter {
  template: string;
  data: LetterData;
  /** Every name, contact and handle of the case's reports but the addressee's own: none may appear in the text. */
  terms: SensitiveTerm[];
  /** Who the letter may name: left out of the terms of every other readable case too. */
  except: TermExceptions;
}

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

function ofType<T extends CocRecord["type"]>(records: readonly CocRecord[], type: T): RecordOf<T>[] {
  return records.filter((r): r is RecordOf<T> => r.type === type);
}

/** The one name all of `names` share (ignoring case and spacing); null when there is none or more than one, or one is unknown. */
function onlyName(names: readonly (string | undefined)[]): string | null {
  const known = names.map((n) => n?.trim() ?? "");
  if (known.length === 0 || known.some((n) => n === "")) return null;
  const distinct = new Set(known.map(norm));
  return distinct.size === 1 ? known[0]! : null;
}

/**
 * Who a letter to the reporter greets: only when every report comes from the
 * same named person is the letter theirs to be named in; several reporters
 * get the same letter, which names none of them.
 */
export function reporterAddressee(records: readonly CocRecord[]): { name: string | null; except: TermExceptions } {
  const name = onlyName(ofType(records, "report").map((r) => (r.body.reporter.anonymous ? undefined : r.body.reporter.name)));
  return { name, except: name ? { reporters: [name] } : {} };
}

/** The decision a letter tells: the latest final decision, or else the latest interim one. */
function decisionInForce(records: readonly CocRecord[]): RecordOf<"decision"> | undefined {
  const decisions = ofType(sortRecords(records), "decision");
  return decisions.filter((d) => d.body.stage === "final").at(-1) ?? decisions.at(-1);
}

function text(s: string | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

function letterAction(a: RecordOf<"decision">["body"]["actions"][number]): LetterAction {
  // A ladder level is general by design; the detail of an action may be specific
  // (a place, a session) and only stands in for the level of a free-text action.
  const free = a.level.trim().toLowerCase() === FREE_TEXT_LEVEL;
  const level = free ? (text(a.detail) ?? "another measure") : a.level.trim();
  const duration = text(a.duration);
  return { level, duration, text: duration ? `${level} (${duration})` : level };
}

/**
 * Builds a letter of case `code` from its records (all of them, so that the
 * check knows every report).
 * @throws UserError when the case has no decision yet, or (to the reported
 * person) the decision has no `finding` to describe the behaviour from.
 */
export function buildLetter(code: string, records: readonly CocRecord[], config: Config, to: LetterRecipient): Letter {
  const decision = decisionInForce(records);
  if (!decision) throw new UserError(`case ${code} has no decision yet; a letter tells the outcome of a decision (coc decide ${code})`);
  const b = decision.body;
  const finding = text(b.finding);
  if (to === "reported" && !finding) {
    throw new UserError(
      `the decision of case ${code} has no finding; the letter to the reported person describes the behaviour from it, in neutral language (record a decision with a finding: coc decide ${code})`,
    );
  }
  const reports = ofType(records, "report");
  let name: string | null;
  let except: TermExceptions;
  if (to === "reporter") {
    ({ name, except } = reporterAddressee(records));
  } else {
    // The reported person's own name may appear; reporters (every report, whatever keep_private
    // says), witnesses and anyone else involved are always checked.
    const reported = reports.flatMap((r) => r.body.incident.people.filter((p) => p.role?.trim().toLowerCase() === "reported").map((p) => p.name));
    name = onlyName(reported);
    except = name ? { people: [name] } : {};
  }
  const terms = sensitiveTerms(code, records, except);
  const { impact } = foldCase(code, records, config.deadlines, new Date(0));
  return {
    template: LETTER_TEMPLATES[to],
    terms,
    except,
    data: {
      ...publicSettings(config),
      case: code,
      to,
      name,
      impact,
      appeal: to === "reported" ? text(config.appeal_instructions) : null,
      ...(to === "reported" ? { plan: letterPlan(b.plan) } : {}),
      decision: {
        stage: b.stage,
        violation: b.violation ?? null,
        // The reporter is never told the finding (written for the reported person, it may address them as the one who did it).
        ...(to === "reported" ? { finding } : { outcome: text(b.outcome_for_reporter) }),
        reasoning: text(b.reasoning),
        actions: b.actions.map(letterAction),
      },
    },
  };
}

/** Paths of a letter's data that are coc's own wording, or the addressee: not checked. */
const LETTER_FIXED = /^(case|to|kind|name|impact|hear_by|hear_within|state|decision\.(stage|violation)|decision\.actions\.\d+\.text|plan\.check_ins\.\d+\.due)$/;

const LETTER_FIELDS: Record<string, string> = { finding: "finding", outcome: "outcome_for_reporter", reasoning: "reasoning" };

/**
 * The values of a letter's data the public-text check runs on, each with the
 * record field it comes from ("decision.finding of case quiet-otter-42").
 */
export function letterValues(code: string, data: object): PublicValue[] {
  return publicValues(
    data,
    (path) => {
      const action = /^decision\.actions\.(\d+)\.(level|duration)$/.exec(path);
      if (action) return `decision.actions[${action[1]}].${action[2] === "level" ? "level (or detail)" : "duration"} of case ${code}`;
      if (path === "appeal") return "config.yaml appeal_instructions";
      const plan = /^plan\.(\w+)\.(\d+)(?:\.what)?$/.exec(path);
      if (plan) return `decision.plan.${plan[1]}[${plan[2]}] of case ${code}`;
      if (path === "message") return `the --text of the letter`;
      const field = /^decision\.(\w+)$/.exec(path)?.[1];
      return `decision.${(field && LETTER_FIELDS[field]) ?? path} of case ${code}`;
    },
    (path) => isSettingPath(path) || LETTER_FIXED.test(path),
  );
}
