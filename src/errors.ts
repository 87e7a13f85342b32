/**
 * The few kinds of failure coc knows about. Everything is handled in one place
 * (src/main.ts): a UserError is one line and exit 1, a UsageError is one line,
 * a pointer to --help and exit 2, a CancelledError is exit 130; anything else is
 * an internal bug and gets a message asking to re-run with COC_DEBUG=1.
 */

/** Something the user can fix: a bad file, a wrong key, an unknown case. Exit 1. */
export class UserError extends Error {
  override readonly name = "UserError";
  /** Extra lines (for example a list of problems) printed after the message. */
  readonly details: readonly string[];
  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}

/** The command line itself is wrong (missing flag, unknown option). Exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The user pressed Ctrl+C or declined to continue. Exit 130. */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
  constructor(message = "cancelled") {
    super(message);
  }
}

/** Exit codes, as documented in the README and `coc --help`. */
export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  cancelled: 130,
} as const;
