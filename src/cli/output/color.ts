/**
 * Colour, decided in one place. chalk alone does not honour NO_COLOR, so the
 * level comes from --no-color, NO_COLOR, FORCE_COLOR and whether the stream
 * is a terminal.
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { Output } from "../context.js";

export type Paint = ChalkInstance;

/** The colour level for `stream`: 0 (none) unless it is a terminal and nothing forbids colour. */
export function colorLevel(stream: Output, env: Readonly<Record<string, string | undefined>>, noColorFlag: boolean): 0 | 1 | 2 | 3 {
  if (noColorFlag) return 0;
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return 0;
  const force = env["FORCE_COLOR"];
  if (force !== undefined) {
    if (force === "0" || force === "false") return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  if (!stream.isTTY) return 0;
  if (env["TERM"] === "dumb") return 0;
  return env["COLORTERM"] === "truecolor" ? 3 : 2;
}

/** A chalk instance for `stream`. */
export function paintFor(stream: Output, env: Readonly<Record<string, string | undefined>>, noColorFlag: boolean): Paint {
  return new Chalk({ level: colorLevel(stream, env, noColorFlag) });
}
