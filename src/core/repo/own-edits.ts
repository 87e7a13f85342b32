/**
 * Telling the user's own edits of settings and templates from changes that
 * arrived through a pull: only the latter need confirming (see ./trust.ts).
 */
import { createHash } from "node:crypto";
import type { Git } from "../git/client.js";
import { parseConfig, type Config, type Team } from "./config.js";
import type { RepoPaths } from "./layout.js";
import { currentPin, pinnedSettings, type Pinned } from "./trust.js";

/**
 * True when every difference from the pin is the user's own: made in this
 * work tree and not committed yet, or committed in this clone since the pin
 * and not on any remote-tracking ref (so it did not arrive in a pull).
 */
export async function ownEditsOnly(git: Git, team: Team, config: Config, paths: RepoPaths, pinned: Pinned): Promise<boolean> {
  if (await headMatches(git, team, config, paths, pinned)) return true;
  const since = pinned.head;
  if (!since) return false;
  const files = ["--", ".coc/config.yaml", "templates"];
  try {
    await git.raw(["merge-base", "--is-ancestor", since, "HEAD"]);
    const touching = (await git.raw(["rev-list", `${since}..HEAD`, ...files])).split("\n").filter(Boolean);
    const local = new Set((await git.raw(["rev-list", `${since}..HEAD`, "--not", "--remotes", ...files])).split("\n").filter(Boolean));
    return touching.every((c) => local.has(c));
  } catch {
    return false;
  }
}

/** True when what HEAD holds of the pinned settings and templates is what was pinned. */
async function headMatches(git: Git, team: Team, config: Config, paths: RepoPaths, pinned: Pinned): Promise<boolean> {
  const show = (rel: string) => git.raw(["show", `HEAD:${rel}`]).catch(() => undefined);
  const configText = await show(".coc/config.yaml");
  if (configText === undefined) return false;
  let head: Config;
  try {
    head = parseConfig(configText, "HEAD:.coc/config.yaml");
  } catch {
    return false;
  }
  const settings = pinnedSettings(head);
  if (Object.keys({ ...settings, ...pinned.settings }).some((k) => (settings[k] ?? null) !== (pinned.settings[k] ?? null))) return false;
  const current = await currentPin(team, config, paths.templates);
  for (const name of Object.keys({ ...current.templates, ...pinned.templates })) {
    if (current.templates[name] === pinned.templates[name]) continue;
    const text = await show(`templates/${name}`);
    const hash = text === undefined ? undefined : createHash("sha256").update(text).digest("hex");
    if (hash !== pinned.templates[name]) return false;
  }
  return true;
}

