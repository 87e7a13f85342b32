/**
 * coc's commits of many files (a re-encryption rewrites every record of a
 * case, `team remove` every record of the repository) go through
 * `git fast-import`: one process reads the files coc checked, writes them
 * into one pack (no thousands of loose objects, no pathspec of thousands of
 * paths) and makes the commit on a scratch ref; the user's index then takes
 * the same files, and `update-ref` moves HEAD from the commit it was on to
 * the new one in one step. Like `git add` + `git commit -- <paths>`, the
 * commit is HEAD plus exactly coc's paths: whatever else the user staged is
 * neither committed nor unstaged.
 *
 * A few files are still committed with `git add` + `git commit` (fewer
 * processes), and so is anything this path does not handle the way git's own
 * commands would (see {@link readForPack}, and a configuration that signs
 * commits).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from "node:fs";
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";
import { isAgeBytes } from "./staged.js";

/** From this many paths on, a commit goes through fast-import (git's own `transfer.unpackLimit` is 100 too). */
export const PACK_THRESHOLD = 100;

/** Where the commit is made before HEAD moves to it (removed in the same ref transaction). */
const SCRATCH_REF = "refs/coc/commit";

/** One path of a commit: its bytes, or undefined when it is deleted. */
export interface CommitFile {
  rel: string;
  bytes: Buffer | undefined;
}

/** Runs git (no hook, coc's commit settings) in the repository; `input` is its standard input. */
export type Runner = (args: readonly string[], input?: Uint8Array | string) => Promise<string>;

function readWhole(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const n = readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return off === size ? buf : buf.subarray(0, off);
}

/**
 * Reads what a commit of `paths` takes: each path is a regular file (read
 * without following a link) or absent (deleted). Undefined when some path is
 * anything else, lies under a symlinked directory, is executable or has a
 * name fast-import would need quoted: the caller then commits with
 * `git add`, which has its own rules for those.
 * @throws UserError naming the files under cases/ that are not age files (the guard's check, on the bytes committed).
 */
export function readForPack(root: string, paths: readonly string[]): CommitFile[] | undefined {
  const dirs = new Map<string, boolean>();
  const realDir = (rel: string): boolean => {
    if (rel === "." || rel === "") return true;
    let ok = dirs.get(rel);
    if (ok === undefined) {
      let st;
      try {
        st = lstatSync(join(root, rel));
      } catch {
        st = undefined;
      }
      // A missing directory is fine (its files are deleted); a link or anything else is not.
      ok = (st === undefined || st.isDirectory()) && realDir(dirname(rel));
      dirs.set(rel, ok);
    }
    return ok;
  };
  const files: CommitFile[] = [];
  const bad: string[] = [];
  for (const rel of new Set(paths)) {
    if (/[\n\r\0"\\]/.test(rel) || rel.split("/").some((s) => s === "" || s === "." || s === "..") || !realDir(dirname(rel))) return undefined;
    let fd: number;
    try {
      fd = openSync(join(root, rel), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") return undefined;
      files.push({ rel, bytes: undefined });
      continue;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || (st.mode & 0o111) !== 0) return undefined;
      const bytes = readWhole(fd, st.size);
      if ((rel.startsWith("cases/")) && !isAgeBytes(bytes)) bad.push(rel);
      files.push({ rel, bytes });
    } finally {
      closeSync(fd);
    }
  }
  if (bad.length > 0) throw new UserError(`refusing to commit files under cases/ that are not age-encrypted: ${bad.sort().join(", ")}; nothing was committed`);
  return files;
}

/** Git's message clean-up for `commit -m` ("whitespace"): no trailing spaces, no leading, trailing or repeated blank lines. */
function cleanMessage(message: string): string {
  const lines = message.split("\n").map((l) => l.trimEnd());
  const out: string[] = [];
  for (const l of lines) if (l !== "" || (out.length > 0 && out.at(-1) !== "")) out.push(l);
  while (out.at(-1) === "") out.pop();
  return `${out.join("\n")}\n`;
}

/** The last `NAME=value` line of `git var -l` for `name` (config values come first and cannot end the listing). */
function gitVar(listing: string, name: string): string | undefined {
  const line = listing.split("\n").findLast((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1);
}

/** Whether git's configuration asks for signed commits (fast-import cannot sign; `git commit` does). */
function signsCommits(listing: string): boolean {
  const line = listing.split("\n").findLast((l) => l.toLowerCase() === "commit.gpgsign" || l.toLowerCase().startsWith("commit.gpgsign="));
  if (line === undefined) return false;
  const value = line.includes("=") ? line.slice(line.indexOf("=") + 1).trim().toLowerCase() : "true";
  return !["false", "no", "off", "0"].includes(value);
}

function fastImportStream(files: readonly CommitFile[], message: string, author: string, committer: string, parent: string): Buffer {
  const msg = Buffer.from(cleanMessage(message), "utf8");
  const parts: Buffer[] = [Buffer.from(`commit ${SCRATCH_REF}\nauthor ${author}\ncommitter ${committer}\ndata ${msg.length}\n`), msg, Buffer.from(`from ${parent}\n`)];
  for (const f of files) {
    if (f.bytes === undefined) parts.push(Buffer.from(`D ${f.rel}\n`, "utf8"));
    else parts.push(Buffer.from(`M 100644 inline ${f.rel}\ndata ${f.bytes.length}\n`, "utf8"), f.bytes, Buffer.from("\n"));
  }
  parts.push(Buffer.from("done\n"));
  return Buffer.concat(parts);
}

/**
 * Commits `files` on top of HEAD through fast-import, then brings the
 * user's index to the same content for those paths, then moves HEAD (only
 * if it still points at the commit the new one was made on).
 * @returns true when a commit was made, false when nothing changed, and
 * undefined when this path does not apply (no commit yet, or commits are to
 * be signed): nothing was done then.
 * @throws the git error; the index may then hold the new files (the caller's roll-back unstages them).
 */
export async function packCommit(run: Runner, withIndex: (fn: () => Promise<unknown>) => Promise<unknown>, files: readonly CommitFile[], message: string): Promise<boolean | undefined> {
  const listing = await run(["var", "-l"]);
  if (signsCommits(listing)) return undefined;
  const author = gitVar(listing, "GIT_AUTHOR_IDENT");
  const committer = gitVar(listing, "GIT_COMMITTER_IDENT");
  if (!author || !committer) return undefined;
  let head: string;
  let headTree: string;
  try {
    [head, headTree] = (await run(["rev-parse", "HEAD", "HEAD^{tree}"])).trim().split("\n") as [string, string];
  } catch {
    return undefined; // no commit yet: `git commit` makes the first one
  }
  // Stored, not deflated: age files do not compress, and a delta between two ciphertexts saves nothing.
  await run(["-c", "pack.compression=0", "fast-import", "--quiet", "--done", "--force", "--depth=0"], fastImportStream(files, message, author, committer, head));
  try {
    const [commit, tree] = (await run(["rev-parse", SCRATCH_REF, `${SCRATCH_REF}^{tree}`])).trim().split("\n") as [string, string];
    if (tree === headTree) {
      await run(["update-ref", "-d", SCRATCH_REF]);
      return false;
    }
    // The index first: if the commit then fails, the caller's roll-back unstages; the other way round a crash
    // could leave an index that, committed by hand, would undo this commit.
    const gone = files.filter((f) => f.bytes === undefined).map((f) => f.rel);
    const kept = files.filter((f) => f.bytes !== undefined).map((f) => `${f.rel}\0`).join("");
    await withIndex(async () => {
      if (gone.length > 0) await run(["rm", "-r", "-q", "--cached", "-f", "--ignore-unmatch", "--", ...gone]);
      if (kept !== "") await run(["update-index", "--add", "-z", "--stdin"], kept);
    });
    const subject = cleanMessage(message).split("\n")[0]!;
    await run(["update-ref", "-m", `commit: ${subject}`, "--stdin"], `update HEAD ${commit} ${head}\ndelete ${SCRATCH_REF}\n`);
    return true;
  } catch (e) {
    await run(["update-ref", "-d", SCRATCH_REF]).catch(() => undefined);
    throw e;
  }
}
