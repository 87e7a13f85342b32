/**
 * Evidence files: attach (metadata removed, name kept only inside the
 * encrypted record), show, open, and every re-encryption path (recusal, team
 * remove) treating them like records; verify naming a replaced file.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, ageDecrypts, fromTemplate, hasAgeCli, reportYaml, teamRepo, type Person } from "../helpers/env.js";
import { GPS_MARKER, decodesAsJpeg, jpegWithGps } from "../helpers/images.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let repo: string;
let code: string;

async function ok(argv: string[], who: Person, opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<{ stdout: string; stderr: string }> {
  const r = await world.run(argv, { as: who, cwd: repo, ...opts });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

beforeEach(async () => {
  world = new World();
  [alice, bob, carol] = [world.person("alice"), world.person("bob"), world.person("carol")];
  ({ repo, code } = await fromTemplate(world, "evidence.test: alice, bob, carol and one case", async (t) => {
    const repo = await teamRepo(t, [t.person("alice"), t.person("bob"), t.person("carol")]);
    const r = await t.run(["new-report", "--from", "-"], { as: t.person("alice"), cwd: repo, stdin: reportYaml("evidence case") });
    if (r.code !== 0) throw new Error(r.stderr);
    return { repo, code: r.stdout.trim() };
  }));
});
afterEach(() => world.cleanup());

const evidenceFiles = () => readdirSync(join(repo, "cases", code)).filter((f) => f.endsWith(".file.age")).map((f) => join(repo, "cases", code, f));
const ageOut = (file: string, who: Person) => spawnSync("age", ["-d", "-i", who.identityFile, file], { env: world.env }).stdout;

function photo(name = "IMG_2041 at Sam's flat.jpg"): string {
  const dir = join(world.root, "downloads");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, jpegWithGps());
  return file;
}

describe.skipIf(!hasAgeCli())("coc attach", () => {
  it("encrypts the photo without its metadata, to the case's readers, and keeps the name only inside the record", async () => {
    const r = await ok(["attach", code, photo(), "--description", "the DM screenshot"], alice);
    expect(r.stderr).toMatch(/removed EXIF\/XMP, IPTC, comment before encrypting/);
    const [file] = evidenceFiles();
    expect(file).toBeDefined();
    const plain = ageOut(file!, bob);
    expect(plain.subarray(0, 2).toString("hex")).toBe("ffd8");
    expect(decodesAsJpeg(plain)).toBe(true);
    expect(plain.includes(Buffer.from("Exif"))).toBe(false);
    expect(plain.includes(Buffer.from(GPS_MARKER))).toBe(false);
    // The original name is nowhere in the repository's files, names or history.
    const log = spawnSync("git", ["log", "--all", "--name-only", "--format=%B"], { cwd: repo, env: world.env, encoding: "utf8" }).stdout;
    expect(log).not.toContain("IMG_2041");
    expect(spawnSync("grep", ["-rl", "IMG_2041", repo], { encoding: "utf8" }).stdout).toBe("");
    const shown = await ok(["show", code], bob);
    expect(shown.stdout).toMatch(/Evidence \(coc open <case> <n>\):/);
    expect(shown.stdout).toMatch(/1\s+IMG_2041 at Sam's flat\.jpg\s+image\/jpeg\s+[\d.]+ kB\s+the DM screenshot/);
    const json = JSON.parse((await ok(["show", code, "--json"], bob)).stdout) as { records: { type: string; body: { sha256: string; added_by: string } }[] };
    const ev = json.records.find((x) => x.type === "evidence")!;
    expect(ev.body.sha256).toBe(createHash("sha256").update(plain).digest("hex"));
    expect(ev.body.added_by).toBe("alice");
  });

  it("keeps the metadata only with --keep-metadata, and says so", async () => {
    const r = await ok(["attach", code, photo(), "--keep-metadata"], alice);
    expect(r.stderr).toMatch(/metadata kept as asked/);
    expect(ageOut(evidenceFiles()[0]!, alice).includes(Buffer.from(GPS_MARKER))).toBe(true);
  });

  it("refuses a file over the size cap with one line, storing nothing", async () => {
    const big = join(world.root, "big.bin");
    writeFileSync(big, Buffer.alloc(26_000_000, 1));
    const r = await world.run(["attach", code, big], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/big\.bin is 26\.0 MB, over the 25\.0 MB limit/);
    expect(evidenceFiles()).toHaveLength(0);
  });

  it("a recused member can decrypt no evidence file of the case; the others still can", async () => {
    await ok(["attach", code, photo("a.jpg"), photo("b.jpg")], alice);
    expect(evidenceFiles()).toHaveLength(2);
    for (const f of evidenceFiles()) expect(ageDecrypts(f, bob, world.env)).toBe(true);
    await ok(["recuse", code, "bob"], alice);
    for (const f of evidenceFiles()) {
      expect(ageDecrypts(f, bob, world.env)).toBe(false);
      expect(ageDecrypts(f, carol, world.env)).toBe(true);
    }
    await ok(["verify"], alice);
  });

  it("a further report that excludes a member re-encrypts the evidence files without them", async () => {
    await ok(["attach", code, photo()], alice);
    await ok(["new-report", "--case", code, "--from", "-"], alice, { stdin: reportYaml("second report", "exclude: [carol]\n") });
    for (const f of evidenceFiles()) {
      expect(ageDecrypts(f, carol, world.env)).toBe(false);
      expect(ageDecrypts(f, bob, world.env)).toBe(true);
    }
  });

  it("after team remove, the removed member decrypts none of them", async () => {
    await ok(["attach", code, photo()], alice);
    await ok(["team", "remove", "carol", "--yes"], alice);
    for (const f of evidenceFiles()) {
      expect(ageDecrypts(f, carol, world.env)).toBe(false);
      expect(ageDecrypts(f, bob, world.env)).toBe(true);
    }
  });

  it("verify names an evidence file whose content is not what its record says", async () => {
    await ok(["attach", code, photo()], alice);
    const [file] = evidenceFiles();
    const other = spawnSync("age", ["-r", alice.recipient, "-r", bob.recipient, "-r", carol.recipient], { input: "not the photo", env: world.env }).stdout;
    writeFileSync(file!, other);
    const r = await world.run(["verify"], { as: alice, cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/file\.age.*is not what its evidence record .* names/);
    const opened = await world.run(["open", code, "1", "--print-path"], { as: alice, cwd: repo });
    expect(opened.code).toBe(1);
    expect(opened.stderr).toMatch(/not the file its evidence record names/);
  });

  it("open decrypts into a private RAM directory for the viewer and removes it afterwards", async () => {
    await ok(["attach", code, photo()], alice);
    const ram = world.ram();
    const seen = join(world.root, "seen.txt");
    const viewer = join(world.root, "viewer.sh");
    writeFileSync(viewer, `#!/bin/sh\nstat -c '%a' "$(dirname "$1")" > "${seen}"\nsha256sum < "$1" >> "${seen}"\nbasename "$1" >> "${seen}"\n`);
    chmodSync(viewer, 0o755);
    await ok(["open", code, "1"], alice, { env: { COC_VIEWER: viewer, COC_RAM_DIR: ram } });
    const [mode, sum, name] = readFileSync(seen, "utf8").trim().split("\n");
    expect(mode).toBe("700");
    expect(sum).toContain(createHash("sha256").update(ageOut(evidenceFiles()[0]!, alice)).digest("hex"));
    expect(name).toBe("evidence-1.jpg");
    expect(readdirSync(ram)).toEqual([]);
    expect(existsSync(join(ram, "x"))).toBe(false);
  });
});
