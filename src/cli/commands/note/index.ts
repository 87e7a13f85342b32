/** `coc note <case>`: a note of a meeting or a conversation, interactive or from a YAML body. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { NoteOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("note")
    .description("add a note to a case: a meeting, a conversation, contact with the reporter, the reported person or a witness")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the note body as YAML from a file or stdin instead of asking")
    .addHelpText(
      "after",
      `
Examples:
  coc note quiet-otter-42
  coc note quiet-otter-42 --from note.yaml

The --from file holds the note body, for example:
  kind: reported-contact     # meeting | conversation | reporter-contact | reported-contact | witness-contact | other
  text: |
    We told them what was reported and asked them to stop.
  participants: [alice, bob] # conversations with the reported person are held by two members
  attendees: []              # for meetings`,
    );
  cmd.action(r.action(cmd, ([code]): NoteOptions => ({ code: code as string, from: cmd.opts<{ from?: string }>().from }), () => import("./run.js")));
}
