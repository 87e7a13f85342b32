/** Where the package's own files are, relative to the built code. */
import { fileURLToPath } from "node:url";

/** The built-in templates directory (the package's templates/). */
export function templatesDir(): string {
  return fileURLToPath(new URL("../../templates/", import.meta.url));
}
