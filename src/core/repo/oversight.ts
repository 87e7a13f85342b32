/**
 * `.coc/oversight.yaml`: people outside the team (a board liaison,
 * contingent moderators, a mediator) for the cases the team cannot handle
 * alone. Plaintext, public keys only, like team.yaml; pinned and confirmed
 * with the roster (./trust.ts). Nothing is ever encrypted to them by default:
 * only a verified escalation (or summary) record of a case gives them that
 * case (../case/audience.ts).
 */
import { readTrackedText } from "./tracked-file.js";
import * as z from "zod";
import { UserError } from "../errors.js";
import { parseYaml, toYaml, validate } from "../records/document.js";
import { memberSchema, type Team } from "./config.js";

export const OVERSIGHT_ROLES = ["board-liaison", "contingent-moderator", "mediator", "other"] as const;

export const oversightPersonSchema = z.strictObject({
  name: memberSchema.shape.name,
  recipient: memberSchema.shape.recipient,
  signing_key: memberSchema.shape.signing_key,
  role: z.enum(OVERSIGHT_ROLES, { error: `role must be one of ${OVERSIGHT_ROLES.join(", ")}` }).default("other"),
  /** When they were added (UTC): an escalation dated before it gives them nothing. */
  added_at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { error: "expected a UTC time such as 2026-06-01T14:05:00Z" }),
});
export type OversightPerson = z.output<typeof oversightPersonSchema>;

export const oversightSchema = z
  .strictObject({
    coc: z.literal(1, { error: "coc must be 1 (the oversight format version)" }),
    people: z.array(oversightPersonSchema).default([]),
  })
  .superRefine((o, ctx) => {
    const names = new Set<string>();
    const keys = new Set<string>();
    o.people.forEach((p, i) => {
      if (names.has(p.name)) ctx.addIssue({ code: "custom", path: ["people", i, "name"], message: `duplicate oversight person "${p.name}"` });
      if (keys.has(p.recipient)) ctx.addIssue({ code: "custom", path: ["people", i, "recipient"], message: `recipient of "${p.name}" is already used by another oversight person` });
      names.add(p.name);
      keys.add(p.recipient);
    });
  });
export type Oversight = z.output<typeof oversightSchema>;

export const EMPTY_OVERSIGHT: Oversight = { coc: 1, people: [] };

/**
 * Reads and validates `.coc/oversight.yaml`; a missing file is an empty list.
 * @throws UserError naming the file and field.
 */
export async function loadOversight(path: string): Promise<Oversight> {
  // Arrives through git: only a regular file within the cap is read, never through a symbolic link.
  const read = readTrackedText(path);
  if ("missing" in read) return EMPTY_OVERSIGHT;
  if ("problem" in read) throw new UserError(`cannot read oversight file ${path}: ${read.problem}`);
  return validate(oversightSchema, parseYaml(read.text, path), path, "", true);
}

/**
 * Refuses an oversight list whose names or keys are also the team's: an
 * oversight person is never a member, and a name must say which one it is.
 * @throws UserError naming the file and the person.
 */
export function checkNoOverlap(oversight: Oversight, team: Team, source: string): void {
  for (const p of oversight.people) {
    if (team.members.some((m) => m.name === p.name)) throw new UserError(`${source}: "${p.name}" is both a team member and an oversight person; oversight names must differ from the roster's`);
    const member = team.members.find((m) => m.recipient === p.recipient);
    if (member) throw new UserError(`${source}: the key of oversight person "${p.name}" is team member ${member.name}'s; an oversight person is never a member`);
  }
}

/** The YAML text of the oversight list, with a header comment. */
export function oversightText(o: Oversight): string {
  return `# coc oversight: people outside the team (public keys only). Nothing is encrypted to them unless a case is escalated to them (coc escalate).\n${toYaml(o)}`;
}
