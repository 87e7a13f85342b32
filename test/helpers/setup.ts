/**
 * Loaded before every test file (vitest setupFiles): a scripted prompter that
 * was asked something its test did not script fails that test, even when the
 * test never looks at coc's exit code or output.
 */
import { afterAll, afterEach } from "vitest";
import { takeScriptMismatches } from "./prompter.js";

function failOnMismatches(): void {
  const found = takeScriptMismatches();
  if (found.length > 0) throw new Error(`the scripted prompter did not fit what coc asked:\n  ${found.join("\n  ")}`);
}

afterEach(failOnMismatches);
// Questions asked in a beforeAll/afterAll hook.
afterAll(failOnMismatches);
