/**
 * The root command: global flags, the commands (each in its own file, its
 * work loaded only when it runs, so `coc --help` stays fast), and the help
 * topics for exit codes and environment variables.
 */
import { Command, Option } from "commander";
import type { Context } from "../context.js";
import type { GlobalOptions, Session } from "./session.js";

/** What a command's action does once its session is ready; returns the exit code. */
export type Run = (session: Session) => Promise<number | void>;

/** Shared by all command files: wraps a run function so it gets a session. */
export interface Registrar {
  ctx: Context;
  /** Builds the action handler for `cmd`; `body` receives the session and the parsed arguments. */
  action<A extends unknown[]>(cmd: Command, body: (session: Session, ...args: A) => Promise<number | void>): (...args: unknown[]) => Promise<void>;
}

export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    error (bad input, unreadable record, wrong key, git failure)
  2    usage error (unknown option, missing flag when not interactive)
  130  cancelled (Ctrl+C)`;

export const ENVIRONMENT_HELP = `Environment:
  COC_IDENTITY     identity file (default: $XDG_CONFIG_HOME/coc/identity.txt)
  COC_REPO         repository directory (default: nearest ancestor holding .coc/)
  COC_DEBUG=1      show stack traces for internal errors
  COC_RAM_DIR      RAM directory for $EDITOR files (default: /dev/shm)
  XDG_CONFIG_HOME  configuration directory (default: ~/.config)
  VISUAL, EDITOR   editor for long text
  NO_COLOR         disable colour; FORCE_COLOR forces it`;

/** Builds the program; `result.code` receives the exit code of the command that ran. */
export async function buildProgram(ctx: Context, result: { code: number }): Promise<Command> {
  const program = new Command("coc");
  program
    .description("Code of Conduct incident records, age-encrypted in a git repository.")
    .version("0.1.0", "-V, --version")
    .option("--repo <dir>", "the incident repository (default: nearest ancestor holding .coc/; env COC_REPO)")
    .option("--identity <file>", "your age identity file (env COC_IDENTITY; default $XDG_CONFIG_HOME/coc/identity.txt)")
    .option("--json", "machine-readable output on stdout")
    .option("--no-input", "never prompt; fail naming the missing flags instead")
    .option("--yes", "answer yes to confirmations")
    .option("--no-color", "no colour (also NO_COLOR)")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", `\n${EXIT_CODES_HELP}\n\n${ENVIRONMENT_HELP}\n`)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, "coc: ")),
    })
    .exitOverride();

  const registrar: Registrar = {
    ctx,
    action(cmd, body) {
      return async (...args: unknown[]) => {
        const { Session } = await import("./session.js");
        const opts = cmd.optsWithGlobals<GlobalOptions>();
        const code = await body(new Session(ctx, opts), ...(args.slice(0, -2) as never));
        result.code = typeof code === "number" ? code : 0;
      };
    },
  };

  const commands = await Promise.all([
    import("./commands/keygen.js"),
    import("./commands/init.js"),
    import("./commands/team.js"),
    import("./commands/new-report.js"),
    import("./commands/list.js"),
    import("./commands/show.js"),
    import("./commands/note.js"),
    import("./commands/decide.js"),
    import("./commands/followup.js"),
    import("./commands/resolve.js"),
    import("./commands/review.js"),
    import("./commands/recuse.js"),
    import("./commands/sync.js"),
    import("./commands/verify.js"),
    import("./commands/matrix.js"),
    import("./commands/announce.js"),
    import("./commands/letter.js"),
    import("./commands/demo.js"),
    import("./commands/purge.js"),
    import("./commands/share.js"),
    import("./commands/transparency.js"),
  ]);
  for (const c of commands) c.register(program, registrar);
  program.commands.forEach((c) => c.exitOverride().configureOutput(program.configureOutput()));
  return program;
}

export { Option };
