/**
 * Attacks on the large write path (in-place rewrites, worker encryption): the
 * built binary re-encrypts a repository of 300 records with odd working-tree
 * states and is killed half-way; the next command must put back every byte.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptNative } from "../../src/core/crypto/native.js";
import { NativeX25519Identity } from "../../src/core/crypto/x25519.js";
import type { Person, World } from "../helpers/env.js";
import { BIN, largeRepo, freshCopy as copyOf, recordFiles, spawnCoc as run, type LargeRepo } from "../helpers/large-repo.js";

/**
 * Whether this test may run coc as an ordinary user ("nobody"): only root can
 * (and root itself may write any file, read-only or not), and only when that
 * user can run this Node and read this checkout (not so for a Node or a clone
 * under root's home, as `npx -p node@24` gives).
 */
const NOBODY = { uid: 65534, gid: 65534 };
const asNobody = process.getuid?.() === 0 && spawnSync(process.execPath, [BIN, "--version"], { ...NOBODY, stdio: "ignore", timeout: 30_000 }).status === 0;

let large: LargeRepo;
let world: World;
let people: Person[];

beforeAll(async () => {
  large = await largeRepo();
  ({ world, people } = large);
}, 120_000);
afterAll(() => world.cleanup());

const bytesOf = (root: string) => new Map([...recordFiles(root), ".coc/team.yaml"].map((rel) => [rel, readFileSync(join(root, rel)).toString("base64")]));

const spawnCoc = (copy: string, argv: string[], as: Person, env: Record<string, string>) => run(world, copy, argv, as, env);
const freshCopy = (name: string) => copyOf(large, name);

describe("a large rewrite in an odd working tree", () => {
  it.runIf(asNobody)(`replaces a record file its owner made read-only instead of failing (it cannot be written over)${asNobody ? "" : " (SKIPPED: needs root, and a Node and checkout the user nobody can run)"}`, () => {
    const [alice, , carol] = people as [Person, Person, Person];
    const { copy, env } = freshCopy("read-only");
    const [rel] = recordFiles(copy) as [string];
    chmodSync(join(copy, rel), 0o444);
    // The copy, its HOME and alice's key belong to an ordinary user ("nobody"), who runs coc.
    const identity = join(env.HOME!, "alice.txt");
    copyFileSync(alice.identityFile, identity);
    chmodSync(world.root, 0o755);
    spawnSync("chown", ["-R", "65534:65534", copy, env.HOME!]);
    const r = spawnSync(process.execPath, [BIN, "team", "remove", "carol", "--yes"], { cwd: copy, env: { ...world.env, ...env, COC_IDENTITY: identity }, encoding: "utf8", timeout: 120_000, ...NOBODY });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(world.git(copy, ["-c", "safe.directory=*", "status", "--porcelain"]).trim()).toBe("");
    expect(decryptNative(readFileSync(join(copy, rel)), [new NativeX25519Identity(alice.identity)]).kind).toBe("plaintext");
    expect(decryptNative(readFileSync(join(copy, rel)), [new NativeX25519Identity(carol.identity)]).kind).toBe("not-a-recipient");
  });
});

describe("a large rewrite killed half-way, in an odd working tree", () => {
  it("with a record file git does not track: every other file is still put back from HEAD", () => {
    const [alice] = people as [Person];
    const { copy, env } = freshCopy("untracked");
    const [loose] = recordFiles(copy) as [string];
    // The user undid the commit of one record (`git rm --cached`): the file stays, untracked.
    world.git(copy, ["rm", "--cached", "--quiet", loose]);
    world.git(copy, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "--quiet", "-m", "untrack one"]);
    const before = bytesOf(copy);
    const killed = spawnCoc(copy, ["team", "remove", "carol", "--yes"], alice, { ...env, COC_TEST_KILL_AFTER_MOVES: "150" });
    expect(killed.signal, `${killed.stdout}\n${killed.stderr}`).toBe("SIGKILL");
    const listed = spawnCoc(copy, ["list", "--json"], alice, env);
    expect(listed.status, listed.stderr).toBe(0);
    const after = bytesOf(copy);
    const differ = [...before].filter(([rel, b]) => rel !== loose && after.get(rel) !== b).map(([rel]) => rel);
    expect(differ).toEqual([]);
    expect(world.git(copy, ["status", "--porcelain", "--untracked-files=all"]).trim()).toBe(`?? ${loose}`);
  });

  it("never writes a record file HEAD does not hold in place (killed mid-write, nothing could put it back)", () => {
    const [alice] = people as [Person];
    const { copy, env } = freshCopy("untracked-done");
    const [loose, tracked] = recordFiles(copy) as [string, string];
    world.git(copy, ["rm", "--cached", "--quiet", loose]);
    world.git(copy, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "--quiet", "-m", "untrack one"]);
    const inode = (rel: string) => statSync(join(copy, rel)).ino;
    const [looseBefore, trackedBefore] = [inode(loose), inode(tracked)];
    const r = spawnCoc(copy, ["team", "remove", "carol", "--yes"], alice, env);
    expect(r.status, r.stderr).toBe(0);
    expect(inode(tracked)).toBe(trackedBefore); // written over itself
    expect(inode(loose)).not.toBe(looseBefore); // a new file renamed over it
  });
});
