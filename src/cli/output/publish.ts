/**
 * Publishing public text (transparency; announce and letter can share it):
 * the public-text safety check runs on the final text first, and only then
 * does anything reach stdout or the `--out` file (written atomically: a temp
 * file in the same directory, then a rename).
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../../errors.js";
import { blankPublicSettings, findSensitive, type SensitiveTerm } from "../../core/reports/safety.js";
import type { Session } from "../session.js";

export interface PublishOptions {
  /** The text exactly as it would be published. */
  text: string;
  /** What it is, for messages: "transparency report". */
  what: string;
  /** Names, contacts and handles from the cases' reports. */
  terms: readonly SensitiveTerm[];
  /** `--allow` terms: ordinary words the team accepts (recorded nowhere). */
  allow: readonly string[];
  /** `--out`: a file instead of stdout. */
  out?: string | undefined;
  /** What to change when a term is found, e.g. "reword the resolution's transparency fields (coc resolve <case>)". */
  fix: string;
  /** The team's public settings in the text (contact, policy URL, event name): not checked, they are public by definition. */
  publicSettings?: readonly (string | null | undefined)[];
  /** A private text (a letter): the `--out` file is created with mode 0600. */
  private?: boolean;
}

/**
 * Checks and publishes `text`.
 * @throws UserError listing every term found (case, term, what it is; for the
 * local terminal only) before anything is printed or written; or when the
 * `--out` file cannot be written.
 */
export async function publish(s: Session, opts: PublishOptions): Promise<void> {
  const hits = findSensitive(blankPublicSettings(opts.text, opts.publicSettings ?? []), opts.terms, opts.allow);
  if (hits.length > 0) {
    const lines = hits.map((h) => `${h.case}: "${h.term}" (${h.what})${h.count > 1 ? ` ×${h.count}` : ""}`);
    throw new UserError(`the ${opts.what} contains names, contacts or handles from the reports; nothing was printed or written:`, [
      ...lines,
      `To publish it, ${opts.fix}; or, when a term is an ordinary word here, pass --allow <term> (repeatable).`,
    ]);
  }
  if (opts.out === undefined) {
    s.ctx.stdout.write(opts.text);
    return;
  }
  const target = resolve(s.ctx.cwd, opts.out);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, opts.text, { flag: "wx", ...(opts.private ? { mode: 0o600 } : {}) });
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw new UserError(`cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  s.info(`Wrote the ${opts.what} to ${opts.out}.`);
}
