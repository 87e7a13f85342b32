/** The two ways reading an age file fails (besides a bug), for ./age.ts and its callers. */

/** Thrown by `RecordDecrypter.decrypt` (./age.ts) when the file is not encrypted to the caller. */
export class NotARecipientError extends Error {
  override readonly name = "NotARecipientError";
  constructor() {
    super("not a recipient");
  }
}

/** Thrown when a file is not a well-formed age file, or fails authentication. */
export class CorruptFileError extends Error {
  override readonly name = "CorruptFileError";
}
