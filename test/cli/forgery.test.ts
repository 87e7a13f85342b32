/**
 * Signed records (DESIGN.md §7): a record that is not signed by its author's
 * key on the confirmed roster changes nothing. Each forgery is made as an
 * attacker with push access would: the team's public keys, the `age` CLI and
 * a plain git commit, through a bare remote. Then a legitimate member syncs
 * and writes as usual, and the age CLI shows who can read what was written.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { canonicalBytes } from "../../src/core/records/canonical.js";
import { parseRecord } from "../../src/core/records/record.js";
import { signRecord } from "../../src/core/records/signature.js";
import { ageDecrypts, hasAgeCli, World, type Person, teamWithRemote } from "../helpers/env.js";

const hasSshKeygen = () => spawnSync("ssh-keygen", ["-?"], { encoding: "utf8" }).error === undefined;

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let origin: string;
let a: string;
let b: string;
let code: string;

beforeEach(async () => {
  ({ world, alice, bob, carol, origin, a, b, code } = await teamWithRemote());
});
afterEach(() => world.cleanup());

async function ok(argv: string[], who: Person, cwd: string, stdin?: string): Promise<string> {
  const r = await world.run(argv, { as: who, cwd, ...(stdin !== undefined ? { stdin } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

let n = 0;
/** A record as the attacker writes it (any author, any claims), encrypted with the age CLI to `to`, committed with plain git and pushed. */
function forge(type: string, author: string, body: unknown, to: Person[], extra: Record<string, unknown> = {}): string {
  const dir = join(world.root, `attacker-${++n}`);
  world.git(world.root, ["clone", "--quiet", origin, dir]);
  const id = `20260601T15${String(n).padStart(2, "0")}00Z-${type}-forged${n}`;
  const record = { coc: 1, type, case: code, id, author, created_at: `2026-06-01T15:${String(n).padStart(2, "0")}:00Z`, recipients: [...to.map((p) => p.name), "zed"], body, ...extra };
  const plain = join(world.root, `forged-${n}.json`);
  writeFileSync(plain, JSON.stringify(extra["sign"] ? signed(record, extra["sign"] as Person) : record));
  mkdirSync(join(dir, "cases", code), { recursive: true });
  execFileSync("age", [...to.flatMap((p) => ["-r", p.recipient]), "-o", join(dir, "cases", code, `${id}.age`), plain], { env: world.env });
  const git = (args: string[]) => world.git(dir, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x", ...args]);
  git(["add", "-A"]);
  git(["commit", "--quiet", "-m", "coc: note"]);
  git(["push", "--quiet", "origin", "main"]);
  return `cases/${code}/${id}.age`;
}

/** Signed with `who`'s key, whatever author it claims. */
function signed(record: Record<string, unknown>, who: Person): Record<string, unknown> {
  const { sign: _s, ...rest } = record;
  return { ...rest, signature: signRecord(rest, signingKeyFromIdentity(who.identity)) };
}

/** Files of the case written by the last commit of `dir`. */
function lastWritten(dir: string): string[] {
  return world.git(dir, ["show", "--name-only", "--format=", "HEAD"]).split("\n").filter((f) => f.startsWith(`cases/${code}/`));
}

async function state(who: Person, dir: string): Promise<string> {
  return (JSON.parse(await ok(["list", "--json"], who, dir)) as { case: string; state: string }[]).find((c) => c.case === code)!.state;
}

async function expectFlagged(file: string, why: RegExp): Promise<void> {
  const shown = await world.run(["show", code], { as: bob, cwd: b });
  expect(shown.stderr).toContain(`${file} is UNVERIFIED`);
  expect(shown.stdout).toMatch(/UNVERIFIED/);
  const verify = await world.run(["verify"], { as: bob, cwd: b });
  expect(verify.code).toBe(1);
  expect(verify.stdout).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: unverified record \\(${why.source}`));
}

describe.skipIf(!hasAgeCli())("forged records change nothing", () => {
  it("a forged 'no conflict, not recused' claimed by the lead does not lift carol's recusal", async () => {
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    const file = forge("conflict", "alice", { member: "carol", conflict: false, recused: false }, [alice, bob, carol]);
    await ok(["sync"], bob, b);
    await ok(["note", code, "--from", "-"], bob, b, "kind: meeting\ntext: after the forgery\nattendees: [alice, bob]\n");
    const written = lastWritten(b);
    expect(written.length).toBeGreaterThan(0);
    for (const f of written) expect(ageDecrypts(join(b, f), carol, world.env), f).toBe(false);
    const share = await world.run(["share", code, "carol", "--no-conflict", "--yes"], { as: bob, cwd: b });
    expect(share.code).toBe(1);
    expect(share.stderr).toMatch(/carol is recused from case/);
    await expectFlagged(file, /unsigned/);
  });

  it("a forged record listing a member who joined later (and a made-up name) does not share the case with them", async () => {
    const dave = world.person("dave");
    await ok(["team", "add", "dave", dave.memberKey], alice, a);
    await ok(["sync"], alice, a);
    const file = forge("note", "alice", { kind: "other", text: "hello", participants: [] }, [alice, bob, carol, dave]);
    await ok(["sync"], bob, b);
    await ok(["note", code, "--from", "-"], bob, b, "kind: meeting\ntext: an ordinary note\nattendees: [alice, bob]\n");
    for (const f of lastWritten(b)) expect(ageDecrypts(join(b, f), dave, world.env), f).toBe(false);
    await expectFlagged(file, /unsigned/);
  });

  it("a forged report excluding the lead does not lock her out", async () => {
    const file = forge("report", "bob", { channel: "observed", reporter: { anonymous: true }, incident: { summary: "x", description: "y" }, exclude: ["alice"] }, [bob, carol]);
    await ok(["sync"], bob, b);
    await ok(["note", code, "--from", "-"], bob, b, "kind: meeting\ntext: an ordinary note\nattendees: [alice, bob]\n");
    for (const f of lastWritten(b)) expect(ageDecrypts(join(b, f), alice, world.env), f).toBe(true);
    await expectFlagged(file, /unsigned/);
  });

  it("a forged resolution does not close the case, and a forged final decision is not the decision in force", async () => {
    const before = await state(bob, b);
    forge("decision", "alice", { stage: "final", violation: "no", actions: [], decided_by: ["alice", "bob"] }, [alice, bob, carol]);
    const file = forge("resolution", "alice", { reporter_informed_at: "2026-06-01T16:00:00Z", transparency: { include: true, title: "Nothing happened" } }, [alice, bob, carol]);
    await ok(["sync"], bob, b);
    expect(await state(bob, b)).toBe(before);
    const shown = JSON.parse(await ok(["show", code, "--json"], bob, b)) as { records: { type: string }[]; unverified: { type: string }[] };
    expect(shown.records.map((r) => r.type)).toEqual(["report"]);
    expect(shown.unverified.map((r) => r.type).sort()).toEqual(["decision", "resolution"]);
    await expectFlagged(file, /unsigned/);
  });

  it("a record signed by bob but claiming alice, and one signed by carol after she was removed, are unverified", async () => {
    const claimed = forge("note", "alice", { kind: "other", text: "bob speaking as alice", participants: [] }, [alice, bob], { sign: bob });
    await ok(["team", "remove", "carol", "--yes"], alice, a);
    await ok(["sync"], alice, a);
    const late = forge("note", "carol", { kind: "other", text: "after I left", participants: [] }, [alice, bob], { sign: carol });
    await ok(["sync"], bob, b);
    await expectFlagged(claimed, /not signed by alice's key/);
    await expectFlagged(late, /signed by carol after they left the team/);
  });
});

describe("signed records", () => {
  it("every record coc writes is signed by its author, and ssh-keygen verifies it over the canonical bytes", async () => {
    await ok(["note", code, "--from", "-"], bob, a, "kind: meeting\ntext: signed\nattendees: [alice, bob]\n");
    const shown = JSON.parse(await ok(["show", code, "--json"], alice, a)) as { records: unknown[]; unverified: unknown[] };
    expect(shown.records).toHaveLength(2);
    expect(shown.unverified).toEqual([]);
    expect((await world.run(["verify"], { as: alice, cwd: a })).code).toBe(0);
    if (!hasAgeCli() || !hasSshKeygen()) return;
    // The record as anyone decrypts it by hand, its canonical bytes, and the real ssh-keygen.
    const file = join(a, lastWritten(a)[0]!);
    const record = parseRecord(execFileSync("age", ["-d", "-i", bob.identityFile, file], { env: world.env, encoding: "utf8" }), file);
    writeFileSync(join(world.root, "message"), canonicalBytes(record));
    writeFileSync(join(world.root, "message.sig"), record.signature!);
    writeFileSync(join(world.root, "allowed_signers"), `bob ${bob.signingKey}\n`);
    const out = execFileSync("ssh-keygen", ["-Y", "verify", "-f", join(world.root, "allowed_signers"), "-I", "bob", "-n", "coc-record", "-s", join(world.root, "message.sig")], {
      input: readFileSync(join(world.root, "message")),
      env: world.env,
      encoding: "utf8",
    });
    expect(out).toMatch(/Good "coc-record" signature for bob/);
  });

  it("a recused member cannot lift their own recusal", async () => {
    await ok(["recuse", code, "bob", "--yes"], alice, a);
    await ok(["recuse", code, "carol", "--yes"], alice, a);
    const files = readdirSync(join(a, "cases", code));
    // carol can no longer read or write the case at all; a lift must come from another member.
    const r = await world.run(["review", code, "--from", "-"], { as: carol, cwd: a, stdin: "conflicts: [{ member: carol, conflict: false, recused: false }]\n" });
    expect(r.code).toBe(1);
    expect(readdirSync(join(a, "cases", code))).toEqual(files);
    expect(readFileSync(join(a, ".coc", "team.yaml"), "utf8")).toContain("name: carol");
  });
});
