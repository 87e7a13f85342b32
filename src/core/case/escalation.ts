/**
 * When a case should go outside the team (issue 16, after the DSF, CNCF,
 * Kubernetes and Rust processes): the team cannot handle a case alone when
 * it excludes a lead (the report names them, or they are recused), when
 * fewer than two members without a conflict can read it, or when a majority
 * of the team is out of it (recused or excluded). Then coc suggests
 * escalating it to the people of the oversight list, named by role. Pure:
 * the front end prints.
 */
import type { Audience } from "./audience.js";

/** Why a case should be escalated, and the command that would do it. */
export interface EscalationAdvice {
  reasons: string[];
  /** The suggested next step, one line. */
  suggestion: string;
}

export interface EscalationContext {
  /** The roster with roles. */
  members: readonly { name: string; roles: readonly string[] }[];
  /** The case's audience now. */
  audience: Pick<Audience, "readers" | "excluded" | "recused" | "escalated"> & { extra?: Audience["extra"] | undefined };
  /** Members with a soft conflict in the case. */
  soft: readonly string[];
  /** The oversight list. */
  oversight: readonly { name: string; role: string }[];
}

/** Oversight roles in the order they are suggested. */
const ROLE_ORDER = ["board-liaison", "contingent-moderator", "mediator", "other"];

/**
 * The advice for one case, or null when the team can handle it, or it is
 * escalated already, or the team wrote the oversight people a summary (they
 * chose what to tell them).
 */
export function escalationAdvice(code: string, ctx: EscalationContext): EscalationAdvice | null {
  if (ctx.audience.escalated.length > 0 || Object.keys(ctx.audience.extra ?? {}).length > 0) return null;
  const names = ctx.members.map((m) => m.name);
  const out = new Set([...ctx.audience.excluded, ...ctx.audience.recused].filter((n) => names.includes(n)));
  const reasons: string[] = [];
  const leadsOut = ctx.members.filter((m) => m.roles.includes("lead") && out.has(m.name)).map((m) => m.name);
  if (leadsOut.length > 0) reasons.push(`case ${code} excludes the lead${leadsOut.length > 1 ? "s" : ""} (${leadsOut.join(", ")})`);
  const unconflicted = ctx.audience.readers.filter((n) => names.includes(n) && !ctx.soft.includes(n));
  if (unconflicted.length < 2) reasons.push(`only ${unconflicted.length} member${unconflicted.length === 1 ? "" : "s"} without a conflict can read case ${code} (${unconflicted.join(", ") || "nobody"})`);
  if (out.size * 2 > names.length) reasons.push(`a majority of the team is recused or excluded from case ${code} (${[...out].sort().join(", ")})`);
  if (reasons.length === 0) return null;
  const people = [...ctx.oversight].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  const suggestion =
    people.length > 0
      ? `consider escalating it: coc escalate ${code} --to ${people.map((p) => p.name).join(" ")}  (${people.map((p) => `${p.name}: ${p.role}`).join(", ")}; --summary-only to tell them only what you choose)`
      : `consider escalating it, but nobody is on the oversight list yet: a lead adds them with coc oversight add <name> <member-key> --role board-liaison`;
  return { reasons, suggestion };
}
