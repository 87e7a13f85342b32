/**
 * What every command gets from the shell: the global flags resolved once,
 * whether prompting is allowed, output streams with their colour, the clock,
 * and `--from` input. Data goes to stdout, messages to stderr.
 */
import { open } from "node:fs/promises";
import { resolve } from "node:path";
import type { Context } from "./context.js";
import { parseYaml } from "../core/index.js";
import { UsageError, UserError } from "./errors.js";
import { paintFor, type Paint } from "./output/color.js";
import { escapeTerminal, escapeTerminalLine } from "./output/escape.js";

/** The most a `--from` YAML file may hold: a report with a long account is a few KiB. */
const FROM_MAX_BYTES = 4 << 20;

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

export class Io {
  readonly ctx: Context;
  readonly opts: GlobalOptions;
  /** Colour for stdout and for stderr, each decided for its own stream. */
  readonly out: Paint;
  readonly err: Paint;

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

  /** The current time. */
  now(): Date {
    return this.ctx.now();
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

  /** Files that could not be read, one line each (names and reasons come from the repository: escaped). */
  problems(list: readonly { file: string; message: string }[]): void {
    for (const p of list) this.info(`${this.err.red("error:")} ${escapeTerminalLine(p.file)}: ${escapeTerminalLine(p.message)}`);
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
   * Reads a file, or stdin for `-`, as bytes (`flag` names the option in
   * messages), at most `max + 1` bytes: whatever is longer (a huge file, a
   * device that never ends) is cut there, for the caller's size check to refuse.
   * @throws UsageError for `-` when stdin is a terminal; UserError when the file cannot be read.
   */
  async readBytes(from: string, flag: string, max: number): Promise<{ bytes: Uint8Array; source: string }> {
    if (from === "-") {
      if (this.ctx.stdin.isTTY) throw new UsageError(`${flag} - reads stdin, but stdin is a terminal; pipe a file in or pass ${flag} <file>`);
      const stdin = this.ctx.stdin;
      return { bytes: stdin.readAllBytes ? await stdin.readAllBytes(max + 1) : new TextEncoder().encode(await stdin.readAll()), source: "stdin" };
    }
    let handle;
    try {
      handle = await open(resolve(this.ctx.cwd, from), "r");
    } catch {
      throw new UserError(`cannot read ${from}`);
    }
    try {
      const buffer = Buffer.alloc(Math.min(max + 1, 1 << 20));
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, max + 1 - total));
        if (bytesRead === 0) break;
        chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
        total += bytesRead;
        if (total > max) break;
      }
      return { bytes: Buffer.concat(chunks), source: from };
    } catch {
      throw new UserError(`cannot read ${from}`);
    } finally {
      await handle.close();
    }
  }

  /** Reads a `--from` source (a file, or `-` for stdin) as YAML, at most {@link FROM_MAX_BYTES} (a device that never ends is cut there and refused). */
  async readFrom(from: string): Promise<{ value: unknown; source: string }> {
    if (from === "-" && this.ctx.stdin.isTTY) throw new UsageError("--from - reads YAML from stdin, but stdin is a terminal; pipe a file in or pass --from <file>");
    const { bytes, source } = await this.readBytes(from, "--from", FROM_MAX_BYTES);
    if (bytes.length > FROM_MAX_BYTES) throw new UserError(`${source}: larger than ${FROM_MAX_BYTES / (1 << 20)} MiB, the limit for a --from file; nothing was read`);
    const text = new TextDecoder().decode(bytes);
    const value = parseYaml(text, source);
    if (value === null || value === undefined) throw new UserError(`${source}: empty document`);
    return { value, source };
  }
}
