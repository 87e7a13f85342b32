/**
 * Test worlds built from scratch: a temporary HOME, test-only identities, an
 * environment that never includes the developer's own (process.env is never
 * spread), and an in-process runner for `main`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context, Output } from "../../src/cli/context.js";
import { generateIdentity } from "../../src/core/crypto/age.js";
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

/** A temporary world: a root dir, a HOME, and helpers to make people and run coc. */
export class World {
  readonly root: string;
  readonly home: string;
  readonly env: Record<string, string>;

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), "coc-test-"));
    this.home = join(this.root, "home");
    mkdirSync(this.home, { recursive: true });
    this.env = baseEnv(this.home);
  }

  /** A person with a fresh test-only identity in their own file. */
  person(name: string): Person {
    const { identity, recipient } = generateIdentity();
    const dir = join(this.root, "keys");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const identityFile = join(dir, `${name}.txt`);
    writeFileSync(identityFile, identityFileText(identity, recipient, FIXED_NOW), { mode: 0o600 });
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

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
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

/** True when the real `age` CLI is installed. */
export function hasAgeCli(): boolean {
  return spawnSync("age", ["--version"], { encoding: "utf8" }).status === 0;
}

/**
 * A repository in `<world>/repo` with the given team (the first person runs
 * init and adds the others).
 */
export async function teamRepo(world: World, people: Person[]): Promise<string> {
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
