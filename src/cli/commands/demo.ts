/**
 * `coc demo [dir]`: try coc without setting anything up. A throwaway team,
 * identities and repository with fictional cases, taken through review and
 * resolution; then the list, a matrix and the transparency report. Never
 * touches the user's own identity, coc settings or git configuration.
 */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("demo")
    .description("try coc: a throwaway team and repository with fictional cases, then the list, a matrix and the transparency report")
    .argument("[dir]", "where to create it (a new or empty directory)", "coc-demo")
    .addHelpText(
      "after",
      `
Examples:
  coc demo
  coc demo /tmp/coc-demo

Creates, in <dir>: three throwaway identities (keys/alex.txt, keys/bo.txt,
keys/chris.txt, never committed), an incident repository for "DemoConf 2026"
and five fictional cases, one for each cell of the risk/impact matrix (one
with two reports) and one still in review. Your own identity, coc settings and
git configuration are never read or written. Delete the directory when done.`,
    );
  cmd.action(
    r.action(cmd, async (s, dirArg: string) => {
      const { join, resolve } = await import("node:path");
      const { runDemo, shellQuote } = await import("../demo.js");
      const dir = resolve(s.ctx.cwd, dirArg);
      const result = await runDemo(s, dir, !s.json);
      if (s.json) s.printJson(result);
      const q = shellQuote;
      const announced = result.cases[2]!.case;
      const harassment = result.cases[3]!.case;
      s.info(
        [
          "",
          `The demo is in ${dir}: ${result.cases.length} fictional cases of "DemoConf 2026", a team of three (alex, bo, chris) and their throwaway identities in ${join(dir, "keys")}.`,
          "Explore it as alex (any name in it is made up):",
          `  cd ${q(dir)}; export COC_IDENTITY=${q(result.identities.alex)}`,
          "  coc list",
          `  coc show ${harassment}`,
          `  coc announce ${announced}`,
          `  coc letter ${harassment} --to reported`,
          "  coc transparency --format html --out report.html",
          `Delete it with: rm -rf ${q(dir)}`,
        ].join("\n"),
      );
    }),
  );
}
