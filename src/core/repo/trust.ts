/**
 * Roster trust. Each user's coc remembers, outside the repository (in their
 * own configuration directory), the roster they last confirmed for it. A
 * roster that changed in a way they did not make (arrived through a pull, or
 * edited by hand) must be confirmed before anything is encrypted to it: a new
 * member slipped into team.yaml must never silently receive case records.
 * The first time a user works in a repository the roster is pinned as found
 * (trust on first use).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { parseYaml, toYaml } from "../records/document.js";
import type { Team } from "./config.js";

export interface PinnedMember {
  name: string;
  recipient: string;
}

export interface RosterDiff {
  added: PinnedMember[];
  removed: PinnedMember[];
  /** Same name, another key: the most suspicious change of all. */
  rekeyed: { name: string; from: string; to: string }[];
}

export type TrustState = { kind: "first-use" } | { kind: "same" } | { kind: "changed"; diff: RosterDiff };

const pinSchema = z.object({
  coc: z.literal(1),
  repository: z.string(),
  members: z.array(z.object({ name: z.string(), recipient: z.string() })),
});

/**
 * Where the pin of one user for one repository lives:
 * `<config>/coc/rosters/<repository id>-<user key id>.yaml`. The repository id
 * is its root commit (the same in every clone); the user key id separates
 * people who share a configuration directory.
 */
export function pinPath(configDir: string, repositoryId: string, userRecipient: string): string {
  const user = createHash("sha256").update(userRecipient).digest("hex").slice(0, 12);
  return join(configDir, "coc", "rosters", `${repositoryId.slice(0, 40)}-${user}.yaml`);
}

async function loadPin(path: string): Promise<PinnedMember[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  const parsed = pinSchema.safeParse(parseYaml(text, path));
  return parsed.success ? parsed.data.members : undefined;
}

/** Compares the pinned roster with the current one. */
export function diffRoster(pinned: readonly PinnedMember[], current: readonly PinnedMember[]): RosterDiff {
  const added = current.filter((m) => !pinned.some((p) => p.name === m.name));
  const removed = pinned.filter((p) => !current.some((m) => m.name === p.name));
  const rekeyed = current.flatMap((m) => {
    const p = pinned.find((x) => x.name === m.name);
    return p && p.recipient !== m.recipient ? [{ name: m.name, from: p.recipient, to: m.recipient }] : [];
  });
  return { added, removed, rekeyed };
}

function members(team: Team): PinnedMember[] {
  return team.members.map((m) => ({ name: m.name, recipient: m.recipient }));
}

/** The current roster against the user's pin. */
export async function trustState(path: string, team: Team): Promise<TrustState> {
  const pinned = await loadPin(path);
  if (!pinned) return { kind: "first-use" };
  const diff = diffRoster(pinned, members(team));
  return diff.added.length + diff.removed.length + diff.rekeyed.length === 0 ? { kind: "same" } : { kind: "changed", diff };
}

/** Records `team` as the roster this user confirmed (written atomically, mode 0600). */
export async function savePin(path: string, repositoryId: string, team: Team): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, `# the roster you last confirmed for this repository (coc team trust)\n${toYaml({ coc: 1, repository: repositoryId, members: members(team) })}`, { mode: 0o600 });
  await rename(temp, path);
}

/** One line per change, for showing to the user. */
export function describeDiff(diff: RosterDiff): string[] {
  return [
    ...diff.added.map((m) => `added: ${m.name} (${m.recipient})`),
    ...diff.removed.map((m) => `removed: ${m.name} (${m.recipient})`),
    ...diff.rekeyed.map((m) => `new key for ${m.name}: ${m.to} (was ${m.from})`),
  ];
}
