/**
 * Pins: what this user last confirmed for a repository (DESIGN.md §7). The
 * roster (names, keys, roles), the public-facing and destructive settings of
 * config.yaml (contact, policy URL, event dates, retention) and the team's
 * templates are remembered outside the repository, in the user's own
 * configuration directory. A change the user did not make (it arrived
 * through a pull, or was edited by hand) is shown and used only once
 * confirmed: a member slipped into team.yaml must never silently receive
 * case records, and a pushed contact address must never reach a letter.
 *
 * Pins are keyed on a random repository id stored in this clone
 * (`.git/coc/id`), never on history a push can change.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as z from "zod";
import { parseYaml, toYaml } from "../records/document.js";
import type { Config, Team } from "./config.js";
import type { Oversight } from "./oversight.js";
import { readTrackedText } from "./tracked-file.js";
import { readStateFile } from "../state-file.js";

/** What a pin holds: everything a user confirms. */
export interface Pinned {
  members: { name: string; recipient: string; roles: string[]; signing_key?: string | undefined }[];
  /** Removed members whose earlier records still verify. */
  former?: { name: string; signing_key?: string | undefined; removed_at: string }[] | undefined;
  settings: Record<string, string | number | null>;
  /** Template file name → SHA-256 of its content. */
  templates: Record<string, string>;
  /** The oversight list (.coc/oversight.yaml): people a case can be escalated to. A pin without it pinned none. */
  oversight?: { name: string; recipient: string; role: string; signing_key?: string | undefined; added_at: string }[] | undefined;
  /** The commit the clone was at when this was confirmed (to tell the user's own later commits from pulled ones). */
  head?: string | null | undefined;
}

export interface TrustDiff {
  added: Pinned["members"];
  removed: Pinned["members"];
  /** Same name, another key: the most suspicious change of all. */
  rekeyed: { name: string; from: string; to: string }[];
  roles: { name: string; from: string[]; to: string[] }[];
  /** A signing key added, changed or dropped for a name: who signs as them. */
  signing: { name: string; from: string | null; to: string | null }[];
  /** Former members added or changed (whose key verifies records up to when). */
  former: { name: string; signing_key: string | null; removed_at: string }[];
  settings: { key: string; from: string | number | null; to: string | number | null }[];
  templates: { name: string; change: "added" | "removed" | "changed" }[];
  /** Oversight people added, removed, or changed (key, role, signing key or added_at). */
  oversight: { name: string; change: "added" | "removed" | "changed"; recipient: string; role: string; what?: string[] }[];
}

/** `upgrade`: the pin predates some of what is pinned now; save it again to pin those parts as they are. */
export type TrustState = { kind: "first-use" } | { kind: "same"; upgrade: boolean; head: string | null } | { kind: "changed"; diff: TrustDiff; pinned: Pinned };

const pinSchema = z.object({
  coc: z.literal(1),
  repository: z.string(),
  members: z.array(z.object({ name: z.string(), recipient: z.string(), roles: z.array(z.string()).optional(), signing_key: z.string().optional() })),
  settings: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  templates: z.record(z.string(), z.string()).optional(),
  head: z.string().nullable().optional(),
  former: z.array(z.object({ name: z.string(), signing_key: z.string().optional(), removed_at: z.string() })).optional(),
  oversight: z.array(z.object({ name: z.string(), recipient: z.string(), role: z.string(), signing_key: z.string().optional(), added_at: z.string() })).optional(),
});

/** The settings of config.yaml that reach readers or delete data: pinned and confirmed. */
export function pinnedSettings(config: Config): Pinned["settings"] {
  return {
    contact: config.contact ?? null,
    policy_url: config.policy_url ?? null,
    "event.name": config.event.name,
    "event.starts_on": config.event.starts_on ?? null,
    "event.ends_on": config.event.ends_on ?? null,
    "retention.delete_after_days": config.retention.delete_after_days,
    appeal_instructions: config.appeal_instructions ?? null,
  };
}

/** The hashes of the team's templates (`templates/*.hbs`). */
export async function templateHashes(dir: string): Promise<Pinned["templates"]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".hbs")).sort();
  const out: Pinned["templates"] = {};
  for (const n of names) {
    // A template that is not a regular file (a symbolic link to /dev/zero, say) is never read: it is pinned as what it is, so it shows as a change.
    const read = readTrackedText(join(dir, n));
    if ("bytes" in read) out[n] = createHash("sha256").update(read.bytes).digest("hex");
    else if ("problem" in read) out[n] = `not read: ${read.problem}`;
  }
  return out;
}

/** The current state, as it would be pinned. */
export async function currentPin(team: Team, config: Config, templatesDir: string, oversight?: Oversight): Promise<Pinned> {
  return {
    oversight: (oversight?.people ?? []).map((p) => ({ name: p.name, recipient: p.recipient, role: p.role, added_at: p.added_at, ...(p.signing_key ? { signing_key: p.signing_key } : {}) })),
    members: team.members.map((m) => ({ name: m.name, recipient: m.recipient, roles: [...m.roles], ...(m.signing_key ? { signing_key: m.signing_key } : {}) })),
    former: (team.former ?? []).map((f) => ({ name: f.name, removed_at: f.removed_at, ...(f.signing_key ? { signing_key: f.signing_key } : {}) })),
    settings: pinnedSettings(config),
    templates: await templateHashes(templatesDir),
  };
}

/**
 * The repository id of this clone, made on first use. A clone that pinned
 * under its root commit (before ids) keeps its pins: they are carried over.
 */
export async function repositoryId(gitDir: string, configDir: string, roots: () => Promise<string[]>, user: string): Promise<string> {
  const file = join(gitDir, "coc", "id");
  const existing = ((await readStateFile(file)) ?? "").trim();
  if (/^[0-9a-f]{32}$/.test(existing)) return existing;
  const id = randomBytes(16).toString("hex");
  for (const root of await roots()) {
    const legacy = await readStateFile(pinPath(configDir, root, user));
    if (legacy !== undefined) {
      await writeAtomic(pinPath(configDir, id, user), legacy);
      break;
    }
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeAtomic(file, `${id}\n`);
  return id;
}

/**
 * Where the pin of one user for one repository lives:
 * `<config>/coc/rosters/<repository id>-<user key id>.yaml`; the user key id
 * separates people who share a configuration directory.
 */
export function pinPath(configDir: string, repositoryId: string, userRecipient: string): string {
  const user = createHash("sha256").update(userRecipient).digest("hex").slice(0, 12);
  return join(configDir, "coc", "rosters", `${repositoryId.slice(0, 40)}-${user}.yaml`);
}

/** The pin at `path`, or undefined when there is none (or it is unreadable). */
export async function loadPin(path: string): Promise<Pinned | undefined> {
  const text = await readStateFile(path);
  if (text === undefined) return undefined;
  const parsed = pinSchema.safeParse(parseYaml(text, path), { jitless: true });
  if (!parsed.success) return undefined;
  const p = parsed.data;
  return { members: p.members.map((m) => ({ ...m, roles: m.roles ?? [] })), former: p.former ?? [], settings: p.settings ?? {}, templates: p.templates ?? {}, head: p.head ?? null, oversight: p.oversight ?? [] };
}

/** Compares what was pinned with what is there now. Parts a pin made before they were pinned (settings, templates, roles) count as confirmed. */
export function diffPin(pinned: Pinned, current: Pinned, legacy: { settings: boolean; templates: boolean; roles: boolean; signing: boolean }): TrustDiff {
  const added = current.members.filter((m) => !pinned.members.some((p) => p.name === m.name));
  const removed = pinned.members.filter((p) => !current.members.some((m) => m.name === p.name));
  const rekeyed: TrustDiff["rekeyed"] = [];
  const roles: TrustDiff["roles"] = [];
  const signing: TrustDiff["signing"] = [];
  for (const m of current.members) {
    const p = pinned.members.find((x) => x.name === m.name);
    if (!p) continue;
    if (p.recipient !== m.recipient) rekeyed.push({ name: m.name, from: p.recipient, to: m.recipient });
    if (!legacy.roles && [...p.roles].sort().join(",") !== [...m.roles].sort().join(",")) roles.push({ name: m.name, from: p.roles, to: m.roles });
    if (!legacy.signing && (p.signing_key ?? null) !== (m.signing_key ?? null)) signing.push({ name: m.name, from: p.signing_key ?? null, to: m.signing_key ?? null });
  }
  const settings = legacy.settings
    ? []
    : Object.keys({ ...pinned.settings, ...current.settings })
        .filter((k) => (pinned.settings[k] ?? null) !== (current.settings[k] ?? null))
        .map((key) => ({ key, from: pinned.settings[key] ?? null, to: current.settings[key] ?? null }));
  const templates: TrustDiff["templates"] = [];
  if (!legacy.templates) {
    for (const name of Object.keys({ ...pinned.templates, ...current.templates }).sort()) {
      const [a, b] = [pinned.templates[name], current.templates[name]];
      if (a !== b) templates.push({ name, change: a === undefined ? "added" : b === undefined ? "removed" : "changed" });
    }
  }
  const former = (current.former ?? [])
    .filter((f) => {
      const p = (pinned.former ?? []).find((x) => x.name === f.name);
      return !p || p.signing_key !== f.signing_key || p.removed_at !== f.removed_at;
    })
    .map((f) => ({ name: f.name, signing_key: f.signing_key ?? null, removed_at: f.removed_at }));
  return { added, removed, rekeyed, roles, signing, former, settings, templates, oversight: diffOversight(pinned.oversight ?? [], current.oversight ?? []) };
}

/** The oversight people added, removed or changed since the pin (a pin from before oversight pinned none). */
function diffOversight(pinned: NonNullable<Pinned["oversight"]>, current: NonNullable<Pinned["oversight"]>): TrustDiff["oversight"] {
  const out: TrustDiff["oversight"] = [];
  for (const p of current) {
    const was = pinned.find((x) => x.name === p.name);
    const same = was && was.recipient === p.recipient && was.role === p.role && (was.signing_key ?? null) === (p.signing_key ?? null) && was.added_at === p.added_at;
    if (same) continue;
    if (!was) {
      out.push({ name: p.name, change: "added", recipient: p.recipient, role: p.role });
      continue;
    }
    // What changed, spelled out: a changed added_at decides which escalations count (an earlier one revives older ones).
    const what = [
      ...(was.recipient !== p.recipient ? [`new key ${p.recipient} (was ${was.recipient})`] : []),
      ...(was.role !== p.role ? [`role ${p.role} (was ${was.role})`] : []),
      ...((was.signing_key ?? null) !== (p.signing_key ?? null) ? [`signing key ${p.signing_key ?? "none"} (was ${was.signing_key ?? "none"})`] : []),
      ...(was.added_at !== p.added_at ? [`added_at ${p.added_at} (was ${was.added_at}): escalations dated from then on count`] : []),
    ];
    out.push({ name: p.name, change: "changed", recipient: p.recipient, role: p.role, what });
  }
  for (const p of pinned) if (!current.some((x) => x.name === p.name)) out.push({ name: p.name, change: "removed", recipient: p.recipient, role: p.role });
  return out;
}

/** True when the diff holds no change. */
export function isEmptyDiff(d: TrustDiff): boolean {
  return d.added.length + d.removed.length + d.rekeyed.length + d.roles.length + d.signing.length + d.former.length + d.settings.length + d.templates.length + d.oversight.length === 0;
}

/** The current state against the user's pin. */
export async function trustState(path: string, current: Pinned): Promise<TrustState> {
  const text = await readStateFile(path);
  const pinned = await loadPin(path);
  if (!pinned || text === undefined) return { kind: "first-use" };
  const legacy = { settings: !/^settings:/m.test(text), templates: !/^templates:/m.test(text), roles: !/roles:/.test(text), signing: !/signing_key:|^head:/m.test(text) };
  const diff = diffPin(pinned, current, legacy);
  return isEmptyDiff(diff) ? { kind: "same", upgrade: legacy.settings || legacy.templates || legacy.roles || legacy.signing, head: pinned.head ?? null } : { kind: "changed", diff, pinned };
}

async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, path);
}

/** Records `current` as what this user confirmed (written atomically, mode 0600). */
export async function savePin(path: string, repositoryId: string, current: Pinned): Promise<void> {
  await writeAtomic(path, `# what you last confirmed for this repository (coc trust)\n${toYaml({ coc: 1, repository: repositoryId, ...current })}`);
}

const show = (v: string | number | null) => (v === null ? "(none)" : `"${v}"`);

/** One line per change, for showing to the user. */
export function describeDiff(diff: TrustDiff): string[] {
  return [
    ...diff.added.map((m) => `added: ${m.name} (${m.recipient})`),
    ...diff.removed.map((m) => `removed: ${m.name} (${m.recipient})`),
    ...diff.rekeyed.map((m) => `new key for ${m.name}: ${m.to} (was ${m.from})`),
    ...diff.roles.map((m) => `roles of ${m.name}: ${m.to.join(", ") || "none"} (was ${m.from.join(", ") || "none"})`),
    ...diff.signing.map((m) => `signing key of ${m.name}: ${m.to ?? "none"} (was ${m.from ?? "none"})`),
    ...diff.former.map((f) => `former member ${f.name}: records signed by ${f.signing_key ?? "no key"} before ${f.removed_at} count`),
    ...diff.settings.map((s) => `config.yaml ${s.key}: ${show(s.to)} (was ${show(s.from)})`),
    ...diff.templates.map((t) => `templates/${t.name}: ${t.change}`),
    ...diff.oversight.map((o) => `oversight.yaml ${o.name} (${o.role}): ${o.what?.length ? o.what.join("; ") : `${o.change}${o.change === "removed" ? "" : ` (${o.recipient})`}`}`),
  ];
}

/** True when the roster itself (or the oversight list: who a case can be escalated to), not only settings or templates, changed. */
export function rosterChanged(d: TrustDiff): boolean {
  return d.added.length + d.removed.length + d.rekeyed.length + d.roles.length + d.signing.length + d.former.length + d.oversight.length > 0;
}
