/**
 * The one "--yes / ask / refuse" helper: --yes answers yes; in a terminal
 * the user is asked; otherwise it is a usage error naming --yes.
 */
import { CancelledError, UsageError } from "./errors.js";
import type { Io } from "./io.js";

/**
 * Asks `question` (prompt id `id`) unless --yes was given.
 * @param refusal what was not done, for the cancellation message.
 * @throws UsageError without a terminal and without --yes; CancelledError when the answer is no.
 */
export async function confirm(io: Io, opts: { id: string; question: string; command: string; refusal?: string }): Promise<void> {
  if (io.opts.yes) return;
  if (!io.canPrompt) throw new UsageError(`${opts.command}: --yes required when not running interactively`);
  const ok = await io.ctx.prompter.confirm({ id: opts.id, message: opts.question, default: false });
  if (!ok) throw new CancelledError(opts.refusal ?? "cancelled");
}

/**
 * Shows warnings and asks whether to go on anyway (see {@link confirm}).
 * @throws UsageError without a terminal and without --yes; CancelledError when the user says no.
 */
export async function confirmWarnings(io: Io, warnings: readonly string[], question: string): Promise<void> {
  if (warnings.length === 0) return;
  for (const w of warnings) io.warn(w);
  if (io.opts.yes) return;
  if (!io.canPrompt) throw new UsageError(`--yes required to go on despite the warning${warnings.length > 1 ? "s" : ""} above when not running interactively`);
  const ok = await io.ctx.prompter.confirm({ id: "confirm_warnings", message: question, default: false });
  if (!ok) throw new CancelledError();
}
