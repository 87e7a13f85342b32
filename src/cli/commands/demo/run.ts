/**
 * `coc demo [dir]`: builds the demo (src/demo/), then shows it as alex with
 * the real commands: the list, the matrix of one case, the transparency
 * report, the register of consequences and a list checked against it, the
 * acknowledgement letter, the letter with a behavioural plan, and what is
 * coming due; and says how to explore it further.
 */
import { join, resolve } from "node:path";
import type { Context, Output } from "../../context.js";
import { createDemo, DemoStepError, DemoWorld, type DemoResult } from "../../../demo/demo.js";
import { describe, UserError } from "../../errors.js";
import { Io } from "../../io.js";
import { templatesDir } from "../../paths.js";
import { runCheck as bansCheck, runList as bans } from "../bans/run.js";
import { run as letter } from "../letter/run.js";
import { run as list } from "../list/run.js";
import { run as matrix } from "../matrix/run.js";
import { run as transparency } from "../transparency/run.js";

export interface DemoOptions {
  dir: string;
}

export async function run(o: DemoOptions, io: Io): Promise<void> {
  const dir = resolve(io.ctx.cwd, o.dir);
  const world = new DemoWorld(dir, io.ctx.env, io.now());
  let result: DemoResult;
  try {
    result = await createDemo(world, { templatesDir: templatesDir(), checkPermissions: io.ctx.platform !== "win32" });
  } catch (e) {
    if (e instanceof DemoStepError) throw new UserError(e.message, describe(e.cause, debug(io)).lines);
    throw e;
  }
  if (io.json) io.printJson(result);
  else await show(io, world, result);

  const q = shellQuote;
  const announced = result.cases[2]!.case;
  const harassment = result.cases[3]!.case;
  io.info(
    [
      "",
      `The demo is in ${dir}: ${result.cases.length} fictional cases of "DemoConf 2026", a team of three (alex, bo, chris) and their throwaway identities in ${join(dir, "keys")}.`,
      "Explore it as alex (any name in it is made up):",
      `  cd ${q(dir)}; export COC_IDENTITY=${q(result.identities.alex)}`,
      "  coc list",
      `  coc show ${harassment}`,
      `  coc show ${result.cases[4]!.case}          # the reporter's consent first, and its later change`,
      "  coc bans --all --format csv",
      `  coc announce ${announced}`,
      `  coc letter ${harassment} --to reported`,
      "  coc transparency --format html --out ../report.html",
      `Delete it with: rm -rf ${q(dir)}`,
    ].join("\n"),
  );
}

/**
 * Runs `coc list`, `coc matrix <case>` and `coc transparency` as alex, in the
 * demo's repository and environment, their output on the user's stdout
 * under a `$ coc ...` heading; what they say on stderr is only shown when
 * one fails.
 */
async function show(io: Io, world: DemoWorld, result: DemoResult): Promise<void> {
  // The case from the public session: the reviewers' votes split, so its matrix shows the majority at work.
  const shown = result.cases[2]!.case;
  const joke = result.cases[0]!.case;
  const anonymous = result.cases[4]!.case;
  const commands: [string, (demoIo: Io) => Promise<number | void>, string?][] = [
    ["coc list", (d) => list({}, d)],
    [`coc matrix ${shown}`, (d) => matrix({ code: shown, format: "text" }, d)],
    ["coc transparency", (d) => transparency({ allow: [] }, d)],
    ["coc bans", (d) => bans({}, d)],
    ["coc bans check - < attendees.csv", (d) => bansCheck({ list: "-" }, d), ATTENDEES],
    [`coc letter ${anonymous} --to reporter --kind ack`, (d) => letter({ code: anonymous, to: "reporter", kind: "ack", sent: false, allow: [] }, d)],
    [`coc letter ${joke} --to reported`, (d) => letter({ code: joke, to: "reported", sent: false, allow: [] }, d)],
    [`coc letter ${anonymous} --to reported   # the reporter said no`, async (d) => refused(d, () => letter({ code: anonymous, to: "reported", sent: false, allow: [] }, d))],
    ["coc list --overdue", (d) => list({ overdue: true }, d)],
  ];
  let first = true;
  for (const [command, runIt, stdin] of commands) {
    io.ctx.stdout.write(`${first ? "" : "\n"}${io.out.bold(`$ ${command}`)}\n`);
    first = false;
    const err = capture();
    const ctx: Context = {
      cwd: world.dir,
      env: world.env("alex"),
      stdin: { isTTY: false, readAll: () => Promise.resolve(stdin ?? "") },
      stdout: io.ctx.stdout,
      stderr: err.stream,
      // Never asked: stdin is not a terminal, so the commands cannot prompt.
      prompter: io.ctx.prompter,
      now: () => world.time(0),
      platform: io.ctx.platform,
    };
    let code: number | void;
    try {
      code = await runIt(new Io(ctx, io.opts.color === false ? { color: false } : {}));
    } catch (e) {
      throw new UserError(`the demo failed at \`${command}\` (as alex); ${world.dir} is left as it was for a look`, describe(e, debug(io)).lines);
    }
    if (code) throw new UserError(`the demo failed at \`${command}\` (as alex); ${world.dir} is left as it was for a look`, err.text().split("\n").filter(Boolean));
  }
}

/** A fictional registration list: one of its people is in the register, written in capitals. */
const ATTENDEES = `name,email,ticket
Alexis Visitor,alexis@visitor.invalid,regular
PAT EXAMPLE,pat.other@mail.invalid,regular
Robin Guest,robin@guest.invalid,student
`;

/** Shows a refusal the demo expects (on stdout, as the user would see it on stderr), and fails if it was not refused. */
async function refused(io: Io, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    io.print(`coc: ${(e as Error).message}`);
    return;
  }
  throw new UserError("the demo expected a refusal");
}

/** COC_DEBUG=1: a failed step's details include its stack trace. */
function debug(io: Io): boolean {
  return io.ctx.env["COC_DEBUG"] === "1";
}

function capture(): { stream: Output; text: () => string } {
  const chunks: string[] = [];
  return { stream: { write: (c) => void chunks.push(c), isTTY: false }, text: () => chunks.join("") };
}

/** A path quoted for a POSIX shell when it needs to be. */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
