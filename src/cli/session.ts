/**
 * What every command needs from the shell: the global flags resolved once,
 * whether prompting is allowed, output streams with their colour, the identity
 * unlocked once, the workspace, and `--from` input.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Context } from "../context.js";
import { CancelledError, UsageError, UserError } from "../errors.js";
import type { RecordDecrypter } from "../core/crypto/age.js";
import { loadIdentity, resolveIdentityPath } from "../core/crypto/identity.js";
import { parseYaml } from "../core/records/document.js";
import { describeDiff } from "../core/repo/trust.js";
import { Workspace } from "../core/repo/workspace.js";
import { paintFor, type Paint } from "./output/color.js";
import { escapeTerminal } from "./output/escape.js";

/** The global flags (DESIGN.md §4). */
export interface GlobalOptions {
  repo?: string;
  identity?: string;
  json?: boolean;
  /** false with --no-input. */
  input?: boolean;
  yes?: boolean;
  /** false with --no-color. */
  color?: boolean;
}

export class Session {
  readonly ctx: Context;
  readonly opts: GlobalOptions;
  /** Colour for stdout and for stderr, each decided for its own stream. */
  readonly out: Paint;
  readonly err: Paint;
  #decrypter: Promise<RecordDecrypter> | undefined;

  constructor(ctx: Context, opts: GlobalOptions) {
    this.ctx = ctx;
    this.opts = opts;
    this.out = paintFor(ctx.stdout, ctx.env, opts.color === false);
    this.err = paintFor(ctx.stderr, ctx.env, opts.color === false);
  }

  /** Prompts only happen with a terminal on stdin and stderr, and without --no-input. */
  get canPrompt(): boolean {
    return this.opts.input !== false && this.ctx.stdin.isTTY && this.ctx.stderr.isTTY;
  }

  get json(): boolean {
    return Boolean(this.opts.json);
  }

  /** Data, to stdout. */
  print(text: string): void {
    this.ctx.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** Machine output, to stdout. */
  printJson(value: unknown): void {
    this.ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Messages, to stderr. */
  info(text: string): void {
    this.ctx.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** A warning, to stderr; it often quotes values from the repository, so it is escaped for the terminal. */
  warn(text: string): void {
    this.info(`${this.err.yellow("warning:")} ${escapeTerminal(text)}`);
  }

  /**
   * Fails with a usage error naming the flags that would have answered the
   * questions, when prompting is not possible.
   */
  requirePrompting(command: string, flags: readonly string[]): void {
    if (this.canPrompt) return;
    const why = this.opts.input === false ? "with --no-input" : "when not running interactively (no terminal)";
    throw new UsageError(`${command}: ${flags.join(", ")} required ${why}`);
  }

  /**
   * Shows warnings and asks whether to go on anyway: --yes answers yes; in a
   * terminal the user is asked; otherwise it is a usage error naming --yes.
   * @throws CancelledError when the user says no.
   */
  async confirmWarnings(warnings: readonly string[], question: string): Promise<void> {
    if (warnings.length === 0) return;
    for (const w of warnings) this.warn(w);
    if (this.opts.yes) return;
    if (!this.canPrompt) throw new UsageError(`--yes required to go on despite the warning${warnings.length > 1 ? "s" : ""} above when not running interactively`);
    const ok = await this.ctx.prompter.confirm({ id: "confirm_warnings", message: question, default: false });
    if (!ok) throw new CancelledError();
  }

  /** The identity path in force: --identity, then COC_IDENTITY, then the default. */
  identityPath(): string {
    return resolveIdentityPath(this.opts.identity, this.ctx.env, this.ctx.cwd);
  }

  /** The caller's identity, read and unlocked once per process. */
  unlock(): Promise<RecordDecrypter> {
    this.#decrypter ??= loadIdentity({
      path: this.identityPath(),
      checkPermissions: this.ctx.platform !== "win32",
      askPassphrase: this.canPrompt
        ? (path) => this.ctx.prompter.password({ id: "passphrase", message: `Passphrase for ${path}` })
        : undefined,
    });
    return this.#decrypter;
  }

  /** Opens the repository: --repo, then COC_REPO, then the nearest ancestor holding .coc/. */
  async workspace(root?: string): Promise<Workspace> {
    const ws = await Workspace.open({
      cwd: this.ctx.cwd,
      repo: root ?? this.opts.repo ?? this.ctx.env["COC_REPO"],
      env: this.ctx.env,
      unlock: () => this.unlock(),
      trust: {
        confirm: async (diff) => {
          this.warn("the team roster changed since you last confirmed it:");
          for (const line of describeDiff(diff)) this.info(`  ${line}`);
          if (!this.canPrompt) return false;
          return this.ctx.prompter.confirm({ id: "trust_roster", message: "Did your team make this change? Trust this roster and encrypt to it?", default: false });
        },
        notice: (message) => this.info(message),
      },
      hooks: this.#faultHooks(),
      owner: {
        pid: process.pid,
        alive: (pid) => {
          try {
            process.kill(pid, 0);
            return true;
          } catch (e) {
            return (e as NodeJS.ErrnoException).code === "EPERM";
          }
        },
      },
    });
    if (ws.recovered === "completed") this.info("Finished a change that an interrupted coc command had already committed (its leftover temp files are removed).");
    if (ws.recovered === "in-progress") this.warn("another coc command is changing this repository right now; what is shown may be mid-change");
    if (ws.recovered === "rolled-back") this.warn("an earlier coc command was interrupted before it committed; its changes were undone and the repository is back to its state before it.");
    return ws;
  }

  /**
   * Fault injection for the tests of interrupted re-encryption (never set in
   * normal use): COC_TEST_KILL_AFTER_MOVES=N kills the process after N files
   * are moved into place; COC_TEST_KILL_AFTER_COMMIT=1 right after the commit.
   */
  #faultHooks(): { afterMove?: (i: number) => void; afterCommit?: () => void } | undefined {
    const moves = Number(this.ctx.env["COC_TEST_KILL_AFTER_MOVES"]);
    const commit = this.ctx.env["COC_TEST_KILL_AFTER_COMMIT"] === "1";
    if (!moves && !commit) return undefined;
    const kill = () => process.kill(process.pid, "SIGKILL");
    return {
      ...(moves ? { afterMove: (i: number) => i + 1 >= moves && kill() } : {}),
      ...(commit ? { afterCommit: kill } : {}),
    };
  }

  /** Reads a `--from` source (a file, or `-` for stdin) as YAML. */
  async readFrom(from: string): Promise<{ value: unknown; source: string }> {
    let text: string;
    let source: string;
    if (from === "-") {
      if (this.ctx.stdin.isTTY) throw new UsageError("--from - reads YAML from stdin, but stdin is a terminal; pipe a file in or pass --from <file>");
      text = await this.ctx.stdin.readAll();
      source = "stdin";
    } else {
      source = resolve(this.ctx.cwd, from);
      try {
        text = await readFile(source, "utf8");
      } catch {
        throw new UserError(`cannot read ${from}`);
      }
      source = from;
    }
    const value = parseYaml(text, source);
    if (value === null || value === undefined) throw new UserError(`${source}: empty document`);
    return { value, source };
  }
}
