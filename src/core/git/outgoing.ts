/**
 * Folding a re-encryption into the commits a clone has not pushed yet, for
 * `coc sync` (DESIGN.md §1.8, §7 "Sync"). A clone that wrote a record before
 * it pulled a recusal holds that record's first version, encrypted to the
 * recused member, in its own commit; sync re-encrypts it in a new commit on
 * top, but pushing both would hand the first version to the remote, where the
 * recused member can take it out of the history. So, before pushing, every
 * commit not on the remote yet is written again with the re-encrypted
 * version in place of any other version of that file the remote's history
 * does not hold: same author, committer, dates and message (a signature on such a
 * commit is dropped: its content changed), same shape (merges stay merges).
 * The re-encryption commit is then left out when it no longer changes
 * anything. The tree of HEAD is the same before and after, so the work tree
 * and the index stay as they are; HEAD moves in one compare-and-swap.
 */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { gitError, type Git } from "./client.js";

/** A file under cases/ in a tree listing: its mode and blob. */
interface Entry {
  mode: string;
  blob: string;
}

/**
 * `git ls-tree -r -z` of `rev` under cases/, by path. Paths are kept as
 * Latin-1 strings, one character per byte, so that a name that is not UTF-8
 * (a file added by hand) is written back as it was.
 */
async function casesTree(git: Git, rev: string): Promise<Map<string, Entry>> {
  const out = (await git.plumbing(["ls-tree", "-r", "-z", "--full-tree", rev, "--", "cases"])).toString("latin1");
  const entries = new Map<string, Entry>();
  for (const line of out.split("\0")) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, blob] = line.slice(0, tab).split(" ");
    if (type === "blob" && mode && blob) entries.set(line.slice(tab + 1), { mode, blob });
  }
  return entries;
}

/** The changes `git log --raw -z -m <args>` lists under cases/: path (Latin-1, as {@link casesTree}), old and new blob. */
async function rawChanges(git: Git, args: readonly string[]): Promise<{ path: string; src: string; dst: string }[]> {
  const out = (await git.plumbing(["log", "--format=", "--raw", "-z", "--no-abbrev", "--no-renames", "--full-history", "-m", ...args])).toString("latin1");
  const changes: { path: string; src: string; dst: string }[] = [];
  const fields = out.split("\0");
  for (let i = 0; i + 1 < fields.length; i++) {
    const meta = fields[i]!.replace(/^\n+/, "");
    if (!meta.startsWith(":")) continue;
    const [, , src, dst] = meta.slice(1).split(" ");
    changes.push({ path: fields[++i]!, src: src ?? "", dst: dst ?? "" });
  }
  return changes;
}

/** Every blob any commit of `rev`'s history held at one of `paths` (what the remote has of them). */
async function blobsInHistory(git: Git, rev: string, paths: readonly string[]): Promise<Set<string>> {
  const wanted = new Set(paths);
  // Named on the command line (literally) when they are plain ASCII, a handful in practice; else all of cases/, filtered here.
  const ascii = paths.length <= 500 && paths.every((p) => /^[\x20-\x7e]*$/.test(p));
  const changes = await rawChanges(git, ascii ? [rev, "--", ...paths.map((p) => `:(literal)${p}`)] : [rev, "--", "cases"]);
  const blobs = new Set<string>();
  for (const { path, src, dst } of changes) if (wanted.has(path)) for (const id of [src, dst]) if (id && !/^0+$/.test(id)) blobs.add(id);
  return blobs;
}

/** The commit object `raw` (its bytes, as Latin-1 so that every byte stays) with another tree and other parents, and no signature. */
function withTreeAndParents(raw: string, tree: string, parents: readonly string[]): string {
  const end = raw.indexOf("\n\n");
  const header = end < 0 ? raw : raw.slice(0, end);
  const out: string[] = [];
  let signature = false;
  for (const line of header.split("\n")) {
    if (line.startsWith(" ")) {
      if (!signature) out.push(line);
      continue;
    }
    signature = line.startsWith("gpgsig ") || line.startsWith("gpgsig-sha256 ");
    if (signature || line.startsWith("parent ")) continue;
    if (line.startsWith("tree ")) out.push(`tree ${tree}`, ...parents.map((p) => `parent ${p}`));
    else out.push(line);
  }
  return out.join("\n") + (end < 0 ? "" : raw.slice(end));
}

/**
 * The files under cases/ that HEAD holds in another version than one some
 * commit of `base..HEAD` (all of HEAD when `base` is null) wrote: path -> HEAD's entry.
 */
async function replacedSince(git: Git, base: string | null, head: Map<string, Entry>): Promise<Map<string, Entry>> {
  const replaced = new Map<string, Entry>();
  for (const { path, dst } of await rawChanges(git, ["HEAD", ...(base ? ["--not", base] : []), "--", "cases"])) {
    const now = head.get(path);
    if (dst && now && !/^0+$/.test(dst) && dst !== now.blob) replaced.set(path, now);
  }
  return replaced;
}

/**
 * Rewrites the commits of `base..HEAD` (all of HEAD when `base` is null) so
 * that none holds a version of a file under cases/ other than HEAD's, unless
 * `base`'s history holds that version too (the remote has it already): a
 * re-encryption made by this sync, by an earlier one that did not push, or by
 * `coc recuse` / `coc team remove`. A commit other than a merge that no longer
 * changes anything is left out. HEAD's tree stays as it is.
 * @returns how many commits were written again (0: HEAD did not move).
 * @throws UserError when git fails; HEAD is then where it was.
 */
export async function foldIntoOutgoing(git: Git, base: string | null): Promise<number> {
  try {
    return await fold(git, base);
  } catch (e) {
    throw gitError(e, "folding the re-encryption into the commits not pushed yet");
  }
}

async function fold(git: Git, base: string | null): Promise<number> {
  const text = async (args: string[]) => (await git.plumbing(args)).toString("utf8").trim();
  // No commit yet: nothing to fold.
  const head = await text(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).catch(() => "");
  if (!head) return 0;
  const replaced = await replacedSince(git, base, await casesTree(git, head));
  if (replaced.size === 0) return 0;
  const remote = base ? await blobsInHistory(git, base, [...replaced.keys()]) : new Set<string>();
  const commits = (await text(["rev-list", "--reverse", "--topo-order", "--parents", head, ...(base ? ["--not", base] : [])])).split("\n").filter(Boolean);
  const index = join(await git.dir(), "coc", `fold-index-${process.pid}-${randomBytes(4).toString("hex")}`);
  const mapped = new Map<string, string>();
  let rewritten = 0;
  try {
    for (const line of commits) {
      const [commit, ...parents] = line.split(" ") as [string, ...string[]];
      const newParents = parents.map((p) => mapped.get(p) ?? p);
      const tree = await casesTree(git, commit);
      const swap = [...replaced].filter(([path, entry]) => {
        const there = tree.get(path)?.blob;
        return there !== undefined && there !== entry.blob && !remote.has(there);
      });
      if (swap.length === 0 && newParents.every((p, i) => p === parents[i])) {
        mapped.set(commit, commit);
        continue;
      }
      let newTree = await text(["rev-parse", `${commit}^{tree}`]);
      if (swap.length > 0) {
        await git.plumbing(["read-tree", newTree], { index });
        await git.plumbing(["update-index", "-z", "--index-info"], { index, input: Buffer.from(swap.map(([path, e]) => `${e.mode} ${e.blob}\t${path}\0`).join(""), "latin1") });
        newTree = (await git.plumbing(["write-tree"], { index })).toString("utf8").trim();
      }
      // A commit that changed something and no longer does (a re-encryption now folded into the commits before it) is left out.
      if (parents.length === 1 && (await text(["rev-parse", `${newParents[0]!}^{tree}`])) === newTree && (await text(["rev-parse", `${parents[0]!}^{tree}`])) !== (await text(["rev-parse", `${commit}^{tree}`]))) {
        mapped.set(commit, newParents[0]!);
        rewritten++;
        continue;
      }
      const raw = (await git.plumbing(["cat-file", "commit", commit])).toString("latin1");
      // A merge one of whose sides was left out could name the same parent twice: it is named once.
      const object = Buffer.from(withTreeAndParents(raw, newTree, [...new Set(newParents)]), "latin1");
      mapped.set(commit, (await git.plumbing(["hash-object", "-t", "commit", "-w", "--stdin"], { input: object })).toString("utf8").trim());
      rewritten++;
    }
  } finally {
    await rm(index, { force: true });
  }
  const newHead = mapped.get(head) ?? head;
  if (newHead === head) return 0;
  await git.plumbing(["update-ref", "-m", "coc sync: re-encryption folded into the commits not pushed yet", "HEAD", newHead, head]);
  await git.flushRefs();
  return rewritten;
}
