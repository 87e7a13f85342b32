/**
 * The journal of a change (`.git/coc/journal.json`, see ./transaction.ts):
 * what a killed command was doing, so the next one can finish or undo it.
 *
 * coc writes it (flushed, then renamed into place), but it is acted on
 * (files removed, moved back, restored from HEAD), so it is read like any
 * other file coc does not fully control: only a regular file of bounded
 * size, never through a link, and only with the shape coc writes, every
 * path in it inside this clone (the work tree, or the directory it sits in
 * for what a change moved aside). One that is anything else is never acted
 * on: a change stops with an error naming it.
 */
import { isAbsolute, normalize, relative, sep } from "node:path";
import { readRecordFile } from "./read.js";

export interface Journal {
  coc: 1;
  message: string;
  /** HEAD before the change (null in a repository without commits). */
  head: string | null;
  /** [temp, final] absolute paths, in order. */
  moves: [string, string][];
  /** [original, aside] absolute paths of what the change deletes (moved aside, removed once committed). */
  removals?: [string, string][];
  /** Repository-relative paths that the change writes or deletes. */
  paths: string[];
  /** Of those, the ones that existed before (restored from HEAD on roll-back); the others are removed. */
  existing: string[];
  /** The process doing the change. */
  pid: number;
  /** That process's start token (see ProcessOwner.token), so a reused pid is not taken for it. */
  token?: string | undefined;
}

/** A journal of a large re-encryption names every record twice or three times: a few MB for 5,000 records. */
const MAX_JOURNAL_BYTES = 64 * 1024 * 1024;

/** True when `p` is an absolute path strictly inside `dir`. */
function inside(p: unknown, dir: string): boolean {
  if (typeof p !== "string" || !isAbsolute(p) || normalize(p) !== p) return false;
  const rel = relative(dir, p);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
}

/** True when `p` is a repository-relative path that stays in the work tree. */
function relativeInside(p: unknown): boolean {
  return typeof p === "string" && p !== "" && !isAbsolute(p) && !p.split(/[\\/]/).some((part) => part === ".." || part === "." || part === "" || part === ".git");
}

function pairs(x: unknown, first: (p: unknown) => boolean, second: (p: unknown) => boolean): boolean {
  return Array.isArray(x) && x.every((pair) => Array.isArray(pair) && pair.length === 2 && first(pair[0]) && second(pair[1]));
}

/** Why `j` is not a journal coc wrote for the work tree `root` and `.git/coc` directory `dir`, or undefined when it is one. */
function shapeProblem(j: unknown, root: string, dir: string): string | undefined {
  if (typeof j !== "object" || j === null || Array.isArray(j)) return "not a JSON object";
  const o = j as Record<string, unknown>;
  if (o["coc"] !== 1 || typeof o["message"] !== "string" || (o["head"] !== null && typeof o["head"] !== "string")) return "not the shape coc writes";
  if (!Number.isSafeInteger(o["pid"]) || (o["token"] !== undefined && typeof o["token"] !== "string")) return "not the shape coc writes";
  const inRoot = (p: unknown) => inside(p, root);
  if (!pairs(o["moves"], inRoot, inRoot) || (o["removals"] !== undefined && !pairs(o["removals"], inRoot, (p) => inside(p, dir)))) return "it names a file outside this clone";
  for (const key of ["paths", "existing"]) {
    const list = o[key];
    if (!Array.isArray(list) || !list.every(relativeInside)) return "it names a file outside this clone";
  }
  return undefined;
}

/**
 * The journal at `path`: undefined when there is none, or a one-line reason
 * it is not one coc wrote for this clone (then nothing in it is acted on).
 */
export function readJournal(path: string, root: string, dir: string): Journal | undefined | { problem: string } {
  const read = readRecordFile(path, MAX_JOURNAL_BYTES, "a journal; not read");
  if ("problem" in read) return read.gone ? undefined : { problem: read.problem };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes));
  } catch {
    return { problem: "not JSON" };
  }
  const problem = shapeProblem(parsed, root, dir);
  return problem === undefined ? (parsed as Journal) : { problem };
}
