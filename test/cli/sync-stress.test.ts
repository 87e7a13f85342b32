/**
 * Sync under stress (DESIGN.md §7 "Sync"): three clones of one bare remote,
 * many operations in a random (seeded, so reproducible) order, each run by a
 * random member in their own clone; then everyone syncs twice and every clone
 * must hold the same history, every record anyone wrote, verify cleanly, and
 * each case's files must be readable exactly by the case's readers.
 *
 * And two coc processes (the built binary) writing in the same clone at once:
 * both records land, or one is refused cleanly; nothing is lost or left over.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { RecordDecrypter } from "../../src/core/crypto/age.js";
import { ageDecrypts, FIXED_NOW, hasAgeCli, reportYaml, teamRepo, World, type Person, type RunResult } from "../helpers/env.js";

let world: World | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env["COC_STRESS_SEED"] ?? 20260601);
const OPERATIONS = 60;

describe("coc sync under stress", () => {
  it(`${OPERATIONS} random operations on three clones converge, lose nothing and leak nothing (seed ${SEED})`, async () => {
    const started = Date.now();
    const w = (world = new World());
    const random = prng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const [alice, bob, carol, dave] = [w.person("alice"), w.person("bob"), w.person("carol"), w.person("dave")] as [Person, Person, Person, Person];
    const everyone = [alice, bob, carol, dave];
    const a = await teamRepo(w, [alice, bob, carol]);
    const origin = join(w.root, "origin.git");
    w.git(w.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
    w.git(a, ["remote", "add", "origin", origin]);
    w.git(a, ["push", "--quiet", "-u", "origin", "main"]);
    const clones = new Map<Person, string>([[alice, a]]);
    for (const p of [bob, carol]) {
      const dir = join(w.root, p.name);
      w.git(w.root, ["clone", "--quiet", origin, dir]);
      clones.set(p, dir);
    }
    const members = [alice, bob, carol];

    const log: string[] = [];
    /** Every case file any command added, in any clone. */
    const written = new Set<string>();
    /** Members recused from or excluded from each case (by a command that succeeded): they never read it again. */
    const banned = new Map<string, Set<string>>();
    const ban = (code: string, name: string) => banned.set(code, (banned.get(code) ?? new Set()).add(name));
    const codes = new Set<string>();
    let daveEverAdded = false;

    const head = (dir: string) => w.git(dir, ["rev-parse", "HEAD"]).trim();
    const casesIn = (dir: string) => (existsSync(join(dir, "cases")) ? readdirSync(join(dir, "cases")) : []);
    const decrypters = new Map<Person, RecordDecrypter>();
    /** Whether `who` can read any file of `code` in `dir` (coc's own reader). */
    const reads = async (who: Person, dir: string, code: string): Promise<boolean> => {
      const caseDir = join(dir, "cases", code);
      if (!existsSync(caseDir)) return false;
      let d = decrypters.get(who);
      if (!d) decrypters.set(who, (d = await RecordDecrypter.fromIdentities([who.identity])));
      for (const f of readdirSync(caseDir)) {
        try {
          await d.decrypt(readFileSync(join(caseDir, f)));
          return true;
        } catch {
          // not for them
        }
      }
      return false;
    };

    /** Runs coc as `who` in their clone; a refusal (1) is fine, a crash (2, internal error) never; confirms roster changes once when asked. */
    // A clock that moves: each command a minute after the one before, as in real use.
    let minute = 0;
    const run = async (who: Person, argv: string[], stdin?: string): Promise<RunResult> => {
      const cwd = clones.get(who)!;
      const now = new Date(FIXED_NOW.getTime() + ++minute * 60_000);
      const before = head(cwd);
      let r = await w.run(argv, { as: who, cwd, now, ...(stdin !== undefined ? { stdin } : {}) });
      if (r.code === 1 && /coc (team )?trust/.test(r.stderr)) {
        const t = await w.run(["trust", "--yes"], { as: who, cwd, now });
        log.push(`  ${who.name}: trust --yes -> ${t.code} ${t.stderr.trim().split("\n").slice(-1)[0] ?? ""}`);
        expect(t.code, `trust: ${t.stderr}`).toBe(0);
        r = await w.run(argv, { as: who, cwd, now, ...(stdin !== undefined ? { stdin } : {}) });
      }
      log.push(`${who.name}: ${argv.join(" ")} -> ${r.code}${r.code !== 0 ? ` ${r.stderr.trim().split("\n")[0]}` : ""}${argv[0] === "new-report" && r.code === 0 ? ` ${r.stdout.trim()}` : ""}`);
      if (process.env["COC_STRESS_LOG"]) writeFileSync(process.env["COC_STRESS_LOG"], `${log.join("\n")}\n`);
      const context = `${argv.join(" ")} as ${who.name}\n${r.stderr}\n--- log ---\n${log.join("\n")}`;
      expect([0, 1], context).toContain(r.code);
      expect(r.stderr, context).not.toMatch(/internal error/i);
      expect(existsSync(join(cwd, ".git", "MERGE_HEAD")), context).toBe(false);
      expect(w.git(cwd, ["status", "--porcelain"]), context).toBe("");
      for (const f of w.git(cwd, ["diff", "--name-only", "--diff-filter=A", before, "HEAD"]).split("\n")) {
        if (f.startsWith("cases/")) written.add(f);
      }
      return r;
    };

    /** A case `who` can read in their clone, if any. */
    const readableCase = async (who: Person): Promise<string | undefined> => {
      const dir = clones.get(who)!;
      const mine: string[] = [];
      // In the order the cases were made (not by their random names), so a seed replays the same run.
      for (const code of codes) if (await reads(who, dir, code)) mine.push(code);
      return mine.length > 0 ? pick(mine) : undefined;
    };
    const otherThan = (who: Person) => pick(everyone.filter((p) => p !== who && (p !== dave || daveEverAdded)));

    const kinds = ["new-report", "new-report", "new-report", "review", "review", "note", "note", "recuse", "share", "team-add", "team-remove", "sync", "sync", "sync", "sync"] as const;
    let n = 0;
    let done = 0;
    while (done < OPERATIONS) {
      const who = pick(members);
      const kind = pick(kinds);
      const marker = `op ${++n}`;
      switch (kind) {
        case "new-report": {
          const onto = codes.size > 0 && random() < 0.35 ? await readableCase(who) : undefined;
          const excluded = random() < 0.25 ? otherThan(who) : undefined;
          const r = await run(who, ["new-report", ...(onto ? ["--case", onto] : []), "--from", "-"], reportYaml(marker, excluded ? `exclude: [${excluded.name}]\n` : ""));
          if (r.code === 0) {
            const code = r.stdout.trim();
            codes.add(code);
            if (excluded) ban(code, excluded.name);
          }
          break;
        }
        case "review": {
          const code = await readableCase(who);
          if (!code) continue;
          const other = random() < 0.6 ? otherThan(who) : undefined;
          const assess = !other || random() < 0.5;
          const yaml = [
            ...(other ? [`conflicts:`, `  - { member: ${other.name}, conflict: true }`] : []),
            ...(assess ? [`assessment: { risk: ${pick(["low", "high"])}, impact: ${pick(["low", "high"])}, violation: unclear, rationale: "${marker}" }`] : []),
          ].join("\n");
          const r = await run(who, ["review", code, "--from", "-"], `${yaml}\n`);
          if (r.code === 0 && other) ban(code, other.name);
          break;
        }
        case "note": {
          const code = await readableCase(who);
          if (!code) continue;
          await run(who, ["note", code, "--from", "-"], `kind: other\ntext: ${marker}\n`);
          break;
        }
        case "recuse": {
          const code = await readableCase(who);
          if (!code) continue;
          const other = otherThan(who);
          const r = await run(who, ["recuse", code, other.name, "--yes"]);
          if (r.code === 0) ban(code, other.name);
          break;
        }
        case "share": {
          if (!daveEverAdded) continue;
          const code = await readableCase(who);
          if (!code) continue;
          await run(who, ["share", code, "dave", "--no-conflict", "--yes"]);
          break;
        }
        case "team-add": {
          const r = await run(who, ["team", "add", "dave", dave.memberKey]);
          if (r.code === 0) daveEverAdded = true;
          break;
        }
        case "team-remove": {
          if (!daveEverAdded) continue;
          await run(who, ["team", "remove", "dave", "--yes"]);
          break;
        }
        case "sync":
          await run(who, ["sync"]);
          break;
      }
      done++;
    }

    for (let round = 0; round < 2; round++) {
      for (const p of members) {
        const r = await run(p, ["sync"]);
        expect(r.code, `${p.name} final sync: ${r.stderr}\n${log.join("\n")}`).toBe(0);
      }
    }

    const dirs = members.map((p) => clones.get(p)!);
    const heads = dirs.map(head);
    expect(new Set(heads).size, log.join("\n")).toBe(1);
    for (const dir of dirs) {
      expect(w.git(dir, ["status", "--porcelain"])).toBe("");
      expect(existsSync(join(dir, ".git", "MERGE_HEAD"))).toBe(false);
      for (const f of written) expect(existsSync(join(dir, f)), `${f} missing in ${dir}`).toBe(true);
    }
    for (const dir of dirs) {
      for (const p of members) {
        const r = await w.run(["verify"], { as: p, cwd: dir, now: new Date(FIXED_NOW.getTime() + ++minute * 60_000) });
        expect(r.code, `verify as ${p.name} in ${dir}: ${r.stderr}${r.stdout}\n${log.join("\n")}`).toBe(0);
      }
    }

    // Who reads each case: what coc show reports to one of its readers; every file is readable by exactly them.
    const finalTeam = w.git(a, ["show", "HEAD:.coc/team.yaml"]);
    const daveOnTeam = /^\s*- name: dave$/m.test(finalTeam.split(/^former:/m)[0]!);
    const checkAge = hasAgeCli();
    for (const code of casesIn(a)) {
      let readers: string[] | undefined;
      for (const p of members) {
        const r = await w.run(["show", code, "--json"], { as: p, cwd: a, now: new Date(FIXED_NOW.getTime() + ++minute * 60_000) });
        if (r.code !== 0) continue;
        const shown = JSON.parse(r.stdout) as { records: { recipients: string[] }[] };
        if (shown.records.length === 0) continue;
        const sets = new Set(shown.records.map((x) => [...x.recipients].sort().join(",")));
        expect(sets.size, `${code}: records disagree on recipients: ${[...sets].join(" | ")}`).toBe(1);
        readers = [...sets][0]!.split(",");
        break;
      }
      expect(readers, `nobody can read ${code}`).toBeDefined();
      for (const name of banned.get(code) ?? []) expect(readers, `${name} may not read ${code}\n${log.join("\n")}`).not.toContain(name);
      if (!daveOnTeam) expect(readers, `dave was removed, yet reads ${code}`).not.toContain("dave");
      if (!checkAge) continue;
      for (const f of readdirSync(join(a, "cases", code))) {
        for (const p of everyone) {
          expect(ageDecrypts(join(a, "cases", code, f), p, w.env), `${p.name} and cases/${code}/${f} (readers: ${readers!.join(", ")})`).toBe(readers!.includes(p.name));
        }
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(`sync stress: ${OPERATIONS} operations, ${codes.size} cases, ${written.size} files, ${seconds.toFixed(1)} s (seed ${SEED})`);
  }, 120_000);
});

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), "..", ".."), "bin", "coc.js");

/** The built coc as `who` in `cwd`, with the world's environment only; resolves when it exits. */
function cocProcess(w: World, who: Person, cwd: string, argv: string[], stdin: string): Promise<RunResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...w.env, COC_IDENTITY: who.identityFile }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

describe("two coc processes writing in the same clone at once", () => {
  it("both records land, or one is refused cleanly; nothing lost, nothing left over", async () => {
    const w = (world = new World());
    const [alice, bob, carol] = [w.person("alice"), w.person("bob"), w.person("carol")] as [Person, Person, Person];
    const repo = await teamRepo(w, [alice, bob, carol]);
    const first = await w.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml("the first") });
    expect(first.code, first.stderr).toBe(0);
    const code = first.stdout.trim();
    const busy = /another coc command \(process \d+\) is changing this repository/;
    const files = () => new Set(readdirSync(join(repo, "cases")).flatMap((c) => readdirSync(join(repo, "cases", c)).map((f) => `${c}/${f}`)));
    let landed = 0;
    let refused = 0;
    for (let i = 0; i < 10; i++) {
      const before = files();
      const pair: { argv: string[]; stdin: string }[] =
        i === 5
          ? [
              { argv: ["note", code, "--from", "-", "--json"], stdin: `kind: other\ntext: pair ${i} a\n` },
              { argv: ["recuse", code, "carol", "--yes", "--json"], stdin: "" },
            ]
          : i % 2 === 0
            ? [
                { argv: ["new-report", "--from", "-", "--json"], stdin: reportYaml(`pair ${i} a`) },
                { argv: ["new-report", "--from", "-", "--json"], stdin: reportYaml(`pair ${i} b`) },
              ]
            : [
                { argv: ["note", code, "--from", "-", "--json"], stdin: `kind: other\ntext: pair ${i} a\n` },
                { argv: ["new-report", "--case", code, "--from", "-", "--json"], stdin: reportYaml(`pair ${i} b`) },
              ];
      const results = await Promise.all(pair.map((p, k) => cocProcess(w, k === 0 ? alice : bob, repo, p.argv, p.stdin)));
      const added = [...files()].filter((f) => !before.has(f));
      let wrote = 0;
      for (const [k, r] of results.entries()) {
        const what = `pair ${i}, ${pair[k]!.argv.join(" ")}: exit ${r.code}\n${r.stderr}`;
        expect(r.stderr, what).not.toMatch(/internal error/i);
        if (r.code === 0) {
          wrote++;
          const out = JSON.parse(r.stdout) as { case: string; id?: string };
          if (pair[k]!.argv[0] === "new-report") {
            const shown = await w.run(["show", out.case, "--json"], { as: alice, cwd: repo });
            expect(shown.code, shown.stderr).toBe(0);
            expect(shown.stdout, what).toContain(`pair ${i} ${k === 0 ? "a" : "b"}`);
          } else if (out.id) {
            expect(added, what).toContain(`${out.case}/${out.id}.age`);
          }
        } else {
          expect(r.code, what).toBe(1);
          expect(r.stderr, what).toMatch(busy);
          refused++;
        }
      }
      landed += wrote;
      // One file per record written (a recusal adds its declaration and re-encrypts the rest in place).
      expect(added.length, `pair ${i}: ${added.join(", ")}`).toBe(wrote);
      expect(existsSync(join(repo, ".git", "coc", "lock")), `pair ${i}: stale lock`).toBe(false);
      expect(existsSync(join(repo, ".git", "coc", "journal.json")), `pair ${i}: journal left`).toBe(false);
      expect(w.git(repo, ["status", "--porcelain"]), `pair ${i}`).toBe("");
    }
    for (const p of [alice, bob]) {
      // At the real time, as the processes above wrote (records dated weeks after the reader's clock wait).
      const v = await w.run(["verify"], { as: p, cwd: repo, now: new Date() });
      expect(v.code, `verify as ${p.name}: ${v.stderr}${v.stdout}`).toBe(0);
    }
    console.log(`same clone: ${landed} records written by 10 concurrent pairs, ${refused} refused as busy`);
  }, 120_000);
});
