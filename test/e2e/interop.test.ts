/**
 * Interop with the real age CLI (DESIGN.md §1.4): records coc writes decrypt
 * with `age -d`, identities made by `age-keygen` work as they are, and files
 * made by `age` (binary and armored) are read by `coc show` and `coc list`.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { parseRecord } from "../../src/core/records/record.js";
import { signRecord } from "../../src/core/records/signature.js";
import { World, hasAgeCli, reportYaml, teamRepo, type Person } from "../helpers/env.js";

const AGE = hasAgeCli();

describe.skipIf(!AGE)(`interop with the age CLI${AGE ? "" : " (SKIPPED: the age CLI is not installed in PATH)"}`, () => {
  let world: World;
  let alice: Person;
  let bob: Person;

  beforeEach(() => {
    world = new World();
    alice = world.person("alice");
    bob = world.person("bob");
  });
  afterEach(() => world.cleanup());

  /** Runs an age tool with the world's environment (never the developer's). */
  const age = (args: string[], input?: string): Buffer => execFileSync("age", args, { env: world.env, input, maxBuffer: 1 << 24 });

  /**
   * A record envelope (DESIGN.md §3) written by hand, as another implementation would, and signed
   * by alice over its canonical bytes (an unsigned one is read too, but does not count).
   */
  const envelope = (code: string, id: string, summary: string): string => {
    const text = unsigned(code, id, summary);
    const signature = signRecord(parseRecord(text, "hand-made"), signingKeyFromIdentity(alice.identity));
    return `${text}signature: |\n${signature.trimEnd().split("\n").map((l) => `  ${l}`).join("\n")}\n`;
  };
  const unsigned = (code: string, id: string, summary: string): string => `coc: 1
type: report
case: ${code}
id: ${id}
author: alice
created_at: 2026-06-01T14:05:00Z
recipients: [alice, bob]
readers: [alice, bob]
body:
  channel: email
  reporter:
    name: Robin Reporter
    contact: robin@example.org
  incident:
    summary: ${summary}
    description: Written by hand and encrypted with the age CLI.
`;
  /** The envelope signed with alice's key, as coc signs (a record without a signature does not count). */
  const signedEnvelope = (code: string, id: string, summary: string): string => {
    const record = parseRecord(envelope(code, id, summary), "envelope");
    return JSON.stringify({ ...record, signature: signRecord(record, signingKeyFromIdentity(alice.identity)) });
  };

  /** Places `bytes` at cases/<code>/<id>.age and commits it (the pre-commit guard runs). */
  const commitRecord = (repo: string, code: string, id: string, bytes: Buffer): void => {
    mkdirSync(join(repo, "cases", code), { recursive: true });
    writeFileSync(join(repo, "cases", code, `${id}.age`), bytes);
    world.git(repo, ["add", "cases"]);
    world.git(repo, ["-c", "user.name=Test Runner", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", `coc: new report ${code}`]);
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");
  };

  it("a record written by coc new-report decrypts with age -d -i and parses as YAML", async () => {
    const repo = await teamRepo(world, [alice, bob]);
    const r = await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("interop marker") });
    expect(r.code).toBe(0);
    const code = r.stdout.trim();
    const [name] = readdirSync(join(repo, "cases", code));
    const file = join(repo, "cases", code, name!);
    for (const who of [alice, bob]) {
      const doc = parse(age(["-d", "-i", who.identityFile, file]).toString("utf8"), { version: "1.2" });
      expect(doc).toMatchObject({ coc: 1, type: "report", case: code, id: name!.replace(/\.age$/, ""), author: "alice", recipients: ["alice", "bob"] });
      expect(doc.body.incident.summary).toBe("Unwanted comments at the social (interop marker)");
    }
    const outsider = world.person("mallory");
    expect(() => execFileSync("age", ["-d", "-i", outsider.identityFile, file], { env: world.env, stdio: "pipe" })).toThrow();
  });

  it("an identity made by age-keygen works as it is (init, new-report, show)", async () => {
    const keyFile = join(world.root, "keys", "carol-age-keygen.txt");
    execFileSync("age-keygen", ["-o", keyFile], { env: world.env, stdio: "pipe" });
    chmodSync(keyFile, 0o600);
    const recipient = execFileSync("age-keygen", ["-y", keyFile], { env: world.env, encoding: "utf8" }).trim();
    const env = { COC_IDENTITY: keyFile };
    const repo = join(world.root, "carol-repo");

    const init = await world.run(["init", repo, "--event", "Keygen Conf", "--member", "carol"], { env });
    expect(init.stderr).not.toContain("error");
    expect(init.code).toBe(0);
    const team = await world.run(["team", "list", "--json"], { env, cwd: repo });
    expect(team.code).toBe(0);
    expect(team.stdout).toContain(recipient);

    const r = await world.run(["new-report", "--from", "-"], { env, cwd: repo, stdin: reportYaml("keygen identity") });
    expect(r.code).toBe(0);
    const code = r.stdout.trim();
    const show = await world.run(["show", code, "--json"], { env, cwd: repo });
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown.records).toHaveLength(1);
    expect(shown.records[0]).toMatchObject({ type: "report", author: "carol", recipients: ["carol"] });
    expect(shown.records[0].body.incident.summary).toContain("keygen identity");
    // And the file is readable by age with that same key file.
    const [name] = readdirSync(join(repo, "cases", code));
    expect(age(["-d", "-i", keyFile, join(repo, "cases", code, name!)]).toString("utf8")).toContain("keygen identity");
  });

  it("a record encrypted with age -r alice -r bob is read by coc show and listed by coc list", async () => {
    const repo = await teamRepo(world, [alice, bob]);
    const code = "brave-heron-17";
    const id = "20260601T140500Z-report-abcd12";
    const ciphertext = age(["-r", alice.recipient, "-r", bob.recipient], signedEnvelope(code, id, "Made with the age CLI"));
    expect(ciphertext.subarray(0, 22).toString()).toBe("age-encryption.org/v1\n");
    commitRecord(repo, code, id, ciphertext);

    for (const who of [alice, bob]) {
      const show = await world.run(["show", code, "--json"], { as: who, cwd: repo });
      expect(show.stderr).toBe("");
      expect(show.code).toBe(0);
      const shown = JSON.parse(show.stdout);
      expect(shown).toMatchObject({ case: code, state: "new" });
      expect(shown.records).toEqual([
        expect.objectContaining({ type: "report", id, author: "alice", created_at: "2026-06-01T14:05:00Z", recipients: ["alice", "bob"] }),
      ]);
      expect(shown.records[0].body.incident.summary).toBe("Made with the age CLI");
    }

    const list = await world.run(["list", "--json"], { as: bob, cwd: repo });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ case: code, state: "new", restricted: false })]);
  });

  it("an armored file (age -a) placed the same way is read too", async () => {
    const repo = await teamRepo(world, [alice, bob]);
    const code = "calm-otter-8";
    const id = "20260601T140500Z-report-arm0r1";
    const ciphertext = age(["-a", "-r", alice.recipient, "-r", bob.recipient], signedEnvelope(code, id, "Armored by the age CLI"));
    expect(ciphertext.toString("utf8")).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n/);
    commitRecord(repo, code, id, ciphertext);

    const show = await world.run(["show", code, "--json"], { as: bob, cwd: repo });
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown.records).toHaveLength(1);
    expect(shown.records[0]).toMatchObject({ type: "report", id, recipients: ["alice", "bob"] });
    expect(shown.records[0].body.incident.summary).toBe("Armored by the age CLI");

    const list = await world.run(["list", "--json"], { as: alice, cwd: repo });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ case: code, restricted: false })]);
  });
});
