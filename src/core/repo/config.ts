/**
 * `.coc/config.yaml` (public settings) and `.coc/team.yaml` (the roster: names
 * and public keys). Both are plaintext and hold nothing about any case.
 */
import { readTrackedText } from "./tracked-file.js";
import * as z from "zod";
import { quote, UserError } from "../errors.js";
import { formatSshEd25519, parseSshEd25519 } from "../crypto/sshsig.js";
import { parseRecipient } from "../crypto/age.js";
import { parseYaml, toYaml, validate } from "../records/document.js";
import { DEFAULT_APPEAL_GROUNDS, memberName } from "../records/schema.js";

/** The resolution ladders a team can choose at init (DESIGN.md §5). */
export const LADDERS = {
  care: [
    { level: "no action" },
    { level: "demand the behaviour stops" },
    { level: "demand no further contact with certain people" },
    { level: "do not publish the talk's video" },
    { level: "cancel the talk" },
    { level: "remove from the event without refund" },
  ],
  "cc2.1": [
    { level: "correction" },
    { level: "warning" },
    { level: "temporary ban", temporary: true },
    { level: "permanent ban", permanent: true },
  ],
  cc3: [
    { level: "warning" },
    { level: "temporarily limited activities", temporary: true },
    { level: "temporary suspension", temporary: true },
    { level: "permanent ban", permanent: true },
  ],
} as const satisfies Record<string, readonly { level: string; temporary?: boolean; permanent?: boolean }[]>;
export type LadderName = keyof typeof LADDERS;
export const LADDER_NAMES = Object.keys(LADDERS) as LadderName[];

const cell = z.strictObject({ example: z.string(), response: z.string() });

/** The default risk/impact grid (Audrey Eschright's framework, DESIGN.md §5). */
export const DEFAULT_MATRIX = {
  low_impact_low_risk: {
    example: "an inappropriate joke made in private",
    response: "verbal warning",
  },
  low_impact_high_risk: {
    example: "an attendee with a previous arrest or assault",
    response: "take notes, follow up later",
  },
  high_impact_low_risk: {
    example: "inappropriate jokes in public",
    response: "public apology, remove the person from the event",
  },
  high_impact_high_risk: {
    example: "persistent coordinated harassment",
    response: "coordinated whole-team response",
  },
};

export const DEFAULT_DEADLINES = { first_action_hours: 12, acknowledge_hours: 24, outcome_days: 7, appeal_days: 14, appeal_decision_days: 14 };

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expected a date such as 2026-06-01" });

export const configSchema = z.strictObject({
  coc: z.literal(1, { error: "coc must be 1 (the config format version)" }),
  event: z.strictObject({
    name: z.string().trim().min(1, { error: "event.name must not be empty" }),
    starts_on: date.optional(),
    ends_on: date.optional(),
  }),
  policy_url: z.string().optional(),
  contact: z.string().optional(),
  ladder: z.enum(LADDER_NAMES as [LadderName, ...LadderName[]], { error: `ladder must be one of ${LADDER_NAMES.join(", ")}` }).default("care"),
  deadlines: z
    .strictObject({
      first_action_hours: z.number().positive().default(DEFAULT_DEADLINES.first_action_hours),
      acknowledge_hours: z.number().positive().default(DEFAULT_DEADLINES.acknowledge_hours),
      outcome_days: z.number().positive().default(DEFAULT_DEADLINES.outcome_days),
      /** An appeal is filed within this many days of the final decision (or of telling the reported person). */
      appeal_days: z.number().positive().default(DEFAULT_DEADLINES.appeal_days),
      /** An appeal is decided within this many days of being received. */
      appeal_decision_days: z.number().positive().default(DEFAULT_DEADLINES.appeal_decision_days),
    })
    .default(DEFAULT_DEADLINES),
  matrix: z
    .strictObject({
      low_impact_low_risk: cell,
      low_impact_high_risk: cell,
      high_impact_low_risk: cell,
      high_impact_high_risk: cell,
    })
    .default(DEFAULT_MATRIX),
  visibility: z.array(z.string()).default([]),
  /** The online platforms a consequence can apply to (the register of consequences, `coc bans`). */
  platforms: z.array(z.string().trim().min(1, { error: "a platform name must not be empty" })).optional(),
  retention: z
    .strictObject({ delete_after_days: z.number().int().positive().nullable().default(null) })
    .default({ delete_after_days: null }),
  /** Evidence files (`coc attach`): the largest file accepted, in MB (default 25, at most 100). */
  evidence: z.strictObject({ max_file_mb: z.number().positive().max(100, { error: "evidence.max_file_mb must be at most 100" }) }).optional(),
  /** The grounds an appeal may give (coc appeal --ground). */
  appeal_grounds: z.array(z.string().trim().min(1, { error: "an appeal ground must not be empty" })).min(1, { error: "appeal_grounds must list at least one ground" }).default([...DEFAULT_APPEAL_GROUNDS]),
  /** How to appeal, for the letter to the reported person (public text: checked like every letter). */
  appeal_instructions: z.string().trim().min(1, { error: "appeal_instructions must not be empty" }).optional(),
});
export type Config = z.output<typeof configSchema>;

export const ROLES = ["responder", "lead", "safety-officer"] as const;

export const memberSchema = z.strictObject({
  name: memberName,
  recipient: z.string().transform((s, ctx) => {
    try {
      return parseRecipient(s);
    } catch {
      ctx.issues.push({ code: "custom", message: `not an age recipient: "${s}" (expected age1...)`, input: s });
      return z.NEVER;
    }
  }),
  roles: z.array(z.enum(ROLES, { error: `role must be one of ${ROLES.join(", ")}` })).default(["responder"]),
  /** The member's public signing key (`ssh-ed25519 AAAA…`), with which their records are checked. */
  signing_key: z
    .string()
    .transform((s, ctx) => {
      try {
        return formatSshEd25519(parseSshEd25519(s));
      } catch {
        ctx.issues.push({ code: "custom", message: `not an ssh-ed25519 public key: "${quote(s)}"`, input: s });
        return z.NEVER;
      }
    })
    .optional(),
});
export type Member = z.output<typeof memberSchema>;

/**
 * A member who was removed: kept so that the records they signed while on
 * the team still verify (those dated before `removed_at`), and nothing after.
 */
export const formerSchema = z.strictObject({
  name: memberName,
  signing_key: memberSchema.shape.signing_key,
  removed_at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { error: "expected a UTC time such as 2026-06-01T14:05:00Z" }),
});


export const teamSchema = z
  .strictObject({
    coc: z.literal(1, { error: "coc must be 1 (the team format version)" }),
    members: z.array(memberSchema).min(1, { error: "members must list at least one member" }),
    former: z.array(formerSchema).optional(),
  })
  .superRefine((team, ctx) => {
    const names = new Set<string>();
    const keys = new Set<string>();
    team.members.forEach((m, i) => {
      if (names.has(m.name)) ctx.addIssue({ code: "custom", path: ["members", i, "name"], message: `duplicate member "${m.name}"` });
      if (keys.has(m.recipient)) ctx.addIssue({ code: "custom", path: ["members", i, "recipient"], message: `recipient of "${m.name}" is already used by another member` });
      names.add(m.name);
      keys.add(m.recipient);
    });
  });
export type Team = z.output<typeof teamSchema>;

/** A settings file arrives through git: only a regular file within the cap is read, never through a symbolic link. */
function readText(path: string, what: string): Promise<string> {
  const read = readTrackedText(path);
  if ("text" in read) return Promise.resolve(read.text);
  return Promise.reject(new UserError(`cannot read ${what} ${path}${"problem" in read ? `: ${read.problem}` : ""}`));
}

/** Reads and validates `.coc/config.yaml`. @throws UserError naming the file and field. */
export async function loadConfig(path: string): Promise<Config> {
  return parseConfig(await readText(path, "config"), path);
}

/** Parses and validates the text of a config. @throws UserError naming `source` and the field. */
export function parseConfig(text: string, source: string): Config {
  return validate(configSchema, parseYaml(text, source), source, "", true);
}

/** Reads and validates `.coc/team.yaml`. @throws UserError naming the file and field. */
export async function loadTeam(path: string): Promise<Team> {
  return validate(teamSchema, parseYaml(await readText(path, "team file"), path), path, "", true);
}

/** The YAML text of a config, with a header comment. */
export function configText(config: Config): string {
  return `# coc configuration: public settings only, never case data.\n${toYaml(config)}`;
}

/** The YAML text of a team roster, with a header comment. */
export function teamText(team: Team): string {
  return `# coc team roster: names and age public keys (recipients). Records are encrypted to these members.\n${toYaml(team)}`;
}
