/**
 * The settings of config.yaml as this user confirmed them (README "Trust
 * (pins)"): while a change of a pinned setting that arrived from elsewhere
 * waits for `coc trust`, the setting keeps its pinned value, so a command that
 * only reads (and so opened the repository without confirming) never acts on
 * it: `coc list` warns about expired cases under the confirmed retention
 * period, or says nothing when none was confirmed.
 */
import { UserError } from "../errors.js";
import type { Config } from "./config.js";
import { ownEditsOnly } from "./own-edits.js";
import type { Repo } from "./repo.js";
import { rosterChanged, type TrustDiff } from "./trust.js";

/**
 * The config with the settings this user confirmed: a pinned setting changed
 * elsewhere and not confirmed yet keeps its pinned value (the user's own
 * edits count as confirmed, as in `Repo.ensureTrusted`).
 */
export async function confirmedConfig(repo: Repo): Promise<Config> {
  // Someone not on the roster (a removed member, an oversight person) has no pin here: the settings as
  // found, as for anyone before their first pin (and as `Repo.trustedMembers` does for the roster).
  const state = await repo.trustState().catch((e: unknown) => {
    if (e instanceof UserError && e.hint === "not-on-roster") return undefined;
    throw e;
  });
  if (state === undefined) return repo.config;
  if (state.kind !== "changed" || state.diff.settings.length === 0) return repo.config;
  if (!rosterChanged(state.diff) && (await ownEditsOnly(repo.git, repo.team, repo.config, repo.paths, state.pinned))) return repo.config;
  return withPinnedSettings(repo.config, state.diff.settings);
}

/** `config` with each changed pinned setting put back to what was pinned (`from`). */
export function withPinnedSettings(config: Config, changes: TrustDiff["settings"]): Config {
  const pinned = new Map(changes.map((c) => [c.key, c.from]));
  /** The pinned value of `key` as text when it changed, else the current one. */
  const text = (key: string, now: string | undefined): string | undefined => {
    if (!pinned.has(key)) return now;
    const v = pinned.get(key);
    return v === null || v === undefined ? undefined : String(v);
  };
  const days = pinned.has("retention.delete_after_days") ? pinned.get("retention.delete_after_days") : config.retention.delete_after_days;
  const n = days === null || days === undefined ? Number.NaN : Number(days);
  return {
    ...config,
    contact: text("contact", config.contact),
    policy_url: text("policy_url", config.policy_url),
    appeal_instructions: text("appeal_instructions", config.appeal_instructions),
    event: {
      name: text("event.name", config.event.name) ?? config.event.name,
      starts_on: text("event.starts_on", config.event.starts_on),
      ends_on: text("event.ends_on", config.event.ends_on),
    },
    // A pinned value that is not a positive whole number keeps no case from being kept: no period.
    retention: { ...config.retention, delete_after_days: Number.isInteger(n) && n > 0 ? n : null },
  };
}
