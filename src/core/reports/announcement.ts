/**
 * The public announcement of a case (DESIGN.md §5): what happened in general
 * terms, that it violated the policy, an apology, the action taken, where the
 * policy is and how to reach the team. Only the resolution's `public` fields
 * (written by the team for this purpose) and the public settings of
 * config.yaml reach it; the caller runs the public-text safety check
 * (./gate.ts) on `announcementValues` before rendering it.
 */
import { UserError } from "../errors.js";
import type { CocRecord, RecordOf } from "../records/schema.js";
import { sortRecords } from "../records/order.js";
import type { Config } from "../repo/config.js";
import { publicValues, type PublicValue } from "./gate.js";

/** The public settings every public text may show (config.yaml). Absent values are null, so strict templates can test them. */
export interface PublicSettings {
  event: { name: string; starts_on: string | null; ends_on: string | null };
  policy_url: string | null;
  contact: string | null;
}

/** The data of templates/announcement.hbs. */
export interface AnnouncementData extends PublicSettings {
  public: {
    /** What happened, in general terms, as a clause without a final full stop: "an attendee made sexual jokes in a public session". */
    thing: string;
    /** The action taken, as a clause: "the person was asked to leave the event". */
    action: string;
  };
}

function clean(s: string | undefined): string | null {
  const t = s?.trim();
  return t ? t : null;
}

/** A clause for the middle of a sentence: trimmed, without a final full stop. */
function clause(s: string | undefined): string | null {
  return clean(s?.trim().replace(/\.+$/, ""));
}

/** The settings of config.yaml that are public by definition. */
export function publicSettings(config: Config): PublicSettings {
  return {
    event: { name: config.event.name, starts_on: config.event.starts_on ?? null, ends_on: config.event.ends_on ?? null },
    policy_url: clean(config.policy_url),
    contact: clean(config.contact),
  };
}

/** The values of the public settings, for the check to leave alone (see `blankPublicSettings`). */
export function publicSettingValues(settings: PublicSettings): string[] {
  return [settings.event.name, settings.policy_url, settings.contact].filter((v): v is string => v !== null);
}

/** The resolution in force: the latest one (a new resolution corrects an earlier one). */
export function latestResolution(records: readonly CocRecord[]): RecordOf<"resolution"> | undefined {
  return sortRecords(records).filter((r): r is RecordOf<"resolution"> => r.type === "resolution").at(-1);
}

/**
 * The announcement's data from a case's records.
 * @throws UserError when the case has no resolution, its `public.statement`
 * is `none`, or `public.thing` or `public.action` is missing.
 */
export function announcementData(code: string, records: readonly CocRecord[], config: Config): AnnouncementData {
  const resolution = latestResolution(records);
  if (!resolution) throw new UserError(`case ${code} has no resolution yet; an announcement is written from the resolution's public fields (coc resolve ${code})`);
  const pub = resolution.body.public;
  if (pub.statement !== "announcement") {
    throw new UserError(`case ${code} has no public statement (its resolution says public.statement: none); record a resolution with public.statement: announcement to announce it`);
  }
  const thing = clause(pub.thing);
  const action = clause(pub.action);
  const missing = [!thing && "public.thing", !action && "public.action"].filter(Boolean);
  if (missing.length > 0 || !thing || !action) {
    throw new UserError(`the resolution of case ${code} has public.statement: announcement but no ${missing.join(" or ")}; record a new resolution with both (coc resolve ${code})`);
  }
  return { ...publicSettings(config), public: { thing, action } };
}

/** Paths of every public template's data that hold the team's public settings: exempt from the check (public by definition). */
export function isSettingPath(path: string): boolean {
  return /^(event(\.|$)|policy_url$|policy_href$|contact$)/.test(path);
}

/**
 * The values of the announcement's data the public-text check runs on, each
 * with the record field it comes from.
 */
export function announcementValues(code: string, data: AnnouncementData): PublicValue[] {
  return publicValues(data, (path) => `resolution.${path} of case ${code}`, isSettingPath);
}
