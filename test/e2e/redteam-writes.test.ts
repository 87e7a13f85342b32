/**
 * Attacks on the large write path (in-place rewrites, worker encryption): the
 * built binary re-encrypts a repository of 300 records with odd working-tree
 * states and is killed half-way; the next command must put back every byte.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptNative } from "../../src/core/crypto/native.js";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { NativeX25519Identity } from "../../src/core/crypto/x25519.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord } from "../../src/core/records/schema.js";
import { signRecord } from "../../src/core/records/signature.js";
import { newRecordId, randomCaseCode } from "../../src/core/repo/codes.js";
import { repoPaths } from "../../src/core/repo/layout.js";
import { stageRecords } from "../../src/core/repo/record-writes.js";
import { FIXED_NOW, teamWorld, type Person, type World } from "../helpers/env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");
/**
 * Whether this test may run coc as an ordinary user ("nobody"): only root can
 * (and root itself may write any file, read-only or not), and only when that
 * user can run this Node and read this checkout (not so for a Node or a clone
 * under root's home, as `npx -p node@24` gives).
 */
const NOBODY = { uid: 65534, gid: 65534 };
const asNobody = process.getuid?.() === 0 && spawnSync(process.execPath, [BIN, "--version"], { ...NOBODY, stdio: "ignore", timeout: 30_000 }).status === 0;
const CASES = 60;
const PER_CASE = 5;

let world: World;
let people: Person[];
let repo: string;

function reportBody(author: string, at: Date): unknown {
  return BODY_SCHEMAS.report.parse({
    received_at: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    received_by: author,
    channel: "in-person",
    reporter: { name: "Sam Reporter", contact: "sam@example.org" },
    incident: { summary: "Unwanted comments at the social", description: "What the reporter said.", people: [{ name: "Pat Example", role: "reported" }] },
  });
}

beforeAll(async () => {
  ({ world, people, repo } = await teamWorld("alice", "bob", "carol"));
  const signers = people.map((p) => signingKeyFromIdentity(p.identity));
  const writes = Array.from({ length: CASES }, () => randomCaseCode()).flatMap((code, c) =>
    Array.from({ length: PER_CASE }, (_, i) => {
      const at = new Date(FIXED_NOW.getTime() + (c * PER_CASE + i + 1) * 60_000);
      const author = i % 3;
      const type = i === 0 ? "report" : "note";
      const body = i === 0 ? reportBody(people[author]!.name, at) : BODY_SCHEMAS.note.parse({ text: `note ${c}.${i}` });
      const record = makeRecord({ type, case: code, id: newRecordId(type, at), author: people[author]!.name, created_at: at, recipients: people.map((p) => p.name), body: body as never });
      return { record: { ...record, signature: signRecord(record, signers[author]!) } as CocRecord, keys: people.map((p) => p.recipient) };
    }),
  );
  for (const s of await stageRecords(repoPaths(repo), writes, 0)) renameSync(s.temp, s.final);
  world.git(repo, ["add", "cases"]);
  world.git(repo, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "--quiet", "-m", "notes"]);
}, 120_000);
afterAll(() => world.cleanup());

function recordFiles(root: string): string[] {
  return readdirSync(join(root, "cases")).flatMap((c) => readdirSync(join(root, "cases", c)).map((f) => join("cases", c, f)));
}
const bytesOf = (root: string) => new Map([...recordFiles(root), ".coc/team.yaml"].map((rel) => [rel, readFileSync(join(root, rel)).toString("base64")]));

function spawnCoc(copy: string, argv: string[], as: Person, env: Record<string, string>) {
  return spawnSync(process.execPath, [BIN, ...argv], { cwd: copy, env: { ...world.env, COC_IDENTITY: as.identityFile, ...env }, encoding: "utf8", timeout: 120_000 });
}

/** A copy of the repository with its own HOME, where alice has confirmed the roster. */
function freshCopy(name: string): { copy: string; env: Record<string, string> } {
  const copy = join(world.root, name);
  cpSync(repo, copy, { recursive: true });
  const home = join(world.root, `${name}-home`);
  mkdirSync(home);
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, ".config") };
  const trusted = spawnCoc(copy, ["team", "trust", "--yes"], people[0]!, env);
  expect(trusted.status, trusted.stderr).toBe(0);
  return { copy, env };
}

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
