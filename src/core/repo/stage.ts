/**
 * Where a record may be written: only into real directories under `cases/`
 * and only over a regular file (DESIGN.md §7 "Files under cases/"), checked
 * before a temp file is written and again before it is moved into place.
 */
import { lstatSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { caseDir, type RepoPaths } from "./layout.js";
import { describeKind } from "./read.js";


type DirState = { kind: "directory" } | { kind: "missing" } | { kind: "other"; what: string };

/**
 * What stands at `abs`, by `lstat` (a symlink is reported as one, never
 * followed). Without the thread pool: reading a thousand case directories
 * is a few thousand tiny system calls, faster done in line.
 */
export function dirStateSync(abs: string): DirState {
  try {
    const st = lstatSync(abs);
    return st.isDirectory() ? { kind: "directory" } : { kind: "other", what: describeKind(st) };
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    if (errno === "ENOENT") return { kind: "missing" };
    return { kind: "other", what: `unreadable (${errno ?? (e as Error).message})` };
  }
}

/**
 * Checks that a record can be written at `rel` (`cases/<code>/<id>.age`)
 * without going through or over a link: `cases/` and the case directory are
 * real directories (by `lstat`; with `create`, made when missing), and the
 * file is absent or a regular file. Called before a temp file is written and
 * again before it is renamed into place. With `checked` (one set for one
 * pass over many files), a directory found real is not asked again in that pass.
 * @returns true when a regular file stands at `rel` now.
 * @throws UserError naming the path, when anything else stands there.
 */
export async function checkRecordDestination(paths: RepoPaths, rel: string, opts: { create?: boolean; checked?: Set<string> } = {}): Promise<boolean> {
  // In line (sync): a re-encryption checks thousands of paths, and each trip through the thread pool costs more than the check.
  const [top, code, name, ...rest] = rel.split("/");
  if (top !== "cases" || !code || !name || rest.length > 0) throw new Error(`not a record path: ${rel}`);
  for (const [abs, shown] of [
    [paths.cases, "cases"],
    [caseDir(paths, code), `cases/${code}`],
  ] as const) {
    if (opts.checked?.has(abs)) continue;
    let state = dirStateSync(abs);
    if (state.kind === "missing" && opts.create) {
      // Not recursive: each level is created (or found) and checked in turn.
      try {
        mkdirSync(abs);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      state = dirStateSync(abs);
    }
    if (state.kind === "missing") throw new UserError(`${shown} is missing; nothing was written`);
    if (state.kind === "other") throw new UserError(`${shown}: ${state.what}; coc writes records only into real directories (nothing was written)`);
    opts.checked?.add(abs);
  }
  let st;
  try {
    st = lstatSync(join(paths.root, rel));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (st && !st.isFile()) throw new UserError(`${rel}: ${describeKind(st)}; coc writes only over regular files (nothing was written)`);
  return st !== undefined;
}
