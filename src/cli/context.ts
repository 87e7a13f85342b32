import type { Prompter } from "./prompts/prompter.js";

/** A place coc writes to: stdout or stderr, with what we know about its terminal. */
export interface Output {
  write(chunk: string): void;
  /** True when the stream is an interactive terminal. */
  readonly isTTY: boolean;
  /** Columns of the terminal, when known. */
  readonly columns?: number | undefined;
}

/** Where coc reads piped input (`--from -`) from. */
export interface Input {
  readonly isTTY: boolean;
  /** Reads everything until end of file. */
  readAll(): Promise<string>;
  /** Reads everything until end of file (or until more than `limit` bytes arrived), as bytes (binary input such as an age file); readAll's text when absent. */
  readAllBytes?(limit?: number): Promise<Uint8Array>;
}

/**
 * The outside world of one coc invocation. Commands receive it; `src/core/`
 * never sees it (core functions take explicit values), so a second front end
 * can build its own.
 */
export interface Context {
  readonly cwd: string;
  /** The environment, built from scratch in tests: never spread process.env there. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: Input;
  readonly stdout: Output;
  readonly stderr: Output;
  /** Asks questions; only used when `canPrompt` holds. */
  readonly prompter: Prompter;
  /** The current time (fixed in tests). */
  now(): Date;
  /** The platform, for permission checks that only make sense on POSIX. */
  readonly platform: NodeJS.Platform;
}
