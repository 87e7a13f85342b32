/**
 * Publishing public text (announce, letter, transparency): the public-text
 * safety check runs on the values that go into the template first; only then
 * is the text rendered, and only then does anything reach stdout or the
 * `--out` file (written atomically: a temp file in the same directory, then a
 * rename, mode 0600, never inside the repository's work tree).
 */
import { resolve } from "node:path";
import { UserError } from "../errors.js";
import { escapeTerminal } from "./escape.js";
import { insideRepository, writeOutFile } from "./out-file.js";
import { checkPublicText, type GateInput } from "../../core/index.js";
import type { Io } from "../io.js";

export interface PublishOptions extends GateInput {
  /** Renders the text, once the check has passed. */
  render: () => Promise<string>;
  /** `--out`: a file instead of stdout. */
  out?: string | undefined;
  /** The repository's work tree: `--out` may not point inside it. */
  repoRoot: string;
  /** Runs once the check passed and the text is rendered, before anything is printed or written (an override's note). */
  beforeOutput?: (() => Promise<void>) | undefined;
  /** The text is JSON, exact data (JSON.stringify escapes its own control characters): not escaped. */
  exact?: boolean | undefined;
}

/**
 * Checks, renders and publishes the text.
 * @throws UserError listing every term found (case, term, what it is, the
 * field; for the local terminal only) before anything is rendered, printed or
 * written; for an `--out` inside the repository; or when it cannot be written.
 */
export async function publish(io: Io, opts: PublishOptions): Promise<void> {
  const target = opts.out === undefined ? undefined : resolve(io.ctx.cwd, opts.out);
  if (target !== undefined && insideRepository(opts.repoRoot, target)) {
    throw new UserError(
      `--out ${opts.out} is inside the repository: the commit guard only keeps plaintext out of cases/, so this file could be committed in plain text; write it outside the repository`,
    );
  }
  const { skipped } = checkPublicText(opts);
  for (const t of skipped) io.warn(`not checked: "${t.term}" (${t.what}, case ${t.case}) is too short to check safely; make sure the text does not name them`);
  const rendered = await opts.render();
  if (opts.beforeOutput) await opts.beforeOutput();
  // A value from a record (a reporter's name from an e-mail's From header, say) may hold bytes a
  // terminal obeys or that make the text read differently: they are shown as visible escapes, on
  // stdout and in the --out file alike (templates themselves hold no control character).
  const text = (opts.exact ? (x: string) => x : escapeTerminal)(rendered.endsWith("\n") ? rendered : `${rendered}\n`);
  if (target === undefined) {
    io.ctx.stdout.write(text);
    return;
  }
  await writeOutFile(target, opts.out!, text);
  io.info(`Wrote the ${opts.what} to ${opts.out}.`);
}
