/**
 * A repository of 300 signed records (60 cases of a report and four notes,
 * for alice, bob and carol), written through the core and committed by hand:
 * what the tests of large writes (worker encryption, records written in
 * place, roll-backs) run the built binary against. Also the helpers those
 * tests share: copies with their own HOME, the record files, coc as a member.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord } from "../../src/core/records/schema.js";
import { signRecord } from "../../src/core/records/signature.js";
import { newRecordId, randomCaseCode } from "../../src/core/repo/codes.js";
import { repoPaths } from "../../src/core/repo/layout.js";
import { stageRecords } from "../../src/core/repo/record-writes.js";
import { FIXED_NOW, teamWorld, type Person, type World } from "./env.js";

export const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."), "bin", "coc.js");
export const CASES = 60;
export const PER_CASE = 5;

/** A valid report body by `author`, received at `at`. */
export function reportBody(author: string, at: Date): unknown {
  return BODY_SCHEMAS.report.parse({
    received_at: at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    received_by: author,
    channel: "in-person",
    reporter: { name: "Sam Reporter", contact: "sam@example.org" },
    incident: { summary: "Unwanted comments at the social", description: "What the reporter said.", people: [{ name: "Pat Example", role: "reported" }] },
  });
}

export interface LargeRepo {
  world: World;
  people: Person[];
  repo: string;
}

/** Builds the repository (alice, bob, carol; each record signed by its author, encrypted to all three). */
export async function largeRepo(): Promise<LargeRepo> {
  const { world, people, repo } = await teamWorld("alice", "bob", "carol");
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
  return { world, people, repo };
}

/** The record files under `root`, relative to it. */
export function recordFiles(root: string): string[] {
  return readdirSync(join(root, "cases")).flatMap((c) => readdirSync(join(root, "cases", c)).map((f) => join("cases", c, f)));
}

/** Runs the built coc in `cwd` as `as`, with the world's environment and `env`. */
export function spawnCoc(world: World, cwd: string, argv: string[], as: Person, env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...argv], { cwd, env: { ...world.env, COC_IDENTITY: as.identityFile, ...env }, encoding: "utf8", timeout: 120_000 });
}

/**
 * A copy of the repository named `name`, with its own HOME where alice has
 * confirmed the roster (the pin of each earlier removal lives in its own HOME).
 */
export function freshCopy(large: LargeRepo, name: string): { copy: string; env: Record<string, string> } {
  const copy = join(large.world.root, name);
  cpSync(large.repo, copy, { recursive: true });
  const home = join(large.world.root, `${name}-home`);
  mkdirSync(home);
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, ".config") };
  const trusted = spawnCoc(large.world, copy, ["team", "trust", "--yes"], large.people[0]!, env);
  expect(trusted.status, trusted.stderr).toBe(0);
  return { copy, env };
}
