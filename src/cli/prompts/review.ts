/**
 * The questions of the review meeting behind `coc review`, in the order the
 * meeting goes (DESIGN.md §4, issue 3): who is present, conflicts of
 * interest, the caller's own assessment, meeting notes, an optional interim
 * decision. Each step returns plain data; the command shows the case between
 * the steps, and the core validates and stores what comes back.
 *
 * Question ids: `present`; `conflict.<member>`, `conflict.<member>.kind` and
 * `conflict.<member>.reason`; `assessment.override` (a soft conflict's vote);
 * `assessment.risk`, `assessment.impact`, `assessment.in_scope`,
 * `assessment.violation`, `assessment.rationale`; `note.text`;
 * `decision.add`, `decision.level`, `decision.detail`, `decision.duration`,
 * `decision.reasoning`; `confirm`.
 */
import { FREE_TEXT_LEVEL, type LadderLevel } from "../../core/index.js";
import { CancelledError } from "../errors.js";
import type { Prompter } from "./prompter.js";

/** Who is at the meeting: a checkbox of the case's members, the caller ticked. */
export async function askPresent(p: Prompter, o: { me: string; members: readonly string[] }): Promise<string[]> {
  return p.checkbox({
    id: "present",
    message: "Who is present? (an odd number of people is preferred)",
    choices: o.members.map((m) => ({ value: m, name: m === o.me ? `${m} (you)` : m, checked: m === o.me })),
  });
}

/** A conflict declaration as asked: only members who have one are returned. */
export interface DeclaredConflict {
  member: string;
  conflict: true;
  /** hard: recused; soft: keeps access, takes part in the discussion, does not decide or vote. */
  kind: "soft" | "hard";
  reason?: string;
  recused?: true;
}

/**
 * Asks each present member whether they have a conflict of interest (no
 * reason required). Only conflicts are returned: a "no conflict" answer is
 * not recorded, so that a clone which has not yet seen someone's recusal
 * cannot undo it with a later "no".
 * @param parties the people named in the case, so members can tell whether they are close to one.
 */
export async function askConflicts(p: Prompter, o: { me: string; present: readonly string[]; parties: readonly string[] }): Promise<DeclaredConflict[]> {
  p.say(
    [
      "Conflicts of interest first, before anything of the case is shown. A member close to a person",
      "involved (a friend, partner, colleague, manager, or anyone they could not judge fairly) does not",
      "take part: the case is re-encrypted without them. Nobody has to say why.",
      ...(o.parties.length > 0 ? [`The people named in this case: ${o.parties.join("; ")}.`] : []),
    ].join("\n"),
  );
  const declared: DeclaredConflict[] = [];
  for (const member of o.present) {
    const you = member === o.me;
    const conflict = await p.confirm({
      id: `conflict.${member}`,
      message: you ? "Do you have a conflict of interest in this case?" : `Does ${member} have a conflict of interest in this case?`,
      default: false,
    });
    if (!conflict) continue;
    const kind = await p.select<"soft" | "hard">({
      id: `conflict.${member}.kind`,
      message: "Which kind of conflict?",
      choices: [
        { value: "hard", name: "hard: recused, the case is re-encrypted without them" },
        { value: "soft", name: "soft: keeps access and takes part in the discussion, but does not decide or vote" },
      ],
      default: "hard",
    });
    const reason = await p.input({ id: `conflict.${member}.reason`, message: "Reason (optional; nobody has to say why)" });
    declared.push({ member, conflict: true, kind, ...(reason ? { reason } : {}), ...(kind === "hard" ? { recused: true as const } : {}) });
  }
  return declared;
}

/** The caller's own assessment: risk, impact, in scope, violation, rationale. */
export async function askAssessment(p: Prompter): Promise<Record<string, unknown>> {
  p.say("Your own assessment (each reviewer records theirs, so nobody anchors on the first opinion).");
  const risk = await p.select({
    id: "assessment.risk",
    message: "Risk of further harm",
    choices: [
      { value: "low", name: "low" },
      { value: "high", name: "high" },
    ],
  });
  const impact = await p.select({
    id: "assessment.impact",
    message: "Impact on the people involved and the community",
    choices: [
      { value: "low", name: "low" },
      { value: "high", name: "high" },
    ],
  });
  const inScope = await p.confirm({ id: "assessment.in_scope", message: "Is it in the scope of the code of conduct?", default: true });
  const violation = await p.select({
    id: "assessment.violation",
    message: "Was the code of conduct violated?",
    choices: [{ value: "yes" }, { value: "no" }, { value: "unclear" }],
    default: "unclear",
  });
  const body: Record<string, unknown> = { risk, impact, in_scope: inScope, violation };
  const rationale = await p.longText({ id: "assessment.rationale", message: "Why? (optional)" });
  if (rationale) body["rationale"] = rationale;
  return body;
}

/** Meeting notes, optional: null when left empty. */
export async function askNote(p: Prompter, o: { attendees: readonly string[] }): Promise<Record<string, unknown> | null> {
  const text = await p.longText({ id: "note.text", message: "Meeting notes: what was established, by whom, what next (optional)" });
  if (!text) return null;
  return { kind: "meeting", text, attendees: [...o.attendees] };
}

/** An optional interim decision with one action from the ladder (or free text); null when none. */
export async function askInterimDecision(
  p: Prompter,
  o: { ladder: readonly LadderLevel[]; deciders: readonly string[]; suggestion: string | null },
): Promise<Record<string, unknown> | null> {
  const add = await p.confirm({ id: "decision.add", message: "Record an interim decision (what happens right now)?", default: false });
  if (!add) return null;
  if (o.suggestion) p.say(`The matrix suggests: ${o.suggestion}.`);
  const level = await p.select({
    id: "decision.level",
    message: "Action for right now",
    choices: [
      ...o.ladder.map((l) => ({ value: l.level, name: l.temporary ? `${l.level} (temporary)` : l.level })),
      { value: FREE_TEXT_LEVEL, name: "something else (describe it)" },
    ],
  });
  const free = level === FREE_TEXT_LEVEL;
  const action: Record<string, unknown> = { level };
  const detail = await p.input({ id: "decision.detail", message: free ? "What is the action?" : "Details (optional)", required: free });
  if (detail) action["detail"] = detail;
  if (o.ladder.find((l) => l.level === level)?.temporary) {
    action["duration"] = await p.input({ id: "decision.duration", message: "For how long? (e.g. 12 months)", required: true });
  }
  const body: Record<string, unknown> = { stage: "interim", actions: [action], decided_by: [...o.deciders] };
  const reasoning = await p.input({ id: "decision.reasoning", message: "The reasoning (optional)" });
  if (reasoning) body["reasoning"] = reasoning;
  return body;
}

/**
 * The reason a member with a soft conflict votes anyway (recorded, signed, in
 * the assessment); empty: they do not vote.
 */
export async function askOverride(p: Prompter): Promise<string> {
  p.say("You have a soft conflict in this case: you may take part in the discussion, but your vote counts only with a reason the team records.");
  return (await p.input({ id: "assessment.override", message: "Why do you vote anyway? (empty: record no vote)" })).trim();
}

/** The last question: save what was answered. @throws CancelledError on no. */
export async function confirmSave(p: Prompter, what: string): Promise<void> {
  if (!(await p.confirm({ id: "confirm", message: `Save ${what}?`, default: true }))) {
    throw new CancelledError("review discarded; nothing was written");
  }
}
