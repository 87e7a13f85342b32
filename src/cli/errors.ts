/**
 * Errors as the CLI shows them: every failure ends in `main` and goes through
 * `describe` here, once. A domain error (src/core/errors.ts) gets its advice
 * in CLI words from its hint; a UsageError points to --help (exit 2); a
 * cancellation exits 130; anything else is a bug and says how to see more.
 */
import { CancelledError, UserError, type Hint } from "../core/index.js";
import { escapeTerminal, escapeTerminalLine as line } from "./output/escape.js";

export { UserError, CancelledError };

import { UsageError } from "./usage-error.js";
export { UsageError };

import { ExitCode } from "./exit-codes.js";

/** The CLI's advice for each domain hint, appended to the message. */
const HINTS: Record<Hint, (d: Readonly<Record<string, string>>) => string> = {
  identity: () => "create one with `coc keygen` or pass --identity <file> (or set COC_IDENTITY)",
  "identity-exists": () => "use --out <file> for another one",
  "unknown-case": () => "see `coc list`",
  "unknown-member": () => "see `coc team list`",
  "not-on-roster": (d) =>
    d["overseer"]
      ? `you are ${d["overseer"]} on the oversight list, not a team member: oversight people read what is escalated to them and do not write records; ask a team member to record your input (coc note)`
      : `ask a member to run \`coc team add <name> ${d["key"] ?? "<your member key>"}\``,
  "roster-changed": () => "Check it with your team, then run `coc team trust`",
  "share-closed": () => "add --closed",
  "not-a-repo": (d) => (d["explicit"] ? "create one with `coc init`" : "use --repo <dir> or create one with `coc init`"),
  "init-from": () => "--from needs last year's repository",
  "no-signing-key": (d) => `ask a lead to run: coc team add ${d["name"] ?? "<name>"} ${d["key"] ?? "<your member key (coc whoami)>"}`,
};

/** How a hint joins its message: "(see `coc list`)" after a clause, "; ..." after a sentence. */
const PARENTHESISED: ReadonlySet<Hint> = new Set(["unknown-case", "unknown-member", "share-closed", "identity-exists"]);

/** The one line shown for a domain error: its message with the CLI's advice. */
export function userMessage(e: UserError): string {
  if (!e.hint) return e.message;
  const advice = HINTS[e.hint](e.hintData);
  if (PARENTHESISED.has(e.hint)) return `${e.message} (${advice})`;
  if (e.hint === "roster-changed") return `${e.message}. ${advice}`;
  return `${e.message}; ${advice}`;
}

function isExitPrompt(e: unknown): boolean {
  const name = (e as Error | undefined)?.name;
  return name === "ExitPromptError" || name === "AbortPromptError";
}

/**
 * What to print (stderr lines) and the exit code for a failure. Messages can
 * quote file content and values from the repository, so every line is
 * escaped for the terminal and cannot break in two.
 */
export function describe(e: unknown, debug: boolean): { lines: string[]; code: number } {
  const { lines, code } = describeRaw(e, debug);
  const stack = debug ? (e as Error | undefined)?.stack : undefined;
  // A stack trace (COC_DEBUG=1) keeps its line breaks; every other line is one line, of a readable length
  // (a 10 MB value quoted in a message must not become a 10 MB line).
  return { lines: lines.map((l) => (l === stack ? escapeTerminal(l) : cut(line(l)))), code };
}

/** Longest error line shown. */
const LINE_MAX = 1000;

function cut(text: string): string {
  return text.length <= LINE_MAX ? text : `${text.slice(0, LINE_MAX)}… (${text.length - LINE_MAX} more characters cut)`;
}

function describeRaw(e: unknown, debug: boolean): { lines: string[]; code: number } {
  if (e instanceof UsageError) return { lines: [`coc: ${e.message}`, "(run with --help for usage)"], code: ExitCode.usage };
  if (e instanceof CancelledError || isExitPrompt(e)) {
    // A CancelledError says what happened itself; Ctrl+C in a prompt means nothing was written.
    const message = e instanceof CancelledError && e.message !== "cancelled" ? e.message : "cancelled; nothing was written";
    return { lines: [`coc: ${message}`], code: ExitCode.cancelled };
  }
  if (e instanceof UserError) {
    const lines = [`coc: ${userMessage(e)}`, ...e.details.map((d) => `  ${d}`)];
    if (debug && e.stack) lines.push(e.stack);
    return { lines, code: ExitCode.error };
  }
  const err = e as Error;
  const lines = [`coc: ${knownFailure(err) ?? `internal error: ${err?.message ?? String(e)}`}`];
  if (knownFailure(err)) return { lines, code: ExitCode.error };
  if (debug && err?.stack) lines.push(err.stack);
  else lines.push("This is a bug in coc; re-run with COC_DEBUG=1 to see the details.");
  return { lines, code: ExitCode.error };
}

/** Failures of the machine rather than of coc (a full disk, a read-only file system): one line, no "bug". */
function knownFailure(e: Error | undefined): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const where = (e as NodeJS.ErrnoException | undefined)?.path;
  const at = where ? ` (${where})` : "";
  switch (code) {
    case "ENOSPC":
      return `the disk is full${at}; nothing was committed. Free some space and run the command again`;
    case "EDQUOT":
      return `the disk quota is exceeded${at}; nothing was committed`;
    case "EROFS":
      return `the file system is read-only${at}`;
    case "EACCES":
    case "EPERM":
      return `permission denied${at}`;
    case "EMFILE":
    case "ENFILE":
      return "too many open files; close some programs and run the command again";
    default:
      return undefined;
  }
}
