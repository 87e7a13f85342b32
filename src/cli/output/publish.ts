/**
 * Publishing public text (announce, letter, transparency): the public-text
 * safety check runs on the values that go into the template first; only then
 * is the text rendered, and only then does anything reach stdout or the
 * `--out` file (written atomically: a temp file in the same directory, then a
 * rename, mode 0600, never inside the repository's work tree).
 */
import { randomBytes } from "node:crypto";
import { realpathSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, isAbsolute } from "node:path";
import { UserError } from "../errors.js";
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
}

/** `p` with its existing ancestors' symlinks resolved (the file itself need not exist). */
function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    return parent === p ? p : join(real(parent), basename(p));
  }
}

function inside(root: string, target: string): boolean {
  const rel = relative(real(root), real(target));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Checks, renders and publishes the text.
 * @throws UserError listing every term found (case, term, what it is, the
 * field; for the local terminal only) before anything is rendered, printed or
 * written; for an `--out` inside the repository; or when it cannot be written.
 */
export async function publish(io: Io, opts: PublishOptions): Promise<void> {
  const target = opts.out === undefined ? undefined : resolve(io.ctx.cwd, opts.out);
  if (target !== undefined && inside(opts.repoRoot, target)) {
    throw new UserError(
      `--out ${opts.out} is inside the repository: the commit guard only keeps plaintext out of cases/, so this file could be committed in plain text; write it outside the repository`,
    );
  }
  const { skipped } = checkPublicText(opts);
  for (const t of skipped) io.warn(`not checked: "${t.term}" (${t.what}, case ${t.case}) is too short to check safely; make sure the text does not name them`);
  const rendered = await opts.render();
  if (opts.beforeOutput) await opts.beforeOutput();
  const text = rendered.endsWith("\n") ? rendered : `${rendered}\n`;
  if (target === undefined) {
    io.ctx.stdout.write(text);
    return;
  }
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, text, { flag: "wx", mode: 0o600 });
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw new UserError(`cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.info(`Wrote the ${opts.what} to ${opts.out}.`);
}
