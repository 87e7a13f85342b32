/**
 * The test harness itself: a world copied from a template is the world the
 * CLI builds, fully independent of the template and of other copies.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { World, fromTemplate, teamRepo, teamRepoThroughCli } from "./env.js";

const worlds: World[] = [];
function world(): World {
  const w = new World();
  worlds.push(w);
  return w;
}
afterEach(() => worlds.splice(0).forEach((w) => w.cleanup()));

/** Relative path -> mode of everything under `dir` (git objects aside). */
function modes(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const s = lstatSync(p);
      out[relative(dir, p)] = s.mode;
      if (s.isDirectory() && !(e === "objects" && d.endsWith(".git"))) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** Every file under `dir` (git objects aside) whose text contains `needle`. */
function mentions(dir: string, needle: string): string[] {
  return Object.keys(modes(dir)).filter((rel) => {
    const p = join(dir, rel);
    return lstatSync(p).isFile() && readFileSync(p, "latin1").includes(needle);
  });
}

describe("a team repository copied from its template", () => {
  it("holds what the CLI builds: the same tree, history, roster pin and modes", async () => {
    const copied = world();
    const viaCli = world();
    const repo = await teamRepo(copied, ["alice", "bob", "carol"].map((n) => copied.person(n)));
    const cliRepo = await teamRepoThroughCli(viaCli, ["alice", "bob", "carol"].map((n) => viaCli.person(n)));
    expect(repo).toBe(join(copied.root, "repo"));
    expect(copied.git(repo, ["ls-tree", "-r", "HEAD"])).toBe(viaCli.git(cliRepo, ["ls-tree", "-r", "HEAD"]));
    expect(copied.git(repo, ["log", "--format=%s %an <%ae>"])).toBe(viaCli.git(cliRepo, ["log", "--format=%s %an <%ae>"]));
    expect(copied.git(repo, ["status", "--porcelain"])).toBe("");
    expect(readFileSync(join(repo, ".git", "config"), "utf8")).toBe(readFileSync(join(cliRepo, ".git", "config"), "utf8"));
    // Same files with the same modes: identities 0600, private directories 0700, the hook executable.
    // The pin's name holds the clone's repository id (.git/coc/id), random per build.
    const tree = modes(copied.root);
    const comparable = (t: Record<string, number>) => Object.fromEntries(Object.entries(t).map(([k, m]) => [k.replace(/(rosters\/)[0-9a-f]{32,40}-/, "$1ID-"), m & 0o7777]));
    expect(comparable(tree)).toEqual(comparable(modes(viaCli.root)));
    expect(tree["keys/alice.txt"]! & 0o777).toBe(0o600);
    expect(tree["home/.config/coc/rosters"]! & 0o777).toBe(0o700);
    const pins = readdirSync(join(copied.home, ".config", "coc", "rosters"));
    expect(pins).toHaveLength(1);
    expect(pins[0]!.startsWith(readFileSync(join(repo, ".git", "coc", "id"), "utf8").trim())).toBe(true);
    expect(tree[`home/.config/coc/rosters/${pins[0]}`]! & 0o777).toBe(0o600);
    // The pin is for this repository: coc works without a roster question.
    const list = await copied.run(["new-report", "--from", "-"], { as: copied.person("alice"), cwd: repo, stdin: "channel: in-person\nreporter: { name: S }\nincident: { summary: x, description: y }\n" });
    expect(list.code, list.stderr).toBe(0);
  });

  it("is independent of the template and of other copies, and never names the template's directory", async () => {
    const [a, b] = [world(), world()];
    const repoA = await teamRepo(a, [a.person("alice"), a.person("bob")]);
    const repoB = await teamRepo(b, [b.person("alice"), b.person("bob")]);
    const headB = b.git(repoB, ["rev-parse", "HEAD"]);
    writeFileSync(join(repoA, "extra.txt"), "only in a\n");
    a.git(repoA, ["add", "extra.txt"]);
    a.git(repoA, ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "extra"]);
    expect(b.git(repoB, ["rev-parse", "HEAD"])).toBe(headB);
    expect(existsSync(join(repoB, "extra.txt"))).toBe(false);
    expect(mentions(a.root, "coc-test-cache-")).toEqual([]);
    expect(mentions(a.root, b.root)).toEqual([]);
  });
});

describe("fromTemplate", () => {
  it("rewrites a clone's remote and reflog to the copy's own origin", async () => {
    const w = world();
    const state = await fromTemplate(w, "harness test: a clone", async (t) => {
      const repo = await teamRepoThroughCli(t, [t.person("alice")]);
      const origin = join(t.root, "origin.git");
      t.git(t.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
      t.git(repo, ["remote", "add", "origin", origin]);
      t.git(repo, ["push", "--quiet", "-u", "origin", "main"]);
      t.git(t.root, ["clone", "--quiet", origin, join(t.root, "clone")]);
      return { origin, clone: join(t.root, "clone") };
    });
    expect(state).toEqual({ origin: join(w.root, "origin.git"), clone: join(w.root, "clone") });
    expect(w.git(state.clone, ["remote", "get-url", "origin"]).trim()).toBe(state.origin);
    expect(mentions(w.root, "coc-test-cache-")).toEqual([]);
    writeFileSync(join(w.root, "repo", "x.txt"), "x\n");
    w.git(join(w.root, "repo"), ["add", "x.txt"]);
    w.git(join(w.root, "repo"), ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]);
    w.git(join(w.root, "repo"), ["push", "--quiet"]);
    w.git(state.clone, ["pull", "--quiet"]);
    expect(existsSync(join(state.clone, "x.txt"))).toBe(true);
  });

  it("refuses a template that keeps its own path outside git's files", async () => {
    await expect(
      fromTemplate(world(), "harness test: a leak", async (t) => {
        writeFileSync(join(t.root, "where.txt"), t.root);
      }),
    ).rejects.toThrow(/where\.txt hold the template's absolute path/);
  });
});
