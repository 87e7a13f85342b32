/** `coc resolve <case>`: the resolution: who was told, the public statement, the transparency entry. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { ResolveOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("resolve")
    .description("resolve a case: reporter and reported person informed, closing, public statement, transparency entry")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the resolution body as YAML from a file or stdin instead of asking")
    .addHelpText(
      "after",
      `
Examples:
  coc resolve quiet-otter-42
  coc resolve quiet-otter-42 --from resolution.yaml

The --from file holds the resolution body, for example:
  reporter_informed_at: 2026-06-03 10:00
  reported_informed_at: 2026-06-02 17:00
  closed_at: 2026-06-03 10:00
  public: { statement: none }            # or: announcement, with thing and action
  transparency:
    include: true
    title: Unwelcome comments at a social event
    summary: An attendee was asked to stop and did.
    category: unwelcome comments
Only the fields under public and transparency ever reach public text (coc announce,
coc transparency): write them for that purpose, with no names, contacts, dates or quotes.`,
    );
  cmd.action(r.action(cmd, ([code]): ResolveOptions => ({ code: code as string, from: cmd.opts<{ from?: string }>().from }), () => import("./run.js")));
}
