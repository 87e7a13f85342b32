/**
 * `coc announce <case>`: the public announcement of a case; what goes into it
 * is checked for the names, contacts and handles of every readable case's
 * reports before it is rendered.
 */
import { announcementData, announcementValues, consentOf, openCase, publicSettingValues, readableTerms, recordOverride, render, requireConsent } from "../../../core/index.js";
import { UsageError, UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { publish } from "../../output/publish.js";
import { templatesDir } from "../../paths.js";

export interface AnnounceOptions {
  code: string;
  out?: string | undefined;
  /** Terms accepted as ordinary words. */
  allow: string[];
  /** Announce although the reporter has not agreed to a public statement, for this reason (recorded as a signed note). */
  override?: string | undefined;
}

export async function run(o: AnnounceOptions, io: Io): Promise<void> {
  if (o.out !== undefined && o.out.trim() === "") throw new UsageError("--out needs a file name");
  if (o.override !== undefined && o.override.trim() === "") throw new UsageError('--override needs a reason: --override "<why the team must make a statement without the reporter\'s agreement>"');
  const repo = await openRepo(io, { publishing: true });
  // Every record must be readable: the check is only as good as the reports it knows.
  const files = await openCase(repo, o.code);
  if (files.notForYou.length > 0) {
    throw new UserError(`some records of case ${o.code} are not encrypted to you, so the names in them cannot be checked; ask a member who can read the whole case`);
  }
  const records = files.records.map((x) => x.record);
  const data = announcementData(o.code, records, repo.config);
  const consent = consentOf(files);
  requireConsent(o.code, consent, "public_statement", o.override);
  const overriding = o.override !== undefined && consent.public_statement !== "yes";
  await publish(io, {
    render: () => render("announcement.hbs", data, { dirs: [repo.paths.templates, templatesDir()], escape: false }),
    values: announcementValues(o.code, data),
    what: `announcement of case ${o.code}`,
    terms: await readableTerms(repo),
    allow: o.allow,
    out: o.out,
    repoRoot: repo.paths.root,
    publicSettings: publicSettingValues(data),
    fix: `(a new \`coc resolve ${o.code}\` replaces it)`,
    beforeOutput: overriding
      ? async () => {
          await recordOverride(repo, o.code, "public_statement", o.override!, consent, io.now());
          io.warn(`the reporter has not agreed to a public statement; the override and its reason are recorded as a signed note in case ${o.code}`);
        }
      : undefined,
  });
}
