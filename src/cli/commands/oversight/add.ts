/** `coc oversight add <name> <member key>`: a person outside the team, given nothing until a case is escalated to them. */
import { addOverseer, parseMemberKey } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface OversightAddOptions {
  name: string;
  /** The member key as given: one quoted argument, or its words. */
  memberKey: string[];
  role: string;
}

export async function run(o: OversightAddOptions, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const key = parseMemberKey(o.memberKey);
  const person = await addOverseer(repo, { name: o.name, recipient: key.recipient, signing_key: key.signingKey, role: o.role }, io.now());
  if (io.json) io.printJson(person);
  io.info(`Added ${person.name} (${person.role}) to the oversight list. Nothing is encrypted to them, and nothing written before is given to them, until a case is escalated to them: coc escalate <case> --to ${person.name}.`);
  io.info("The other members confirm this change once after their next sync (coc trust).");
  await sayNotShared(io, repo);
}
