/**
 * Test worlds built from scratch: a temporary HOME, test-only identities, an
 * environment that never includes the developer's own (process.env is never
 * spread), and an in-process runner for `main`.
 *
 * Setting a world up through the CLI costs seconds, so a setup many tests
 * share (a team repository, a few cases) is built once per test run as a
 * template (`fromTemplate`) and each test gets its own copy of it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { inject } from "vitest";
import type { Context, Output } from "../../src/cli/context.js";
import { generateIdentity, RecordDecrypter } from "../../src/core/crypto/age.js";
import { identityFileText } from "../../src/core/crypto/identity.js";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { main } from "../../src/main.js";
import type { Prompter } from "../../src/cli/prompts/prompter.js";
import { ScriptedPrompter } from "./prompter.js";

export const FIXED_NOW = new Date("2026-06-01T14:05:00Z");

/** The git binary's directory and the basics git needs; nothing from the developer's environment. */
export function baseEnv(home: string): Record<string, string> {
  return {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    GIT_CONFIG_NOSYSTEM: "1",
    LANG: "C.UTF-8",
    TZ: "UTC",
    NO_COLOR: "1",
  };
}

export interface Person {
  name: string;
  identity: string;
  recipient: string;
  /** The identity file (mode 0600). */
  identityFile: string;
  /** Their public signing key (`ssh-ed25519 AAAA…`), derived from the identity. */
  signingKey: string;
  /** What `coc keygen` / `coc whoami` print: the recipient and the signing key, one line. */
  memberKey: string;
}

/**
 * A fresh directory in /dev/shm, for COC_RAM_DIR: coc refuses one that is not
 * on a RAM file system (the temp directory is often on disk). The caller removes it.
 */
export function ramTestDir(): string {
  return mkdtempSync(join("/dev/shm", "coc-test-ram-"));
}

/** A temporary world: a root dir, a HOME, and helpers to make people and run coc. */
export class World {
  readonly root: string;
  readonly home: string;
  readonly env: Record<string, string>;

  /** A fresh temporary directory, or `root` (which must not exist yet). */
  constructor(root?: string) {
    if (root) mkdirSync(root, { recursive: false });
    this.root = root ?? mkdtempSync(join(tmpdir(), "coc-test-"));
    this.home = join(this.root, "home");
    mkdirSync(this.home, { recursive: true });
    this.env = baseEnv(this.home);
  }

  /**
   * A person with a test-only identity in their own file (`keys/<name>.txt`,
   * mode 0600). The identity is made fresh for each test run and is the same
   * for a name in every world of the run, so templates built with it fit.
   */
  person(name: string): Person {
    const { identity, recipient, text } = pooledIdentity(name);
    const dir = join(this.root, "keys");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const identityFile = join(dir, `${name}.txt`);
    writeFileSync(identityFile, text, { mode: 0o600 });
    chmodSync(identityFile, 0o600);
    const signingKey = signingKeyFromIdentity(identity).publicKey;
    return { name, identity, recipient, identityFile, signingKey, memberKey: `${recipient} ${signingKey}` };
  }

  /** Runs coc in-process as `who` (their identity) in `cwd`. */
  async run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
    const out = capture(opts.tty ?? false);
    const err = capture(opts.tty ?? false);
    const env = { ...this.env, ...(opts.as ? { COC_IDENTITY: opts.as.identityFile } : {}), ...(opts.env ?? {}) };
    const prompter = opts.prompter ?? new ScriptedPrompter({});
    const ctx: Context = {
      cwd: opts.cwd ?? this.root,
      env,
      stdin: { isTTY: opts.tty ?? false, readAll: async () => opts.stdin ?? "" },
      stdout: out.stream,
      stderr: err.stream,
      prompter,
      now: () => opts.now ?? FIXED_NOW,
      platform: process.platform,
    };
    const code = await main(argv, ctx);
    return { code, stdout: out.text(), stderr: err.text() };
  }

  /** Runs git in `cwd` with the world's environment. */
  git(cwd: string, args: string[]): string {
    return execFileSync("git", args, { cwd, env: this.env, encoding: "utf8", timeout: 60_000 });
  }

  /** Runs git and returns raw bytes. */
  gitBytes(cwd: string, args: string[]): Buffer {
    return execFileSync("git", args, { cwd, env: this.env, maxBuffer: 1 << 28, timeout: 60_000 });
  }

  readonly #rams: string[] = [];

  /** A fresh directory on a RAM file system for COC_RAM_DIR (see {@link ramTestDir}), removed by {@link cleanup}. */
  ram(): string {
    const dir = ramTestDir();
    this.#rams.push(dir);
    return dir;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
    for (const dir of this.#rams) rmSync(dir, { recursive: true, force: true });
  }
}

export interface RunOptions {
  as?: Person;
  cwd?: string;
  tty?: boolean;
  prompter?: Prompter;
  stdin?: string;
  now?: Date;
  env?: Record<string, string>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(isTTY: boolean): { stream: Output; text: () => string } {
  const chunks: string[] = [];
  return { stream: { write: (c) => void chunks.push(c), isTTY, columns: 80 }, text: () => chunks.join("") };
}

/** How many files under `<repo>/cases` `who` can decrypt (with coc's own reader). */
export async function filesReadableBy(repo: string, who: Person): Promise<number> {
  const d = await RecordDecrypter.fromIdentities([who.identity]);
  let n = 0;
  const root = join(repo, "cases");
  if (!existsSync(root)) return 0;
  for (const c of readdirSync(root)) {
    for (const f of readdirSync(join(root, c))) {
      try {
        await d.decrypt(readFileSync(join(root, c, f)));
        n++;
      } catch {
        // not for them
      }
    }
  }
  return n;
}

/** True when the real `age` CLI, with `who`'s identity, decrypts `file`. */
export function ageDecrypts(file: string, who: Person, env: Record<string, string>): boolean {
  return spawnSync("age", ["-d", "-i", who.identityFile, file], { env }).status === 0;
}

/** True when the real `age` CLI is installed. */
export function hasAgeCli(): boolean {
  return spawnSync("age", ["--version"], { encoding: "utf8" }).status === 0;
}

/**
 * A repository in `<world>/repo` with the given team (the first person runs
 * init and adds the others), with the lead's roster pin in the world's HOME.
 * Built through the CLI once per run and team, and copied (see `fromTemplate`).
 */
export async function teamRepo(world: World, people: Person[]): Promise<string> {
  const key = `team ${people.map((p) => `${p.name}=${p.recipient}`).join(" ")}`;
  // Only people from World.person can be made again in the template world.
  if (people.some((p) => pooledIdentity(p.name).recipient !== p.recipient)) return teamRepoThroughCli(world, people);
  return fromTemplate(world, key, (t) => teamRepoThroughCli(t, people.map((p) => t.person(p.name))));
}

/** `teamRepo` without the template: `coc init` and one `coc team add` per other member, in `world`. */
export async function teamRepoThroughCli(world: World, people: Person[]): Promise<string> {
  const repo = join(world.root, "repo");
  const [lead, ...others] = people;
  const init = await world.run(["init", repo, "--event", "Test Conf 2026", "--member", lead!.name, "--contact", "care@example.org"], { as: lead });
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  for (const p of others) {
    const r = await world.run(["team", "add", p.name, p.memberKey], { as: lead, cwd: repo });
    if (r.code !== 0) throw new Error(`team add failed: ${r.stderr}`);
  }
  return repo;
}

/** A fresh world with these people and their team repository (the first is the lead). */
export async function teamWorld(...names: string[]): Promise<{ world: World; people: Person[]; repo: string }> {
  const world = new World();
  const people = names.map((n) => world.person(n));
  return { world, people, repo: await teamRepo(world, people) };
}

/**
 * alice (lead), bob and carol; alice's repository with one case pushed to a
 * bare remote, and bob's clone of it.
 */
export async function teamWithRemote(): Promise<{ world: World; alice: Person; bob: Person; carol: Person; origin: string; a: string; b: string; code: string }> {
  const world = new World();
  const [alice, bob, carol] = [world.person("alice"), world.person("bob"), world.person("carol")];
  const a = await teamRepo(world, [alice, bob, carol]);
  const origin = join(world.root, "origin.git");
  world.git(world.root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
  world.git(a, ["remote", "add", "origin", origin]);
  const report = await world.run(["new-report", "--from", "-"], { as: alice, cwd: a, stdin: reportYaml("the case") });
  if (report.code !== 0) throw new Error(`new-report failed: ${report.stderr}`);
  world.git(a, ["push", "--quiet", "-u", "origin", "main"]);
  const b = join(world.root, "bob");
  world.git(world.root, ["clone", "--quiet", origin, b]);
  return { world, alice, bob, carol, origin, a, b, code: report.stdout.trim() };
}

/** A minimal valid report body as YAML, with `marker` in the text. */
export function reportYaml(marker = "nothing special", extra = ""): string {
  return `channel: in-person
reporter:
  name: Sam Reporter
  contact: sam@example.org
incident:
  summary: Unwanted comments at the social (${marker})
  description: |
    The reporter said: ${marker}.
  people:
    - name: Pat Example
      role: reported
${extra}`;
}

// ------------------------------------------------------------------ templates

let privateCache: string | undefined;

/** The run's cache directory (made by global-setup.ts), or one for this process when run without it. */
function cacheRoot(): string {
  const shared = inject("cocTestCache");
  if (shared) return shared;
  if (!privateCache) {
    const dir = mkdtempSync(join(tmpdir(), "coc-test-cache-"));
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
    privateCache = dir;
  }
  return privateCache;
}

const identities = new Map<string, { identity: string; recipient: string; text: string }>();

/** The run's identity for `name`: made by whichever worker asks first, then read by all. */
function pooledIdentity(name: string): { identity: string; recipient: string; text: string } {
  const known = identities.get(name);
  if (known) return known;
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(name)) throw new Error(`test person name must be a plain word: ${name}`);
  const dir = join(cacheRoot(), "people");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${name}.txt`);
  if (!existsSync(file)) {
    const { identity, recipient } = generateIdentity();
    const temp = `${file}.${process.pid}-${randomBytes(4).toString("hex")}`;
    writeFileSync(temp, identityFileText(identity, recipient, FIXED_NOW), { mode: 0o600 });
    try {
      linkSync(temp, file); // atomic: fails when another worker made it first
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      rmSync(temp);
    }
  }
  const text = readFileSync(file, "utf8");
  const recipient = /^# public key: (age1[a-z0-9]+)$/m.exec(text)?.[1];
  const identity = text.split("\n").find((l) => l !== "" && !l.startsWith("#"));
  if (!recipient || !identity) throw new Error(`unreadable pooled identity ${file}`);
  const entry = { identity, recipient, text };
  identities.set(name, entry);
  return entry;
}

interface TemplateMeta {
  label: string;
  /** The root the template world was built in: copies replace it with their own. */
  builtIn: string;
  /** Files (relative to the world) that hold `builtIn` and are rewritten in each copy. */
  rewrite: string[];
  state: unknown;
}

const templates = new Map<string, Promise<string>>();

/**
 * Gives `world` its own copy of a world that `build` set up once per test run
 * (per `label` and source of `build`: the label must name whatever else the
 * setup depends on, such as the team's identities). `build` gets
 * an empty template world and returns the state the tests need (JSON; any
 * path inside the template world in it becomes the same path in `world`).
 *
 * A copy is independent: its own files, git repositories, HOME and keys, with
 * modes kept (cpSync). Nothing in it may point back at the template: paths of
 * the template are allowed only in git's own files (a clone's remote URL, its
 * reflog), which are rewritten in the copy; anywhere else building fails.
 * Top-level entries other than `home` and `keys` must not exist in `world` yet.
 */
export async function fromTemplate<T>(world: World, label: string, build: (template: World) => Promise<T>): Promise<T> {
  // The build's own source is part of the key, so two setups given the same label never share a template.
  const key = `${label}\n${build.toString()}`;
  let dir = templates.get(key);
  if (!dir) {
    dir = buildTemplate(key, label, build);
    templates.set(key, dir);
    dir.catch(() => templates.delete(key));
  }
  const root = await dir;
  const meta = JSON.parse(readFileSync(join(root, "meta.json"), "utf8")) as TemplateMeta;
  const source = join(root, "world");
  for (const entry of readdirSync(source)) {
    if (entry !== "home" && entry !== "keys" && existsSync(join(world.root, entry))) throw new Error(`fromTemplate(${label}): ${entry} already exists in the world`);
  }
  // force: false keeps what the world already has (its own keys, anything in its HOME).
  cpSync(source, world.root, { recursive: true, force: false });
  // Node 24's cpSync creates directories with the default mode: give each the template's.
  copyDirModes(source, world.root);
  for (const rel of meta.rewrite) {
    const path = join(world.root, rel);
    writeFileSync(path, readFileSync(path, "utf8").replaceAll(meta.builtIn, world.root));
  }
  return JSON.parse(JSON.stringify(meta.state).replaceAll(meta.builtIn, world.root)) as T;
}

/** Sets the mode of every directory under `to` to that of the same directory under `from`. */
function copyDirModes(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const [src, dst] = [join(from, entry.name), join(to, entry.name)];
    if (!existsSync(dst)) continue;
    chmodSync(dst, lstatSync(src).mode & 0o7777);
    copyDirModes(src, dst);
  }
}

async function buildTemplate<T>(key: string, label: string, build: (template: World) => Promise<T>): Promise<string> {
  const dir = join(cacheRoot(), "templates");
  mkdirSync(dir, { recursive: true });
  const final = join(dir, createHash("sha256").update(key).digest("hex").slice(0, 20));
  if (existsSync(join(final, "meta.json"))) return final;
  // Built once per run and worker at most (workers racing on a key each build; the first rename wins).
  const building = `${final}.${process.pid}-${randomBytes(4).toString("hex")}`;
  mkdirSync(building);
  const template = new World(join(building, "world"));
  const state = await build(template);
  const rewrite = filesHolding(template.root, template.root).map((path) => relative(template.root, path));
  const stray = rewrite.filter((rel) => !/(^|\/)\.git\/(?!index$|objects\/)/.test(rel));
  if (stray.length > 0) throw new Error(`fromTemplate(${label}): ${stray.join(", ")} hold the template's absolute path; a copy would refer back to it`);
  const meta: TemplateMeta = { label, builtIn: template.root, rewrite, state };
  writeFileSync(join(building, "meta.json"), JSON.stringify(meta, null, 2));
  try {
    renameSync(building, final);
  } catch (e) {
    // Another worker built the same template first: use theirs.
    if (!["EEXIST", "ENOTEMPTY"].includes((e as NodeJS.ErrnoException).code ?? "")) throw e;
    rmSync(building, { recursive: true, force: true });
  }
  return final;
}

/** Every file under `dir` (git objects aside: compressed, and never holding a work-tree path) whose bytes contain `text`. */
function filesHolding(dir: string, text: string): string[] {
  const needle = Buffer.from(text);
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    const stat = lstatSync(path);
    if (stat.isDirectory()) return entry === "objects" && dir.endsWith(".git") ? [] : filesHolding(path, text);
    return stat.isFile() && readFileSync(path).includes(needle) ? [path] : [];
  });
}
