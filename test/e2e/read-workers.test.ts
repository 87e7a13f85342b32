/**
 * Reading many records on worker threads (src/core/repo/read-pool.ts): the
 * built binary reads a repository of 300+ records with its worker threads
 * (the default on a machine with two cores or more) and with none
 * (COC_THREADS=0), and prints exactly the same. Among the records are the
 * ones a worker must not decide alone: a record whose signature checks over
 * its raw JSON but not over the record as coc validates it (a default filled
 * in), one signed with another member's key, an armored file, a block-style
 * record, a corrupt file, a file not encrypted to the reader, an unsigned
 * record, one nested 200,000 deep, one with a key twice and one with
 * whitespace before its brace.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { RecordDecrypter, armorFile, encrypt } from "../../src/core/crypto/age.js";
import { ReadCache, fileHash } from "../../src/core/repo/cache.js";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord } from "../../src/core/records/schema.js";
import { signRecord } from "../../src/core/records/signature.js";
import { newRecordId, randomCaseCode } from "../../src/core/repo/codes.js";
import { teamWorld, type Person, type World } from "../helpers/env.js";
import { reportBody } from "../helpers/large-repo.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");
const CASES = 64;

let world: World;
let people: Person[];
let repo: string;
const special: Record<string, string> = {};

function body(type: "report" | "note", author: string, at: Date): unknown {
  if (type === "note") return BODY_SCHEMAS.note.parse({ kind: "meeting", text: `A note by ${author}.`, participants: [author], attendees: [] });
  return reportBody(author, at);
}

function record(type: "report" | "note", code: string, author: Person, at: Date): CocRecord {
  return makeRecord({ type, case: code, id: newRecordId(type, at), author: author.name, created_at: at, recipients: people.map((p) => p.name), body: body(type, author.name, at) as never });
}

const signed = <T extends object>(r: T, by: Person): T & { signature: string } => ({ ...r, signature: signRecord(r, signingKeyFromIdentity(by.identity)) });

async function put(code: string, r: { id: string }, file: Uint8Array | string): Promise<void> {
  mkdirSync(join(repo, "cases", code), { recursive: true });
  writeFileSync(join(repo, "cases", code, `${r.id}.age`), file);
}

const toAll = (text: string) => encrypt(text, people.map((p) => p.recipient));
const json = (r: object) => `${JSON.stringify(r, null, 2)}\n`;

beforeAll(async () => {
  ({ world, people, repo } = await teamWorld("alice", "bob", "carol"));
  const [alice, bob, carol] = people as [Person, Person, Person];
  const t0 = Date.parse("2026-05-01T10:00:00Z");
  for (let i = 0; i < CASES; i++) {
    const code = randomCaseCode();
    const authors = [alice, bob, carol, alice, bob];
    for (const [k, who] of authors.entries()) {
      const r = signed(record(k === 0 ? "report" : "note", code, who, new Date(t0 + i * 3_600_000 + k * 60_000)), who);
      await put(code, r, await toAll(json(r)));
    }
  }
  const at = new Date(t0 + CASES * 3_600_000);
  const fresh = (name: string) => (special[name] = randomCaseCode());
  // Signed over its raw JSON, which lacks `people`; coc reads it with people: [] filled in, which the signature does not cover.
  {
    const code = fresh("default-filled");
    const raw = structuredClone(record("report", code, alice, at)) as unknown as { body: { incident: Record<string, unknown> } };
    delete raw.body.incident["people"];
    const r = signed(raw, alice);
    await put(code, r as unknown as { id: string }, await toAll(json(r)));
  }
  {
    const code = fresh("wrong-key");
    const r = signed(record("report", code, alice, at), bob);
    await put(code, r, await toAll(json(r)));
  }
  {
    const code = fresh("armored");
    const r = signed(record("report", code, alice, at), alice);
    await put(code, r, await armorFile(await toAll(json(r))));
  }
  {
    const code = fresh("block-style");
    const r = signed(record("report", code, alice, at), alice);
    await put(code, r, await toAll(stringify(r)));
  }
  {
    const code = fresh("corrupt");
    const r = signed(record("report", code, alice, at), alice);
    const file = await toAll(json(r));
    file[file.length - 1]! ^= 1;
    await put(code, r, file);
  }
  {
    const code = fresh("not-for-alice");
    const r = signed(record("report", code, bob, at), bob);
    await put(code, r, await encrypt(json(r), [bob.recipient]));
  }
  {
    // Nested far deeper than any schema: each thread refuses it, neither dies.
    const code = fresh("deep");
    const r = signed(record("note", code, alice, at), alice);
    const text = json(r).replace('"kind": "meeting"', `"kind": "meeting", "extra": ${"[".repeat(200_000)}${"]".repeat(200_000)}`);
    await put(code, r, await toAll(text));
  }
  {
    // The same key twice: JSON.parse keeps the last, which the signature covers; coc's reading of the text decides.
    const code = fresh("duplicate-key");
    const r = signed(record("report", code, alice, at), alice);
    await put(code, r, await toAll(json(r).replace('"author": "alice"', '"author": "bob",\n  "author": "alice"')));
  }
  {
    // Whitespace before the brace: not the JSON path on the worker, the same record on the main thread.
    const code = fresh("space-before-brace");
    const r = signed(record("report", code, alice, at), alice);
    await put(code, r, await toAll(` \n${json(r)}`));
  }
  {
    const code = fresh("unsigned");
    const r = record("report", code, alice, at);
    await put(code, r, await toAll(json(r)));
  }
  world.git(repo, ["add", "cases"]);
  world.git(repo, ["-c", "user.name=test", "-c", "user.email=test@invalid", "commit", "-q", "-m", "records written by hand"]);
}, 120_000);
afterAll(() => world.cleanup());

/** Runs the built coc as alice, cold (the read cache would answer instead of the workers). The corrupt file makes it exit 1. */
function coc(argv: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  rmSync(join(repo, ".git", "coc", "cache"), { recursive: true, force: true });
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd: repo, env: { ...world.env, COC_IDENTITY: people[0]!.identityFile, ...env }, encoding: "utf8", timeout: 60_000 });
  expect(r.stderr).toContain(special["corrupt"]);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("reading on worker threads", () => {
  it("lists exactly what one thread lists, and decides every doubtful record on the main thread", () => {
    expect(availableParallelism()).toBeGreaterThan(1); // else the default starts no worker and this compares nothing
    const threaded = coc(["list", "--json"]);
    const single = coc(["list", "--json"], { COC_THREADS: "0" });
    expect(threaded).toEqual(single);
    const state = new Map((JSON.parse(threaded.stdout) as { case: string; state: string }[]).map((c) => [c.case, c.state]));
    expect(state.size).toBe(CASES + Object.keys(special).length);
    expect(state.get(special["default-filled"]!)).toBe("unverified");
    expect(state.get(special["wrong-key"]!)).toBe("unverified");
    expect(state.get(special["corrupt"]!)).toBe("unreadable");
    expect(state.get(special["not-for-alice"]!)).toBe("restricted");
    expect(state.get(special["deep"]!)).toBe("unreadable");
    expect(threaded.stderr).toContain("nested more than 64 levels deep");
    expect(state.get(special["duplicate-key"]!)).toBe("unreadable");
    expect(state.get(special["unsigned"]!)).toBe("unverified");
    expect(state.get(special["space-before-brace"]!)).toBe("new");
    // A report alone: a new case, whichever way its file was written.
    expect(state.get(special["armored"]!)).toBe("new");
    expect(state.get(special["block-style"]!)).toBe("new");
    // A report and notes, all signed by their authors.
    for (const [code, s] of state) if (!Object.values(special).includes(code)) expect(s, code).toBe("in-review");
  });

  it("gives the same warnings and problems in the table, with any number of threads", () => {
    const outputs = ["0", "1", "2", "3"].map((n) => coc(["list"], { COC_THREADS: n }));
    for (const o of outputs.slice(1)) expect(o).toEqual(outputs[0]);
  });

  it("verifies the same with threads as without", () => {
    const threaded = spawnVerify({});
    expect(threaded.stdout + threaded.stderr).toContain(special["corrupt"]);
    expect(threaded).toEqual(spawnVerify({ COC_THREADS: "0" }));
  });
});

function spawnVerify(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, "verify"], { cwd: repo, env: { ...world.env, COC_IDENTITY: people[0]!.identityFile, ...env }, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\d+(\.\d+)? ?m?s\b/g, "") };
}

describe("the read cache a worker writes in the background", () => {
  it("is there when coc exits, opens for its owner only, and answers the next listing the same", async () => {
    const cold = coc(["list", "--json"]);
    const dir = join(repo, ".git", "coc", "cache");
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith(".tmp") || f.startsWith("."))).toEqual([]);
    expect(files).toHaveLength(1);
    const mine = await ReadCache.open(join(repo, ".git"), await RecordDecrypter.fromIdentities([people[0]!.identity]), undefined);
    expect(mine.size).toBe(CASES * 5 + Object.keys(special).length - 3); // every file but the corrupt, deep and duplicate-key ones
    const theirs = await ReadCache.open(join(repo, ".git"), await RecordDecrypter.fromIdentities([people[1]!.identity]), undefined);
    expect(theirs.size).toBe(0);
    // The signature verdicts the workers made are in it: a warm listing checks no signature again (the first
    // one after a cold listing used to check all 5,000 of the benchmark again, and write the cache again: 0.97 s, not 0.35 s).
    const ordinary = readdirSync(join(repo, "cases")).filter((c) => !Object.values(special).includes(c));
    let verdicts = 0;
    for (const code of ordinary.slice(0, 8)) {
      for (const f of readdirSync(join(repo, "cases", code))) {
        const file = `cases/${code}/${f}`;
        expect(mine.lookup(file, fileHash(readFileSync(join(repo, file)))), file).toBeDefined();
        expect(mine.signed(file), file).toBe(true);
        verdicts++;
      }
    }
    expect(verdicts).toBe(40);
    // Warm: the same output, from the cache.
    const r = spawnSync(process.execPath, [BIN, "list", "--json"], { cwd: repo, env: { ...world.env, COC_IDENTITY: people[0]!.identityFile }, encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual(cold);
  });
});

// The files themselves stay as written: reading changes nothing on disk.
it("leaves the record files as they were", () => {
  const before = readFileSync(join(repo, ".git", "index"));
  coc(["list", "--json"]);
  expect(readFileSync(join(repo, ".git", "index"))).toEqual(before);
});
