/**
 * Runs once per `vitest run`, before any worker starts: makes the run's
 * template cache (see `fromTemplate` in env.ts), shared by every worker and
 * removed when the run ends.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's template cache directory. */
    cocTestCache: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "coc-test-cache-"));
  project.provide("cocTestCache", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
