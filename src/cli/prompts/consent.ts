/**
 * The consent questions, asked gently after the account (issue 14): what the
 * reporter agrees the team may do, each of which can change later. Used by
 * the intake and by `coc consent` in a terminal.
 */
import type { Prompter } from "./prompter.js";

const TARGETS = [
  { value: "venue", name: "the venue" },
  { value: "security", name: "security staff" },
  { value: "police", name: "the police" },
  { value: "umbrella", name: "an umbrella organisation (or an oversight body)" },
  { value: "mediator", name: "a mediator" },
] as const;

const ASK = [
  { value: "yes", name: "yes" },
  { value: "no", name: "no" },
  { value: "ask", name: "ask them first" },
] as const;

export const CONSENT_INTRO = `Now, gently: what does the reporter agree the team may do? Nothing here is final:
they can change any of it later (tell the team; it is recorded with coc consent).`;

/**
 * Asks each part of the consent.
 * @param current the answers in force, as defaults (a later change), if any.
 */
export async function consentQuestions(p: Prompter, current: { contact_reported?: string | null; public_statement?: string | null; transparency?: string | null } = {}): Promise<Record<string, unknown>> {
  const pick = (v: string | null | undefined, fallback: "yes" | "no" | "ask") => (v === "yes" || v === "no" || v === "ask" ? v : fallback);
  const contact = await p.select({ id: "consent.contact_reported", message: "May the team talk to the person whose behaviour is reported?", choices: ASK, default: pick(current.contact_reported, "ask") });
  const shareYes = await p.checkbox({
    id: "consent.share",
    message: "If it is needed, who may the team share the report with? (those not ticked: we ask them first)",
    choices: TARGETS.map((t) => ({ value: t.value, name: t.name })),
  });
  const share = Object.fromEntries(TARGETS.map((t) => [t.value, (shareYes as string[]).includes(t.value) ? "yes" : "ask"]));
  const statement = await p.select({ id: "consent.public_statement", message: "May the team make a public statement about it (without names)?", choices: ASK, default: pick(current.public_statement, "ask") });
  const transparency = await p.select({
    id: "consent.transparency",
    message: "May the case be described, without names, in the transparency report? (it is always counted)",
    choices: [{ value: "yes" }, { value: "no" }],
    default: current.transparency === "yes" ? "yes" : "no",
  });
  const block: Record<string, unknown> = { contact_reported: contact, share, public_statement: statement, transparency };
  const channel = await p.input({ id: "consent.followup.channel", message: "How would they like to hear from us? (e-mail, phone, in person; optional)" });
  const times = await p.input({ id: "consent.followup.times", message: "When suits them? (optional)" });
  if (channel || times) block["followup"] = { ...(channel ? { channel } : {}), ...(times ? { times } : {}) };
  return block;
}
