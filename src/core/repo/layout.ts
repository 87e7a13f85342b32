/**
 * The shape of an incident repository (DESIGN.md §2) and how to find one.
 */
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { assertCaseCode } from "./codes.js";

/** Paths inside one incident repository. */
export interface RepoPaths {
  readonly root: string;
  readonly cocDir: string;
  readonly config: string;
  readonly team: string;
  /** `.coc/oversight.yaml`: people outside the team (./oversight.ts). */
  readonly oversight: string;
  readonly cases: string;
  readonly templates: string;
  readonly gitattributes: string;
  readonly readme: string;
}

export function repoPaths(root: string): RepoPaths {
  const cocDir = join(root, ".coc");
  return {
    root,
    cocDir,
    config: join(cocDir, "config.yaml"),
    team: join(cocDir, "team.yaml"),
    oversight: join(cocDir, "oversight.yaml"),
    cases: join(root, "cases"),
    templates: join(root, "templates"),
    gitattributes: join(root, ".gitattributes"),
    readme: join(root, "README.md"),
  };
}

/** The directory of one case; the code is validated first so it can never escape `cases/`. */
export function caseDir(paths: RepoPaths, code: string): string {
  return join(paths.cases, assertCaseCode(code));
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** True when `dir` holds a coc repository (a `.coc/config.yaml`). */
export async function isCocRepo(dir: string): Promise<boolean> {
  return isFile(repoPaths(dir).config);
}

/**
 * Finds the repository: `explicit` when given (it must be one), otherwise the
 * nearest ancestor of `cwd` holding `.coc/config.yaml`.
 * @throws UserError when there is none.
 */
export async function findRepo(cwd: string, explicit?: string): Promise<RepoPaths> {
  if (explicit) {
    const root = resolve(cwd, explicit);
    if (!(await isCocRepo(root))) throw new UserError(`${root} is not a coc repository (no .coc/config.yaml)`, [], "not-a-repo", { explicit: "1" });
    return repoPaths(root);
  }
  let dir = resolve(cwd);
  for (;;) {
    if (await isCocRepo(dir)) return repoPaths(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new UserError(`not inside a coc repository (no .coc/config.yaml in ${resolve(cwd)} or its parents)`, [], "not-a-repo");
}
