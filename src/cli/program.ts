/**
 * The root command: global flags, the commands (each in its own file, its
 * work loaded only when it runs, so `coc --help` stays fast), and the help
 * topics for exit codes and environment variables.
 */
import { Command } from "commander";
import { define as announce } from "./commands/announce/index.js";
import { define as appeal } from "./commands/appeal/index.js";
import { define as bans } from "./commands/bans/index.js";
import { define as consent } from "./commands/consent/index.js";
import { define as attach } from "./commands/attach/index.js";
import { define as form } from "./commands/form/index.js";
import { define as openEvidence } from "./commands/open/index.js";
import { define as decide } from "./commands/decide/index.js";
import { define as demo } from "./commands/demo/index.js";
import { define as escalate } from "./commands/escalate/index.js";
import { define as exportCase } from "./commands/export/index.js";
import { define as followup } from "./commands/followup/index.js";
import { define as init } from "./commands/init/index.js";
import { define as keygen } from "./commands/keygen/index.js";
import { define as letter } from "./commands/letter/index.js";
import { define as list } from "./commands/list/index.js";
import { define as matrix } from "./commands/matrix/index.js";
import { define as newReport } from "./commands/new-report/index.js";
import { define as note } from "./commands/note/index.js";
import { define as oversight } from "./commands/oversight/index.js";
import { define as purge } from "./commands/purge/index.js";
import { define as recuse } from "./commands/recuse/index.js";
import { define as resolve } from "./commands/resolve/index.js";
import { define as review } from "./commands/review/index.js";
import { define as share } from "./commands/share/index.js";
import { define as show } from "./commands/show/index.js";
import { define as sync } from "./commands/sync/index.js";
import { define as team } from "./commands/team/index.js";
import { define as transparency } from "./commands/transparency/index.js";
import { define as trust } from "./commands/trust/index.js";
import { define as verify } from "./commands/verify/index.js";
import { define as whoami } from "./commands/whoami/index.js";
import type { Context } from "./context.js";
import type { Runner } from "./command.js";
import type { GlobalOptions } from "./io.js";

export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    error (bad input, unreadable record, wrong key, git failure)
  2    usage error (unknown option, missing flag when not interactive)
  130  cancelled (Ctrl+C)`;

export const ENVIRONMENT_HELP = `Environment:
  COC_IDENTITY     identity file (default: $XDG_CONFIG_HOME/coc/identity.txt)
  COC_REPO         repository directory (default: nearest ancestor holding .coc/)
  COC_DEBUG=1      show stack traces for internal errors
  COC_RAM_DIR      RAM directory for $EDITOR files and coc open (default: /dev/shm)
  COC_VIEWER       program coc open shows an evidence file with (default: xdg-open, open on macOS)
  COC_THREADS      worker threads for reading or encrypting many records (default: one per core, at most 4; 0: none)
  XDG_CONFIG_HOME  configuration directory (default: ~/.config)
  XDG_CACHE_HOME   where coc keeps its own compiled code, coc/ (default: ~/.cache; NODE_DISABLE_COMPILE_CACHE=1: none)
  VISUAL, EDITOR   editor for long text
  NO_COLOR         disable colour; FORCE_COLOR forces it`;

type Define = (program: Command, runner: Runner) => void;

/** Every command, by the name it defines (a test checks each name against what its `define` registers). */
export const COMMANDS: readonly (readonly [string, Define])[] = [
  ["keygen", keygen], ["whoami", whoami], ["init", init], ["team", team], ["trust", trust], ["new-report", newReport], ["list", list], ["show", show],
  ["note", note], ["decide", decide], ["followup", followup], ["resolve", resolve], ["review", review], ["recuse", recuse], ["sync", sync],
  ["verify", verify], ["matrix", matrix], ["announce", announce], ["letter", letter], ["demo", demo], ["purge", purge], ["share", share],
  ["transparency", transparency], ["attach", attach], ["open", openEvidence], ["form", form], ["oversight", oversight], ["escalate", escalate],
  ["appeal", appeal], ["export", exportCase], ["consent", consent], ["bans", bans],
];

/** Root options that take a value (the word after them is not a command). */
const VALUE_OPTIONS = new Set(["--repo", "--identity"]);
const FLAG_OPTIONS = new Set(["--json", "--no-input", "--yes", "--no-color"]);

/**
 * The command `argv` runs when its first word that is not a root option names
 * one exactly; undefined for anything else (help, the version, an unknown word
 * or option), which gets every command.
 */
export function namedCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (VALUE_OPTIONS.has(word)) i++;
    else if (!FLAG_OPTIONS.has(word) && ![...VALUE_OPTIONS].some((o) => word.startsWith(`${o}=`))) return COMMANDS.some(([name]) => name === word) ? word : undefined;
  }
  return undefined;
}

/**
 * Builds the program; `result.code` receives the exit code of the command that ran.
 * @param only define this command alone (the one argv names, see {@link namedCommand}):
 * commander parses and prints the same for it, without building the other 31.
 */
export function buildProgram(ctx: Context, result: { code: number }, only?: string): Command {
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

  const runner: Runner = {
    action(cmd, parse, load) {
      return async (...args: unknown[]) => {
        const options = parse(args.slice(0, -2));
        const [{ Io }, module] = await Promise.all([import("./io.js"), load()]);
        const code = await module.run(options, new Io(ctx, cmd.optsWithGlobals<GlobalOptions>()));
        result.code = typeof code === "number" ? code : 0;
      };
    },
  };

  for (const [name, define] of COMMANDS) if (only === undefined || name === only) define(program, runner);
  program.commands.forEach((c) => c.exitOverride().configureOutput(program.configureOutput()));
  return program;
}

