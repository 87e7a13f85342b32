/**
 * What a killed coc command can leave behind outside the journal: encrypted
 * temp files (staged before the journal was written) and empty case
 * directories (made for a record that was never committed). Git tracks
 * neither, so they are always local debris, never anyone's record.
 */
import { lstat, readdir, rm, rmdir } from "node:fs/promises";
import { join } from "node:path";
import type { RepoPaths } from "./layout.js";

/** A temp file coc writes: `.<name>.<8 hex>.tmp` in a case directory, `<name>.<8 hex>.tmp` in `.coc/`. */
const TEMP = /^\.?[^/]+\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes coc's leftover temp files and empty case directories. Call only
 * under the repository lock, after an interrupted change was settled (its
 * journal names its own temp files).
 */
export async function sweepDebris(paths: RepoPaths): Promise<void> {
  if (!(await lstat(paths.cases).then((s) => s.isDirectory(), () => false))) return;
  const entries = await readdir(paths.cases, { withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries
      .filter((e) => e.isDirectory() && !e.name.startsWith("."))
      .map(async (e) => {
        const dir = join(paths.cases, e.name);
        const names = await readdir(dir).catch(() => undefined);
        if (!names) return;
        const temps = names.filter((n) => n.startsWith(".") && TEMP.test(n));
        await Promise.all(temps.map((n) => rm(join(dir, n), { force: true })));
        if (names.length === temps.length) await rmdir(dir).catch(() => undefined);
      }),
  );
  const coc = await readdir(paths.cocDir).catch(() => [] as string[]);
  await Promise.all(coc.filter((n) => TEMP.test(n)).map((n) => rm(join(paths.cocDir, n), { force: true })));
}

/** Removes the case directories of `rels` (`cases/<code>/<file>`) that are empty now (a write that was undone). */
export async function removeEmptyCaseDirs(paths: RepoPaths, rels: readonly string[]): Promise<void> {
  // Never through a link: only inside a real cases/ directory, only real case directories.
  if (!(await lstat(paths.cases).then((s) => s.isDirectory(), () => false))) return;
  const dirs = new Set(rels.filter((r) => r.startsWith("cases/") && r.split("/").length === 3).map((r) => join(paths.root, r.split("/").slice(0, 2).join("/"))));
  await Promise.all([...dirs].map(async (d) => ((await lstat(d).then((s) => s.isDirectory(), () => false)) ? rmdir(d).catch(() => undefined) : undefined)));
}
