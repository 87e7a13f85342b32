import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { reportYaml, teamWithRemote, type Person, type RunResult, type World } from "../helpers/env.js";

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."), "bin", "coc.js");
function coc(w: World, who: Person, cwd: string, argv: string[], stdin = ""): Promise<RunResult & { argv: string[] }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...w.env, COC_IDENTITY: who.identityFile }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr, argv }));
    child.stdin.end(stdin);
  });
}

describe("explore", () => {
  it("many writers and readers in one clone", async () => {
    const { world: w, alice, bob, a, b, code } = await teamWithRemote();
    const dave = w.person("dave");
    for (let round = 0; round < 3; round++) {
      const jobs = [
        ...Array.from({ length: 4 }, (_, i) => coc(w, alice, a, ["new-report", "--from", "-"], reportYaml(`r${round}-${i}`))),
        coc(w, alice, a, ["note", code, "--from", "-"], `kind: other\ntext: n${round}\n`),
        coc(w, alice, a, ["review", code, "--from", "-"], `assessment: { risk: low, impact: low, violation: unclear, rationale: "x${round}" }\n`),
        coc(w, alice, a, ["recuse", code, "carol", "--yes"]),
        coc(w, alice, a, ["team", "add", "dave", dave.memberKey]),
        coc(w, alice, a, ["sync"]),
        coc(w, bob, b, ["sync"]),
        coc(w, bob, b, ["note", code, "--from", "-"], `kind: other\ntext: b${round}\n`),
        ...Array.from({ length: 3 }, () => coc(w, alice, a, ["list", "--json"])),
        coc(w, alice, a, ["show", code, "--json"]),
        coc(w, alice, a, ["verify"]),
      ];
      const rs = await Promise.all(jobs);
      for (const r of rs) console.log(round, r.argv.slice(0, 2).join(" "), r.code, r.stderr.trim().split("\n")[0]?.slice(0, 160));
      for (const r of rs) expect(r.stderr, r.argv.join(" ")).not.toMatch(/internal error/i);
      expect(w.git(a, ["status", "--porcelain", "--ignored"]), "a").toBe("");
      expect(w.git(b, ["status", "--porcelain", "--ignored"]), "b").toBe("");
      console.log(readdirSync(join(a, ".git", "coc")), existsSync(join(a, ".coc")) ? readdirSync(join(a, ".coc")) : []);
    }
    const v = await coc(w, alice, a, ["verify"]);
    expect(v.code, v.stderr).toBe(0);
    w.cleanup();
  }, 120_000);
});
