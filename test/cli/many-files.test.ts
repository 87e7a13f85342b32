/**
 * A change of many files (100 or more: a re-encryption) is committed through
 * git fast-import (src/core/git/pack-commit.ts), one pack instead of a loose
 * object per file. It must be the commit `git add` + `git commit -- <paths>`
 * would make: exactly coc's paths on top of HEAD, the index in step with it,
 * what the user staged left staged and out of the commit, nothing committed
 * when nothing changed, and the guard's check on every file under cases/.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Git } from "../../src/core/git/client.js";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord } from "../../src/core/records/schema.js";
import { signRecord } from "../../src/core/records/signature.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { repoPaths } from "../../src/core/repo/layout.js";
import { stageRecords } from "../../src/core/repo/record-writes.js";
import { FIXED_NOW, World, ageDecrypts, fromTemplate, hasAgeCli, reportYaml, teamRepo, type Person } from "../helpers/env.js";

const NOTES_PER_CASE = 30;

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let repo: string;
let codes: string[];

/** Four cases of alice, bob and carol, each with a report and 30 notes signed by alice: 124 records. */
async function withManyRecords(t: World): Promise<{ repo: string; codes: string[] }> {
  const people = [t.person("alice"), t.person("bob"), t.person("carol")];
  const repo = await teamRepo(t, people);
  const codes: string[] = [];
  for (let i = 0; i < 4; i++) codes.push((await t.run(["new-report", "--from", "-"], { as: people[0], cwd: repo, stdin: reportYaml(`case ${i}`) })).stdout.trim());
  // The notes through the core (as coc writes them, signed by their author), committed by hand: quicker than 120 commands.
  const signer = signingKeyFromIdentity(people[0]!.identity);
  const writes = codes.flatMap((code) =>
    Array.from({ length: NOTES_PER_CASE }, (_, i) => {
      const at = new Date(FIXED_NOW.getTime() + (i + 1) * 60_000);
      const record = makeRecord({ type: "note", case: code, id: newRecordId("note", at), author: "alice", created_at: at, recipients: people.map((p) => p.name), body: BODY_SCHEMAS.note.parse({ text: `note ${i}` }) });
      return { record: { ...record, signature: signRecord(record, signer) } as CocRecord, keys: people.map((p) => p.recipient) };
    }),
  );
  for (const s of await stageRecords(repoPaths(repo), writes)) renameSync(s.temp, s.final);
  t.git(repo, ["add", "cases"]);
  t.git(repo, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "--quiet", "-m", "notes"]);
  return { repo, codes };
}

beforeEach(async () => {
  world = new World();
  [alice, bob, carol] = [world.person("alice"), world.person("bob"), world.person("carol")];
  ({ repo, codes } = await fromTemplate(world, "many-files.test: four cases of 31 records", withManyRecords));
});
afterEach(() => world.cleanup());

const files = (): string[] => codes.filter((c) => existsSync(join(repo, "cases", c))).flatMap((c) => readdirSync(join(repo, "cases", c)).map((f) => join(repo, "cases", c, f)));
const loose = (): number => Number(/^count: (\d+)$/m.exec(world.git(repo, ["count-objects", "-v"]))![1]);

describe("a change of many files", () => {
  it("is one commit of exactly coc's paths, from one pack, with the index in step and the user's staged file left alone", async () => {
    expect(files()).toHaveLength(4 * (NOTES_PER_CASE + 1));
    // Something the user staged on their own: not part of coc's commit, and still staged after it.
    writeFileSync(join(repo, "minutes.md"), "draft\n");
    world.git(repo, ["add", "minutes.md"]);
    const before = world.git(repo, ["rev-parse", "HEAD"]).trim();
    const looseBefore = loose();

    const r = await world.run(["team", "remove", "bob", "--yes"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/re-encrypted 124 record\(s\) in 4 case\(s\)/);

    expect(world.git(repo, ["rev-list", "--count", `${before}..HEAD`]).trim()).toBe("1");
    expect(world.git(repo, ["rev-parse", "HEAD^"]).trim()).toBe(before);
    expect(world.git(repo, ["log", "-1", "--format=%s%n%an <%ae>"]).trim()).toBe("coc: remove team member bob\nalice <alice@coc.invalid>");
    expect(world.git(repo, ["reflog", "-1", "--format=%gs"]).trim()).toBe("commit: coc: remove team member bob");
    const changed = world.git(repo, ["diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD"]).trim().split("\n");
    expect(changed.sort()).toEqual([".coc/team.yaml", ...files().map((f) => f.slice(repo.length + 1))].sort());
    // The index holds what was committed, plus the user's own staged file; the work tree matches.
    expect(world.git(repo, ["diff", "--cached", "--name-only"]).trim()).toBe("minutes.md");
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("A  minutes.md");
    expect(world.git(repo, ["diff-files", "--name-only"]).trim()).toBe("");
    // One pack, not a loose object per file; no scratch ref left behind.
    expect(loose() - looseBefore).toBeLessThan(10);
    expect(world.git(repo, ["for-each-ref", "refs/coc"]).trim()).toBe("");

    const verify = await world.run(["verify"], { as: alice, cwd: repo });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    for (const code of codes) {
      const shown = JSON.parse((await world.run(["show", code, "--json"], { as: carol, cwd: repo })).stdout) as { records: { recipients: string[] }[] };
      expect(shown.records).toHaveLength(NOTES_PER_CASE + 1);
      for (const rec of shown.records) expect(rec.recipients).toEqual(["alice", "carol"]);
    }
  });

  it.skipIf(!hasAgeCli())("the age CLI confirms: bob decrypts none of the files, alice and carol every one", async () => {
    expect((await world.run(["team", "remove", "bob", "--yes"], { as: alice, cwd: repo })).code).toBe(0);
    for (const f of files()) {
      expect(ageDecrypts(f, bob, world.env), f).toBe(false);
      expect(ageDecrypts(f, alice, world.env), f).toBe(true);
      expect(ageDecrypts(f, carol, world.env), f).toBe(true);
    }
  });
});

describe("committing many paths directly", () => {
  const rels = (): string[] => files().map((f) => f.slice(repo.length + 1));
  const git = () => new Git(repo, world.env);

  it("refuses a file under cases/ that is not an age file, and commits nothing", async () => {
    const plain = join("cases", codes[0]!, "20260601T150000Z-note-abcdef.age");
    writeFileSync(join(repo, plain), "coc: 1\ntype: note\nbody: {text: secret}\n");
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    await expect(git().commitPaths([...rels()], "coc: note", { member: "alice" })).rejects.toThrow(/not age-encrypted: cases\/.*-note-abcdef\.age; nothing was committed/);
    expect(world.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(world.git(repo, ["diff", "--cached", "--name-only"]).trim()).toBe("");
  });

  it("commits nothing when nothing changed", async () => {
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    expect(await git().commitPaths(rels(), "coc: nothing", { member: "alice" })).toBe(false);
    expect(world.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
    expect(world.git(repo, ["for-each-ref", "refs/coc"]).trim()).toBe("");
  });

  it("commits the deletion of a whole case directory with the other paths", async () => {
    const gone = `cases/${codes[0]}`;
    rmSync(join(repo, gone), { recursive: true });
    const kept = rels();
    expect(kept.length).toBeGreaterThanOrEqual(90);
    for (const f of kept.slice(0, 10)) writeFileSync(join(repo, f), Buffer.concat([readFileSync(join(repo, f)), Buffer.from("\n")]));
    expect(await git().commitPaths([...kept, gone], "coc: purge", { member: "alice" })).toBe(true);
    expect(world.git(repo, ["ls-tree", "-r", "--name-only", "HEAD", "--", gone]).trim()).toBe("");
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");
    expect(world.git(repo, ["diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD"]).trim().split("\n")).toHaveLength(NOTES_PER_CASE + 1 + 10);
  });

  it("leaves a path under a symlinked directory to git add, which refuses it", async () => {
    const outside = join(world.root, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "x.age"), "age-encryption.org/v1\n");
    symlinkSync(outside, join(repo, "cases", "linked-case-1"));
    const head = world.git(repo, ["rev-parse", "HEAD"]).trim();
    await expect(git().commitPaths([...rels(), "cases/linked-case-1/x.age"], "coc: linked", { member: "alice" })).rejects.toThrow();
    expect(world.git(repo, ["rev-parse", "HEAD"]).trim()).toBe(head);
  });

  it("leaves commits to be signed to git commit, which signs them", async () => {
    // A stand-in for gpg: git reads SIG_CREATED from its status output and takes whatever it prints as the signature.
    const gpg = join(world.root, "fake-gpg");
    writeFileSync(gpg, '#!/bin/sh\ncat >/dev/null\necho "[GNUPG:] SIG_CREATED D 1 8 00 1 ABCDEF" >&2\nprintf -- "-----BEGIN PGP SIGNATURE-----\\n\\nfake\\n-----END PGP SIGNATURE-----\\n"\n', { mode: 0o755 });
    world.git(repo, ["config", "commit.gpgSign", "true"]);
    world.git(repo, ["config", "gpg.program", gpg]);
    const r = await world.run(["team", "remove", "bob", "--yes"], { as: alice, cwd: repo });
    expect(r.code, r.stderr).toBe(0);
    expect(world.git(repo, ["cat-file", "-p", "HEAD"])).toContain("gpgsig -----BEGIN PGP SIGNATURE-----");
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");
  });
});
