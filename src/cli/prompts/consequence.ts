/**
 * The decision questions issue 14 adds: for an action that is a consequence
 * (a temporary or permanent level), whom it applies to, where, on which
 * platforms and from when; and the behavioural plan.
 */
import type { Choice, Prompter } from "./prompter.js";

export interface ConsequenceOptions {
  /** The people of the case's reports, in report order (an action's `subject` is an index into them). */
  people: readonly { name?: string | undefined; role?: string | undefined }[];
  /** The platforms of config.yaml. */
  platforms: readonly string[];
}

function validTime(v: string): true | string {
  const t = v.trim();
  if (t === "") return true;
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t) && !Number.isNaN(Date.parse(t.replace(" ", "T"))) ? true : "use the form 2026-06-01 14:05 (local time)";
}

/** Whom, where and from when, added to `action` (asked for temporary and permanent levels). */
export async function consequenceQuestions(p: Prompter, o: ConsequenceOptions, action: Record<string, unknown>): Promise<void> {
  const reported = o.people.filter((x) => x.role?.trim().toLowerCase() === "reported");
  if (o.people.length > 0 && reported.length !== 1) {
    const subject = await p.select({
      id: "actions.subject",
      message: "Whom does it apply to?",
      choices: o.people.map((x, i) => ({ value: String(i), name: `${x.name ?? "(no name)"}${x.role ? ` (${x.role})` : ""}` })),
    });
    action["subject"] = Number(subject);
  }
  const scope = await p.select({
    id: "actions.scope",
    message: "Where does it apply?",
    choices: [
      { value: "event", name: "at the event" },
      { value: "online", name: "online" },
      { value: "both", name: "both" },
    ],
    default: "event",
  });
  action["scope"] = scope;
  if (scope !== "event" && o.platforms.length > 0) {
    const platforms = await p.checkbox({ id: "actions.platforms", message: "On which platforms?", choices: o.platforms.map((x): Choice<string> => ({ value: x })) });
    if (platforms.length > 0) action["platforms"] = platforms;
  }
  const starts = await p.input({ id: "actions.starts_at", message: "From when? (local time; empty: from the decision)", validate: validTime });
  if (starts) action["starts_at"] = starts;
}

/** Items typed one per answer until an empty one. */
async function items(p: Prompter, id: string, message: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const v = await p.input({ id, message: `${message} (empty to finish)` });
    if (!v.trim()) return out;
    out.push(v.trim());
  }
}

/** The behavioural plan, when the team wants one; undefined otherwise. */
export async function planQuestions(p: Prompter): Promise<Record<string, unknown> | undefined> {
  if (!(await p.confirm({ id: "plan.add", message: "Add a behavioural plan for the reported person (expectations, check-ins, repair)?", default: false }))) return undefined;
  p.say("The plan's expectations are what the letter to the reported person asks of them; write them for that person, in neutral language.");
  const expectations = await items(p, "plan.expectations", "An expectation");
  const conditions = await items(p, "plan.conditions_for_return", "A condition for return");
  const repair = await items(p, "plan.repair", "A repair step");
  const checkIns: { due: string; what: string }[] = [];
  while (await p.confirm({ id: "plan.check_ins.add", message: checkIns.length === 0 ? "Add a check-in?" : "Add another check-in?", default: checkIns.length === 0 })) {
    const due = await p.input({ id: "plan.check_ins.due", message: "When? (local time, e.g. 2026-07-01 10:00)", required: true, validate: validTime });
    const what = await p.input({ id: "plan.check_ins.what", message: "What is checked?", required: true });
    checkIns.push({ due, what });
  }
  return { expectations, conditions_for_return: conditions, check_ins: checkIns, repair };
}
