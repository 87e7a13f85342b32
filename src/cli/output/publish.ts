/**
 * Publishing public text (transparency; announce and letter can share it):
 * the public-text safety check runs on the final text first, and only then
 * does anything reach stdout or the `--out` file (written atomically: a temp
 * file in the same directory, then a rename).
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { checkPublicText, type GateInput } from "../../core/index.js";
import type { Io } from "../io.js";

export interface PublishOptions extends GateInput {
  /** `--out`: a file instead of stdout. */
  out?: string | undefined;
  /** A private text (a letter): the `--out` file is created with mode 0600. */
  private?: boolean;
}

/**
 * Checks and publishes `text`.
 * @throws UserError listing every term found (case, term, what it is; for the
 * local terminal only) before anything is printed or written; or when the
 * `--out` file cannot be written.
 */
export async function publish(io: Io, opts: PublishOptions): Promise<void> {
  checkPublicText(opts);
  if (opts.out === undefined) {
    io.ctx.stdout.write(opts.text);
    return;
  }
  const target = resolve(io.ctx.cwd, opts.out);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temp, opts.text, { flag: "wx", ...(opts.private ? { mode: 0o600 } : {}) });
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw new UserError(`cannot write ${opts.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.info(`Wrote the ${opts.what} to ${opts.out}.`);
}
