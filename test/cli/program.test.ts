/**
 * A command line that names a command builds that command alone (the other
 * 31 are not defined): what commander prints for it, help and errors, is the
 * same as with every command defined.
 */
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { Context } from "../../src/cli/context.js";
import { buildProgram, COMMANDS, namedCommand } from "../../src/cli/program.js";

/** A program writing into `out`, with every command or with `only`. */
function program(out: string[], only?: string): Command {
  const write = { write: (s: string) => void out.push(s), isTTY: false, columns: undefined };
  const ctx = { cwd: "/nonexistent", env: {}, stdout: write, stderr: write, platform: process.platform } as unknown as Context;
  return buildProgram(ctx, { code: 0 }, only);
}

/** Every command and subcommand's help, by path. */
function helps(cmd: Command, path = ""): Map<string, string> {
  const out = new Map<string, string>([[path, cmd.helpInformation()]]);
  for (const sub of cmd.commands) for (const [k, v] of helps(sub, `${path} ${sub.name()}`)) out.set(k, v);
  return out;
}

async function printed(only: string | undefined, argv: string[]): Promise<string> {
  const out: string[] = [];
  await program(out, only).parseAsync(argv, { from: "user" }).catch(() => undefined);
  return out.join("");
}

describe("building only the command a command line names", () => {
  it("names each command as its define registers it, and lists every command", () => {
    expect(program([]).commands.map((c) => c.name())).toEqual(COMMANDS.map(([name]) => name));
    for (const [name] of COMMANDS) expect(program([], name).commands.map((c) => c.name())).toEqual([name]);
  });

  it("gives each command (and its subcommands) the same help and the same errors as the whole program", async () => {
    const all = program([]);
    for (const [name] of COMMANDS) {
      const whole = all.commands.find((c) => c.name() === name)!;
      const alone = program([], name).commands[0]!;
      expect(helps(alone), name).toEqual(helps(whole));
      // Only lines that stop before any action runs: an unknown option, help.
      for (const argv of [[name, "--no-such-option"], [name, "--help"], [name, "--jsn"]]) {
        expect(await printed(name, argv), argv.join(" ")).toBe(await printed(undefined, argv));
      }
      expect(await printed(name, [name, "--no-such-option"])).toMatch(/^coc: (unknown option '--no-such-option'|required option)/);
    }
  });

  it("finds the command after the root options, and builds every command for anything else", () => {
    expect(namedCommand(["list"])).toBe("list");
    expect(namedCommand(["--repo", "list", "--json", "show", "quiet-otter-42"])).toBe("show");
    expect(namedCommand(["--repo=/r", "--identity", "/k", "--no-input", "--yes", "--no-color", "team", "add"])).toBe("team");
    expect(namedCommand(["--repo", "list"])).toBeUndefined();
    for (const argv of [[], ["--help"], ["-h"], ["-V"], ["help", "list"], ["lst"], ["--bogus", "list"], ["--", "list"]]) expect(namedCommand(argv), argv.join(" ")).toBeUndefined();
  });
});
