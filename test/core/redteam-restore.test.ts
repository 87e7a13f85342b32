/**
 * Rolling back a large write (src/core/git/client.ts, restore and unstage):
 * every path the journal names is put back from HEAD or unstaged, however
 * many there are (a command line is limited to about 2 MiB on Linux), and a
 * path HEAD does not hold (an untracked record file) does not stop git from
 * restoring all the others.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Git } from "../../src/core/git/client.js";
import { World } from "../helpers/env.js";

let world: World;
let repo: string;
// 2,600 paths of about 900 bytes: 2.3 MB of arguments, as about 40,000 record paths would be.
const DIR = ["cases", ...["a", "b", "c", "d"].map((c) => c.repeat(200))].join("/");
const paths = Array.from({ length: 2600 }, (_, i) => `${DIR}/${String(i).padStart(4, "0")}-${"e".repeat(60)}.age`);

beforeEach(() => {
  world = new World();
  repo = join(world.root, "repo");
  mkdirSync(join(repo, DIR), { recursive: true });
  world.git(repo, ["init", "--quiet", "--initial-branch=main"]);
});
afterEach(() => world.cleanup());

const commitAll = () => {
  world.git(repo, ["add", "--all"]);
  world.git(repo, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "--quiet", "-m", "files"]);
};

describe("rolling back thousands of paths", () => {
  it("restores every file HEAD holds, past the command-line limit and despite a path HEAD does not hold", async () => {
    for (const p of paths) writeFileSync(join(repo, p), `old ${p}`);
    commitAll();
    for (const p of paths) writeFileSync(join(repo, p), "half-written");
    writeFileSync(join(repo, "cases", "untracked.age"), "untracked");
    await new Git(repo, world.env).restore(["cases/untracked.age", ...paths]);
    expect(paths.filter((p) => readFileSync(join(repo, p), "utf8") !== `old ${p}`)).toEqual([]);
    expect(readFileSync(join(repo, "cases", "untracked.age"), "utf8")).toBe("untracked");
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("?? cases/untracked.age");
  });

  it("unstages every path, past the command-line limit", async () => {
    writeFileSync(join(repo, "first"), "first");
    commitAll();
    for (const p of paths) writeFileSync(join(repo, p), "new");
    world.git(repo, ["add", "--all"]);
    await new Git(repo, world.env).unstage(paths);
    expect(world.git(repo, ["diff", "--cached", "--name-only"]).trim()).toBe("");
  });
});
