/** The command line itself is wrong (missing flag, unknown option). Exit 2. Its own module, so that flag definitions can throw it without loading core. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
