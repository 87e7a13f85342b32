/**
 * Domain errors: what went wrong, in one short line, without any front-end
 * wording. A front end adds its own advice from `hint` (the CLI names a flag
 * or a command; a web page would show a button), see src/cli/errors.ts.
 */

/**
 * What a front end may suggest next. Each is a fact about the situation, not
 * an instruction: "identity" means no identity was found or given.
 */
export type Hint =
  | "identity" // no identity file: create one, or name one
  | "identity-exists" // refusing to overwrite an identity: write another file
  | "unknown-case" // see the list of cases
  | "unknown-member" // see the roster
  | "not-on-roster" // ask a member to add you
  | "roster-changed" // confirm the roster
  | "share-closed" // closed cases are shared only when asked
  | "not-a-repo" // point at a repository, or create one
  | "init-from" // --from needs last year's repository
  | "no-signing-key"; // the roster has no signing key for a member: a lead adds their member key

/** Something the user can fix: a bad file, a wrong key, an unknown case. */
export class UserError extends Error {
  override readonly name = "UserError";
  /** Extra lines (for example a list of problems) shown after the message. */
  readonly details: readonly string[];
  /** What a front end may suggest (see {@link Hint}). */
  readonly hint: Hint | undefined;
  /** Values the hint needs, e.g. the caller's recipient for "not-on-roster". */
  readonly hintData: Readonly<Record<string, string>>;
  constructor(message: string, details: readonly string[] = [], hint?: Hint, hintData: Record<string, string> = {}) {
    super(message);
    this.details = details;
    this.hint = hint;
    this.hintData = hintData;
  }
}

/** The user declined to go on (a confirmation answered no). */
export class CancelledError extends Error {
  override readonly name = "CancelledError";
  constructor(message = "cancelled") {
    super(message);
  }
}

/** Longest value quoted in an error message: a 10 MB value must not become a 10 MB line. */
const QUOTE_MAX = 80;

/** A value as it may appear in an error message: cut to a readable length. */
export function quote(value: string): string {
  return value.length > QUOTE_MAX ? `${value.slice(0, QUOTE_MAX)}… (${value.length} characters)` : value;
}
