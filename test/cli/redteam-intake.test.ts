/** Red-team attacks on coc's intake (a hostile e-mail) and its public text (the register as CSV). */
import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, hasAgeCli, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let repo: string;

beforeEach(async () => {
  world = new World();
  [alice, bob] = [world.person("alice"), world.person("bob")];
  repo = await teamRepo(world, [alice, bob]);
});
afterEach(() => world.cleanup());

const commits = () => execFileSync("git", ["-C", repo, "rev-list", "--count", "HEAD"], { encoding: "utf8" }).trim();

function eml(parts: { name?: string; type: string; body: string }[]): string {
  return [
    "From: Robin <robin@example.net>",
    "To: team@example.org",
    "Subject: At the social",
    "Date: Mon, 01 Jun 2026 09:00:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="mix-1"',
    "",
    "--mix-1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Someone kept touching my shoulder.",
    ...parts.flatMap((p) => [
      "--mix-1",
      `Content-Type: ${p.type}${p.name !== undefined ? `; name="${p.name}"` : ""}`,
      ...(p.name !== undefined ? [`Content-Disposition: attachment; filename="${p.name}"`] : ["Content-Disposition: attachment"]),
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(p.body, "latin1").toString("base64"),
    ]),
    "--mix-1--",
    "",
  ].join("\r\n");
}

const caseDirs = () => execFileSync("git", ["-C", repo, "ls-tree", "--name-only", "HEAD", "cases/"], { encoding: "utf8" }).trim();

describe.skipIf(!hasAgeCli())("attacks through an e-mail's attachments", () => {
  it("a malformed photo refuses the whole message: one line, exit 1, no report stored without its evidence", async () => {
    const before = commits();
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: eml([{ name: "photo.jpg", type: "image/jpeg", body: "\xff\xd8\xff\xe1\x00\x40short" }]) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain("nothing was recorded");
    expect(commits()).toBe(before);
    expect(caseDirs()).toBe("");
  });

  it("a message of thousands of empty parts is refused in one line, not turned into thousands of evidence files", async () => {
    const before = commits();
    const parts = Array.from({ length: 3000 }, (_, i) => ({ name: `f${i}.txt`, type: "text/plain", body: "" }));
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: eml(parts) });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
    expect(r.stderr).toContain("3000 attachments");
    expect(commits()).toBe(before);
    expect(caseDirs()).toBe("");
  });

  it("an attachment name that is only a directory gets a made-up name, never an empty one", async () => {
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: eml([{ name: "../evil/", type: "text/plain", body: "x" }]) });
    expect(r.code, r.stderr).toBe(0);
    const shown = await world.run(["show", r.stdout.trim(), "--json"], { as: alice, cwd: repo });
    const evidence = (JSON.parse(shown.stdout) as { records: { type: string; body: { name: string } }[] }).records.filter((x) => x.type === "evidence");
    expect(evidence.map((e) => e.body.name)).toEqual(["attachment-1.txt"]);
  });
});
