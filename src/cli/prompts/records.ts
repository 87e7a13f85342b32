/**
 * The question flows behind `coc note`, `coc decide`, `coc followup` and
 * `coc resolve`. Each returns a record body as plain data; the core validates
 * it and checks the team's rules, exactly as for a `--from` file.
 */
import { formatUtc, FREE_TEXT_LEVEL, NOTE_KINDS, type LadderLevel } from "../../core/index.js";
import { consequenceQuestions, planQuestions, type ConsequenceOptions } from "./consequence.js";
import type { Choice, Prompter } from "./prompter.js";

/** The value of "nobody" in a select of members (never a member name: names start with a letter or digit). */
const NONE = "-";

const KIND_NAMES: Record<(typeof NOTE_KINDS)[number], string> = {
  meeting: "meeting of the team",
  conversation: "conversation",
  "reporter-contact": "contact with the reporter",
  "reported-contact": "conversation with the reported person",
  "witness-contact": "contact with a witness",
  other: "other",
  override: "override of the reporter's consent",
};

/** Accepts the same date forms as the record schema; the schema stores them as UTC. */
function validTime(v: string): true | string {
  const t = v.trim();
  if (t === "") return true;
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t) && !Number.isNaN(Date.parse(t.replace(" ", "T")))
    ? true
    : "use the form 2026-06-01 14:05 (local time)";
}

function memberChoices(members: readonly string[], checked: readonly string[]): Choice<string>[] {
  return members.map((m) => ({ value: m, checked: checked.includes(m) }));
}

export interface NoteOptions {
  me: string;
  /** Members who can read the case (not recused, not excluded). */
  members: readonly string[];
}

/** The `coc note` questions: what kind of note, the text, and who took part. */
export async function noteQuestions(p: Prompter, o: NoteOptions): Promise<Record<string, unknown>> {
  const kind = await p.select({
    id: "kind",
    message: "What is this note about?",
    // Overrides are recorded by the commands that take --override, with the reason.
    choices: NOTE_KINDS.filter((k) => k !== "override").map((k) => ({ value: k, name: KIND_NAMES[k] })),
    default: "meeting",
  });
  if (kind === "reported-contact") {
    p.say("Conversations with the reported person are held by two team members: one talks, one takes notes.");
  }
  const text = await p.longText({ id: "text", message: kind === "meeting" ? "What was discussed and agreed?" : "What was said?", required: true });
  const body: Record<string, unknown> = { kind, text };
  if (kind === "meeting") {
    body["attendees"] = await p.checkbox({ id: "attendees", message: "Who attended the meeting?", choices: memberChoices(o.members, [o.me]) });
  } else {
    body["participants"] = await p.checkbox({ id: "participants", message: "Who from the team took part?", choices: memberChoices(o.members, [o.me]) });
  }
  return body;
}

export interface DecisionOptions extends ConsequenceOptions {
  me: string;
  /** Members who may decide (the case's members, not recused, not excluded). */
  members: readonly string[];
  /** Those of them with the lead role. */
  leads: readonly string[];
  ladder: readonly LadderLevel[];
  now: Date;
  /** The response the risk/impact matrix suggests for the case, when the team has voted. */
  suggested?: string | undefined;
  /** `--urgent`: the decision is taken by fewer than two members and must be ratified. */
  urgent?: boolean;
}

async function actionQuestions(p: Prompter, o: DecisionOptions): Promise<Record<string, unknown>> {
  const choices: Choice<string>[] = [
    ...o.ladder.map((l) => ({ value: l.level, name: l.temporary ? `${l.level} (temporary)` : l.level })),
    { value: FREE_TEXT_LEVEL, name: "something else (describe it)" },
  ];
  const level = await p.select({ id: "actions.level", message: "Action", choices });
  const action: Record<string, unknown> = { level };
  const free = level === FREE_TEXT_LEVEL;
  const detail = await p.input({
    id: "actions.detail",
    message: free ? "What is the action?" : "Details (who, what exactly; optional)",
    required: free,
  });
  if (detail) action["detail"] = detail;
  const rung = o.ladder.find((l) => l.level === level);
  if (rung?.temporary) {
    action["duration"] = await p.input({ id: "actions.duration", message: "For how long? (e.g. 12 months)", required: true });
  }
  // A consequence goes into the register (coc bans): whom, where, from when.
  if (rung?.temporary || rung?.permanent) await consequenceQuestions(p, o, action);
  const owner = await p.select({
    id: "actions.owner",
    message: "Who carries it out?",
    choices: [{ value: NONE, name: "nobody named yet" }, ...o.members.map((m) => ({ value: m }))],
    default: NONE,
  });
  if (owner !== NONE) action["owner"] = owner;
  const due = await p.input({ id: "actions.due", message: "Due by (local time, e.g. 2026-06-02 09:00; optional)", validate: validTime });
  if (due) action["due"] = due;
  return action;
}

/** The `coc decide` questions: stage, finding, what the reporter may be told, actions from the team's ladder, reasoning, who decided, the lead's agreement. */
export async function decisionQuestions(p: Prompter, o: DecisionOptions): Promise<Record<string, unknown>> {
  if (o.suggested) p.say(`The team's risk/impact votes suggest: ${o.suggested}.`);
  if (o.urgent) {
    p.say("Urgent decision: record who acted; a decision of at least two members must ratify it within 24 hours.");
  }
  const stage = await p.select({
    id: "stage",
    message: "Is this decision for right now, or the final one?",
    choices: [
      { value: "interim", name: "interim (for right now; longer-term actions later)" },
      { value: "final", name: "final" },
    ],
    default: "interim",
  });
  const violation = await p.select({
    id: "violation",
    message: "Was the code of conduct violated?",
    choices: [{ value: "yes" }, { value: "no" }, { value: "unclear" }],
  });
  const body: Record<string, unknown> = { stage, violation };
  const finding = await p.input({ id: "finding", message: "What did the team establish happened, and who was responsible? (optional)" });
  if (finding) body["finding"] = finding;
  // The reporter's letter never shows the finding: what may be said to them is written separately.
  const outcome = await p.input({ id: "outcome_for_reporter", message: "What may the reporter be told about the outcome? (for their letter, which never shows the finding; optional)" });
  if (outcome) body["outcome_for_reporter"] = outcome;

  const actions: Record<string, unknown>[] = [];
  while (await p.confirm({ id: "actions.add", message: actions.length === 0 ? "Add an action?" : "Add another action?", default: actions.length === 0 })) {
    actions.push(await actionQuestions(p, o));
  }
  body["actions"] = actions;
  const plan = await planQuestions(p);
  if (plan) body["plan"] = plan;

  const reasoning = await p.longText({ id: "reasoning", message: "The reasoning (the reporter is told it with the outcome)" });
  if (reasoning) body["reasoning"] = reasoning;
  body["decided_by"] = await p.checkbox({ id: "decided_by", message: "Who took this decision?", choices: memberChoices(o.members, [o.me]) });

  if (o.leads.length > 0) {
    const by = await p.select({
      id: "lead_agreement",
      message: "Has the lead agreed to it?",
      choices: [...o.leads.map((m) => ({ value: m, name: `yes, ${m}` })), { value: NONE, name: "not (yet)" }],
      default: o.leads.includes(o.me) ? o.me : NONE,
    });
    if (by !== NONE) body["lead_agreement"] = { by, at: formatUtc(o.now) };
  }
  return body;
}

export interface FollowupOptions {
  /** The actions of the decision in force, described, and whether each is done already. */
  actions: readonly { label: string; done: boolean }[];
  /** The check-ins of its plan, described, and whether each is recorded already. */
  checkIns?: readonly { label: string; done: boolean }[];
  now: Date;
}

/** The `coc followup` questions: which action (or check-in of the plan), whether it is done now, what happened. */
export async function followupQuestions(p: Prompter, o: FollowupOptions): Promise<Record<string, unknown>> {
  const checkIns = o.checkIns ?? [];
  let body: Record<string, unknown>;
  if (checkIns.length === 0) {
    const action = await p.select({
      id: "action",
      message: "Which action?",
      choices: o.actions.map((a, i) => ({ value: String(i), name: `${i}: ${a.label}${a.done ? " (done)" : ""}` })),
      default: String(Math.max(0, o.actions.findIndex((a) => !a.done))),
    });
    body = { action: Number(action) };
  } else {
    const choices = [
      ...o.actions.map((a, i) => ({ value: `a${i}`, name: `action ${i}: ${a.label}${a.done ? " (done)" : ""}` })),
      ...checkIns.map((c, i) => ({ value: `c${i}`, name: `check-in ${i}: ${c.label}${c.done ? " (recorded)" : ""}` })),
    ];
    const firstOpen = choices.find((c) => !c.name.endsWith("(done)") && !c.name.endsWith("(recorded)"));
    const which = await p.select({ id: "action", message: "Which action or check-in?", choices, default: (firstOpen ?? choices[0]!).value });
    body = which.startsWith("c") ? { check_in: Number(which.slice(1)) } : { action: Number(which.slice(1)) };
  }
  if (await p.confirm({ id: "done", message: "Is it done now?", default: true })) body["done_at"] = formatUtc(o.now);
  const text = await p.longText({ id: "text", message: "What was done, or what is still open? (optional)" });
  if (text) body["text"] = text;
  return body;
}

export const PUBLIC_TEXT_REMINDER = `Only the public statement and the transparency entry ever reach public text
(announcements, the transparency report). Write them for that purpose: no names,
contacts, handles, dates, quotes or anything else that identifies the people involved.`;

/** The `coc resolve` questions: who was told, closing, the public statement and the transparency entry. */
export async function resolutionQuestions(p: Prompter, o: { now: Date }): Promise<Record<string, unknown>> {
  const now = formatUtc(o.now);
  const body: Record<string, unknown> = {};
  if (await p.confirm({ id: "reporter_informed", message: "Has the reporter been told the outcome and the reasoning (now)?", default: false })) {
    body["reporter_informed_at"] = now;
  }
  if (await p.confirm({ id: "reported_informed", message: "Has the reported person been told (now)?", default: false })) {
    body["reported_informed_at"] = now;
  }
  if (await p.confirm({ id: "closed", message: "Close the case now?", default: true })) body["closed_at"] = now;

  p.say(PUBLIC_TEXT_REMINDER);
  const statement = await p.select({
    id: "public.statement",
    message: "Public statement",
    choices: [
      { value: "none", name: "none" },
      { value: "announcement", name: "an announcement (coc announce)" },
    ],
    default: "none",
  });
  const pub: Record<string, unknown> = { statement };
  if (statement === "announcement") {
    pub["thing"] = await p.input({ id: "public.thing", message: "In general terms, what happened? (public: no names)", required: true });
    pub["action"] = await p.input({ id: "public.action", message: "What action was taken? (public: no names)", required: true });
  }
  body["public"] = pub;

  const include = await p.confirm({ id: "transparency.include", message: "Include this case in the transparency report?", default: true });
  const transparency: Record<string, unknown> = { include };
  if (include) {
    const title = await p.input({ id: "transparency.title", message: "Entry title (public: no names)", required: true });
    transparency["title"] = title;
    const summary = await p.longText({ id: "transparency.summary", message: "Short summary: what kind of thing happened, what was done (public: no names, dates or quotes)" });
    if (summary) transparency["summary"] = summary;
  }
  const category = await p.input({ id: "transparency.category", message: "Category, for the counts (e.g. harassment, unwelcome comments; optional)" });
  if (category) transparency["category"] = category;
  body["transparency"] = transparency;
  return body;
}
