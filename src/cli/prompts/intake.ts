/**
 * The intake interview behind `coc new-report`: the care checklist first, then
 * the questions of the report body (DESIGN.md §3). Returns the body as plain
 * data; the core validates and stores it.
 */
import { CancelledError } from "../errors.js";
import { CONSENT_INTRO, consentQuestions } from "./consent.js";
import type { Prompter } from "./prompter.js";

export const CARE_CHECKLIST = `Before the questions, take care of the person in front of you:
  - Is anyone in danger right now? Then get help first (venue security, first aid,
    emergency services). The report can wait.
  - Do they need a quiet place, water, medical help, or a trusted friend with them?
  - Believe them. Listen; do not interrogate or judge.
  - Do not promise outcomes. Tell them what happens next: the team reviews the
    report and gets back to them.
  - Offer help contacting the police only if they want it.
  - Ask whether and how they want to hear back.`;

const CHANNELS = [
  { value: "in-person", name: "in person" },
  { value: "email", name: "email" },
  { value: "phone", name: "phone" },
  { value: "chat", name: "chat" },
  { value: "online-form", name: "online form" },
  { value: "other-staff", name: "passed on by other staff" },
  { value: "observed", name: "observed by the team" },
] as const;

const SUPPORT = ["a quiet place", "water", "medical help", "a trusted friend", "venue security", "a contact for later"] as const;

function localInputTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function validTime(v: string): true | string {
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v.trim()) && !Number.isNaN(Date.parse(v.trim().replace(" ", "T")))
    ? true
    : "use the form 2026-06-01 14:05 (local time)";
}

export interface IntakeOptions {
  me: string;
  /** Everyone on the roster, for the "does it name a team member" question. */
  members: readonly string[];
  now: Date;
  /** How the recipients will be described in the final confirmation. */
  describeRecipients: (excluded: string[]) => string;
  /** The consent given as flags: the consent questions are then not asked. */
  consent?: Record<string, unknown> | undefined;
  /** Answers found elsewhere (an e-mail), offered as the defaults to confirm or correct. */
  prefill?: IntakePrefill | undefined;
}

/** Prefilled answers of the interview (see `coc new-report --from-eml`). */
export interface IntakePrefill {
  received_at?: Date | undefined;
  channel?: (typeof CHANNELS)[number]["value"] | undefined;
  reporter_name?: string | undefined;
  reporter_contact?: string | undefined;
  summary?: string | undefined;
  description?: string | undefined;
}

/** The description: a prefilled one shown and kept when confirmed, else typed (or written in the editor). */
async function description(p: Prompter, prefilled: string | undefined): Promise<string> {
  if (prefilled) {
    p.say(`What happened, as the message says:\n${prefilled.split("\n").map((l) => `  | ${l}`).join("\n")}`);
    if (await p.confirm({ id: "incident.description.keep", message: "Use this text as the description?", default: true })) return prefilled;
  }
  return p.longText({ id: "incident.description", message: "What happened, in their words", required: true });
}

/** Runs the interview. @throws CancelledError when the responder stops. */
export async function intake(p: Prompter, o: IntakeOptions): Promise<Record<string, unknown>> {
  p.say(CARE_CHECKLIST);
  const immediateRisk = await p.confirm({ id: "safety.immediate_risk", message: "Is anyone in immediate danger?", default: false });
  if (immediateRisk) {
    p.say("Get help first: venue security, first aid or emergency services. Stay with the person. Come back to the report once everyone is safe.");
    if (!(await p.confirm({ id: "continue", message: "Is everyone safe now, and do you want to take the report?", default: false }))) {
      throw new CancelledError("report not taken; nothing was written");
    }
  }

  const pre = o.prefill ?? {};
  const receivedAt = await p.input({ id: "received_at", message: "When was the report received? (local time)", default: localInputTime(pre.received_at ?? o.now), validate: validTime });
  const channel = await p.select({ id: "channel", message: "How was it reported?", choices: CHANNELS, default: pre.channel ?? "in-person" });

  const anonymous = await p.confirm({ id: "reporter.anonymous", message: "Does the reporter want to stay anonymous, even to the team?", default: false });
  const reporter: Record<string, unknown> = { anonymous };
  if (!anonymous) {
    const name = await p.input({ id: "reporter.name", message: "Reporter's name (optional)", default: pre.reporter_name });
    const contact = await p.input({ id: "reporter.contact", message: "How to reach them (optional)", default: pre.reporter_contact });
    if (name) reporter["name"] = name;
    if (contact) reporter["contact"] = contact;
  }
  reporter["keep_private"] = await p.confirm({ id: "reporter.keep_private", message: "Keep the reporter's identity from the reported person?", default: true });
  reporter["wants_followup"] = await p.confirm({ id: "reporter.wants_followup", message: "Do they want to hear about the outcome?", default: true });

  const incident: Record<string, unknown> = {};
  incident["summary"] = await p.input({ id: "incident.summary", message: "In one line, what happened?", required: true, default: pre.summary });
  incident["description"] = await description(p, pre.description);
  const occurred = await p.input({ id: "incident.occurred_at", message: "When did it happen? (free text, optional)" });
  if (occurred) incident["occurred_at"] = occurred;
  const location = await p.input({ id: "incident.location", message: "Where did it happen? (optional)" });
  if (location) incident["location"] = location;
  incident["ongoing"] = await p.confirm({ id: "incident.ongoing", message: "Is it still going on?", default: false });

  const people: Record<string, string>[] = [];
  while (await p.confirm({ id: "incident.people.add", message: people.length === 0 ? "Add a person involved?" : "Add another person involved?", default: people.length === 0 })) {
    const person: Record<string, string> = {};
    const name = await p.input({ id: "incident.people.name", message: "Name or description (as the reporter gave it)", required: true });
    person["name"] = name;
    person["role"] = await p.select({
      id: "incident.people.role",
      message: "Their part in it",
      choices: [
        { value: "reported", name: "reported (their behaviour is reported)" },
        { value: "affected", name: "affected" },
        { value: "other", name: "other" },
      ],
      default: "reported",
    });
    const description = await p.input({ id: "incident.people.description", message: "Anything that helps identify them later (badge, role, handle; optional)" });
    if (description) person["description"] = description;
    people.push(person);
  }
  incident["people"] = people;

  const witnesses: Record<string, string>[] = [];
  while (await p.confirm({ id: "incident.witnesses.add", message: witnesses.length === 0 ? "Add a witness?" : "Add another witness?", default: false })) {
    const w: Record<string, string> = {};
    w["name"] = await p.input({ id: "incident.witnesses.name", message: "Witness name", required: true });
    const contact = await p.input({ id: "incident.witnesses.contact", message: "How to reach them (optional)" });
    if (contact) w["contact"] = contact;
    witnesses.push(w);
  }
  incident["witnesses"] = witnesses;
  const links = await p.input({ id: "incident.links", message: "Links (posts, screenshots), comma-separated (optional)" });
  incident["links"] = links.split(",").map((l) => l.trim()).filter(Boolean);

  // After the account, gently: what they agree the team may do (it can change later).
  let consent = o.consent;
  if (!consent) {
    p.say(CONSENT_INTRO);
    consent = await consentQuestions(p);
  }

  const safety: Record<string, unknown> = { immediate_risk: immediateRisk };
  safety["police_contacted"] = await p.confirm({ id: "safety.police_contacted", message: "Have the police been contacted?", default: false });
  safety["support_offered"] = await p.checkbox({
    id: "safety.support_offered",
    message: "What support was offered?",
    choices: SUPPORT.map((s) => ({ value: s })),
  });

  let exclude: string[] = [];
  const others = o.members.filter((m) => m !== o.me);
  if (others.length > 0) {
    const named = await p.confirm({ id: "names_member", message: "Does the report name or involve a member of the team?", default: false });
    if (named) {
      exclude = await p.checkbox({
        id: "exclude",
        message: "Who must not see this case? (they will never receive it)",
        choices: others.map((m) => ({ value: m })),
      });
    }
  }

  const body = { received_at: receivedAt, received_by: o.me, channel, reporter, incident, safety, exclude, consent };
  const ok = await p.confirm({ id: "confirm", message: `Save this report, encrypted to ${o.describeRecipients(exclude)}?`, default: true });
  if (!ok) throw new CancelledError("report discarded; nothing was written");
  return body;
}
