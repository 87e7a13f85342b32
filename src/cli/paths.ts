/** Where the package's own files are, relative to the built code. */
import { fileURLToPath } from "node:url";

/** The built-in templates directory (the package's templates/). */
export function templatesDir(): string {
  return fileURLToPath(new URL("../../templates/", import.meta.url));
}

/** The reporting form's template and style (the package's data/form/). */
export function formDataDir(): string {
  return fileURLToPath(new URL("../../data/form/", import.meta.url));
}

/** The reporting form's browser script, built by `npm run build` (scripts/build-form.mjs). */
export function formScriptPath(): string {
  return fileURLToPath(new URL("../../dist/form/page.js", import.meta.url));
}
