/** `coc note <case>`: a note of a meeting or a conversation, interactive or from a YAML body. */
import { noteWarnings } from "../../../core/index.js";
import { addRecord } from "../../add-record.js";
import type { Io } from "../../io.js";
import { noteQuestions } from "../../prompts/records.js";

export interface NoteOptions {
  code: string;
  from?: string | undefined;
}

export async function run(o: NoteOptions, io: Io): Promise<void> {
  await addRecord(io, {
    command: "note",
    type: "note",
    code: o.code,
    from: o.from,
    ask: (c) => noteQuestions(io.ctx.prompter, { me: c.me.name, members: c.members }),
    warnings: (body) => noteWarnings(body),
    question: "Record the note anyway?",
  });
}
