/**
 * How a command is put together (gh's NewCmdX / xRun): its `index.ts`
 * declares the command and its flags and turns them into an options object;
 * its `run.ts`, loaded only when the command runs, does the work with
 * `run(options, io)`.
 */
import type { Command } from "commander";
import type { Io } from "./io.js";

/** A command's run module. */
export interface RunModule<O> {
  run(options: O, io: Io): Promise<number | void>;
}

/** Handed to every command's `define`: builds its commander action. */
export interface Runner {
  /**
   * The action of `cmd`: `parse` turns the positional arguments (and
   * `cmd.opts()`, read inside it) into options; then `load` brings the run
   * module and runs it.
   */
  action<O>(cmd: Command, parse: (args: unknown[]) => O, load: () => Promise<RunModule<O>>): (...args: unknown[]) => Promise<void>;
}
