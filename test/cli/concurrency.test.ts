/**
 * coc processes (the built binary) in one clone at once, and one killed
 * mid-change: every command finishes or is refused cleanly, and the next
 * command settles a killed one's change exactly once, with nothing lost and
 * nothing left over.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { reportYaml, teamWithRemote, type Person, type RunResult, type World } from "../helpers/env.js";

let world: World | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."), "bin", "coc.js");

/** The built coc as `who` in `cwd`: the process, and its result once it has exited. */
function coc(w: World, who: Person, cwd: string, argv: string[], stdin = "", env: Record<string, string> = {}): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...w.env, COC_IDENTITY: who.identityFile, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  const done = new Promise<RunResult>((ok) => {
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => ok({ code: code ?? -1, stdout, stderr }));
  });
  child.stdin!.end(stdin);
  return { child, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a coc command killed while git is committing its change", () => {
  it("is settled only once that git has finished: the index is left clean, and the change is undone", async () => {
    const { world: w, alice, a } = await (async () => {
      const t = await teamWithRemote();
      world = t.world;
      return t;
    })();
    // git as coc runs it, except that a commit holds the index for a second and then fails (as a slow commit might).
    const bin = join(w.root, "slow-git");
    mkdirSync(bin);
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(
      join(bin, "git"),
      `#!/bin/sh\nfor x in "$@"; do if [ "$x" = commit ]; then touch .git/index.lock "${bin}/committing"; sleep 1; rm -f .git/index.lock; exit 1; fi; done\nexec "${realGit}" "$@"\n`,
      { mode: 0o755 },
    );
    const killed = coc(w, alice, a, ["new-report", "--from", "-"], reportYaml("killed mid-commit"), { PATH: `${bin}:${w.env["PATH"]}` });
    while (!existsSync(join(bin, "committing"))) await sleep(10);
    // Only coc is killed (as by the OOM killer); the git it started goes on.
    killed.child.kill("SIGKILL");
    await killed.done;
    const next = await coc(w, alice, a, ["new-report", "--from", "-"], reportYaml("the next one")).done;
    expect(next.code, next.stderr).toBe(0);
    expect(existsSync(join(a, ".git", "index.lock"))).toBe(false);
    expect(w.git(a, ["status", "--porcelain"])).toBe("");
    expect(w.git(a, ["log", "--format=%s"])).not.toMatch(/killed/);
    expect(w.git(a, ["ls-files", "cases"]).trim().split("\n")).toHaveLength(2);
    const verify = await coc(w, alice, a, ["verify"]).done;
    expect(verify.code, verify.stderr).toBe(0);
    expect(existsSync(join(a, ".git", "coc", "journal.json"))).toBe(false);
  }, 30_000);
});
