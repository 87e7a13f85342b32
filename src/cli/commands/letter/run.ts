/**
 * `coc letter <case> --to reporter|reported`: a letter from the decision in
 * force, checked for everyone from the reports it must not name before it is
 * printed.
 */
import { buildLetter, letterValues, openCase, publicSettingValues, readableTerms, render, type LetterRecipient } from "../../../core/index.js";
import { UsageError, UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { publish } from "../../output/publish.js";
import { templatesDir } from "../../paths.js";

export interface LetterOptions {
  code: string;
  to: LetterRecipient;
  out?: string | undefined;
  /** Terms accepted as ordinary words. */
  allow: string[];
}

export async function run(o: LetterOptions, io: Io): Promise<void> {
  if (o.out !== undefined && o.out.trim() === "") throw new UsageError("--out needs a file name");
  const repo = await openRepo(io, { publishing: true });
  // Every record must be readable: the check is only as good as the reports it knows.
  const files = await openCase(repo, o.code);
  if (files.notForYou.length > 0) {
    throw new UserError(`some records of case ${o.code} are not encrypted to you, so the names in them cannot be checked; ask a member who can read the whole case`);
  }
  const letter = buildLetter(o.code, files.records.map((x) => x.record), repo.config, o.to);
  const whom = o.to === "reporter" ? "the reporter" : "the reported person";
  await publish(io, {
    render: () => render(letter.template, letter.data, { dirs: [repo.paths.templates, templatesDir()], escape: false }),
    values: letterValues(o.code, letter.data),
    what: `letter to ${whom} of case ${o.code}`,
    // The letter's own case, then every other readable case: its addressee may be named, nobody else.
    terms: [...letter.terms, ...(await readableTerms(repo, letter.except))],
    allow: o.allow,
    out: o.out,
    repoRoot: repo.paths.root,
    publicSettings: publicSettingValues(letter.data),
    fix: `(a new \`coc decide ${o.code}\` replaces it)`,
  });
}
