/**
 * The consent flags that `coc consent` and `coc new-report` share: each part
 * of the reporter's consent as a flag, turned into a (partial) consent block
 * that the record schema then validates.
 */
import { Option, type Command } from "commander";
import { UsageError } from "./usage-error.js";

/** Spelled out here (not imported from core) so that `coc --help` does not load core. */
const ANSWERS = ["yes", "no", "ask"];
const TARGETS = ["venue", "security", "police", "umbrella", "mediator"];

export interface ConsentFlags {
  contactReported?: string;
  share?: string[];
  publicStatement?: string;
  transparency?: string;
  followupChannel?: string;
  followupTimes?: string;
}

/** Adds the consent flags to a command. */
export function addConsentFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option("--contact-reported <answer>", "may the team contact the reported person (ask: ask the reporter first)").choices(ANSWERS))
    .option("--share <target=answer>", `may the team share the case with ${TARGETS.join(", ")} (e.g. --share police=no; repeatable)`, (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option("--public-statement <answer>", "may the team make a public statement").choices(ANSWERS))
    .addOption(new Option("--transparency <answer>", "may the case be described in the transparency report").choices(["yes", "no"]))
    .option("--followup-channel <text>", "how the reporter prefers to hear from the team")
    .option("--followup-times <text>", "when the reporter prefers to hear from the team");
}

/**
 * The consent block the flags give, or undefined when none was given.
 * @throws UsageError for a malformed --share.
 */
export function consentFromFlags(f: ConsentFlags): Record<string, unknown> | undefined {
  const block: Record<string, unknown> = {};
  if (f.contactReported !== undefined) block["contact_reported"] = f.contactReported;
  if (f.share?.length) {
    const share: Record<string, string> = {};
    for (const s of f.share) {
      const m = /^([a-z]+)=([a-z]+)$/.exec(s.trim().toLowerCase());
      if (!m || !TARGETS.includes(m[1]!) || !ANSWERS.includes(m[2]!)) throw new UsageError(`--share ${s}: expected <target>=<answer>, target one of ${TARGETS.join(", ")}, answer yes, no or ask`);
      share[m[1]!] = m[2]!;
    }
    block["share"] = share;
  }
  if (f.publicStatement !== undefined) block["public_statement"] = f.publicStatement;
  if (f.transparency !== undefined) block["transparency"] = f.transparency;
  if (f.followupChannel !== undefined || f.followupTimes !== undefined) {
    block["followup"] = { ...(f.followupChannel !== undefined ? { channel: f.followupChannel } : {}), ...(f.followupTimes !== undefined ? { times: f.followupTimes } : {}) };
  }
  return Object.keys(block).length > 0 ? block : undefined;
}

/** A consent block with `over` laid over `base`, part by part (share and followup merged). */
export function mergeConsent(base: unknown, over: Record<string, unknown>): Record<string, unknown> {
  const b = base !== null && typeof base === "object" && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...b, ...over };
  for (const k of ["share", "followup"]) {
    if (over[k] && b[k] && typeof b[k] === "object") out[k] = { ...(b[k] as object), ...(over[k] as object) };
  }
  return out;
}
