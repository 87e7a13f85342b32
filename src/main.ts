/**
 * `main(argv, ctx) → exit code`: the whole CLI as a function, so tests drive
 * it in-process. All errors end here, in one place.
 */
import { isatty } from "node:tty";
import { CommanderError } from "commander";
import type { Context, Input, Output } from "./cli/context.js";
import { ExitCode } from "./cli/exit-codes.js";
import { escapeTerminal } from "./cli/output/escape.js";
import type { Prompter } from "./cli/prompts/prompter.js";

/** Runs coc with `argv` (without the node and script paths). */
export async function main(argv: readonly string[], ctx: Context): Promise<number> {
  const result = { code: 0 };
  const { buildProgram, namedCommand } = await import("./cli/program.js");
  const program = buildProgram(ctx, result, namedCommand(argv));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return result.code;
  } catch (e) {
    return handleError(e, ctx);
  }
}

async function handleError(e: unknown, ctx: Context): Promise<number> {
  if (e instanceof CommanderError) {
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return ExitCode.ok;
    // commander has already printed the message.
    return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  // Loaded only on failure: it brings in core (whose errors it translates), which `coc --help` never needs.
  const { describe } = await import("./cli/errors.js");
  const { lines, code } = describe(e, ctx.env["COC_DEBUG"] === "1");
  for (const line of lines) ctx.stderr.write(`${line}\n`);
  return code;
}

function output(stream: NodeJS.WriteStream): Output {
  return {
    write: (chunk) => void stream.write(chunk),
    get isTTY() {
      return Boolean(stream.isTTY);
    },
    get columns() {
      return stream.columns;
    },
  };
}

function input(streamOf: () => NodeJS.ReadStream): Input {
  return {
    get isTTY() {
      return isatty(0);
    },
    async readAll() {
      const chunks: Buffer[] = [];
      for await (const chunk of streamOf()) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString("utf8");
    },
    async readAllBytes(limit = Infinity) {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of streamOf()) {
        chunks.push(Buffer.from(chunk as Buffer));
        total += (chunk as Buffer).length;
        if (total > limit) break; // the caller refuses it as too large
      }
      return Buffer.concat(chunks);
    },
  };
}

/** A prompter that loads @inquirer/prompts only when the first question is asked. */
function lazyPrompter(env: Readonly<Record<string, string | undefined>>): Prompter {
  let real: Promise<Prompter> | undefined;
  const get = () => (real ??= import("./cli/prompts/inquirer.js").then((m) => new m.InquirerPrompter(env)));
  return {
    input: async (q) => (await get()).input(q),
    confirm: async (q) => (await get()).confirm(q),
    select: async (q) => (await get()).select(q),
    checkbox: async (q) => (await get()).checkbox(q),
    password: async (q) => (await get()).password(q),
    longText: async (q) => (await get()).longText(q),
    say: (text) => void process.stderr.write(`${escapeTerminal(text)}\n`),
  };
}

/** The context of the real process. */
export function processContext(): Context {
  // `coc list | head` closes the pipe early: that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  return {
    cwd: process.cwd(),
    env: process.env,
    // process.stdin is made only when read: most commands never read it, and making it costs a few milliseconds.
    stdin: input(() => process.stdin),
    stdout: output(process.stdout),
    stderr: output(process.stderr),
    prompter: lazyPrompter(process.env),
    now: () => new Date(),
    platform: process.platform,
  };
}
