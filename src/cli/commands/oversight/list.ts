/** `coc oversight list`: the oversight people, their roles and keys. */
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { localTime, table } from "../../output/format.js";

export async function run(_o: object, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const people = repo.oversight.people;
  if (io.json) {
    io.printJson(people);
    return;
  }
  if (people.length === 0) {
    io.info("Nobody is on the oversight list. A lead adds people with: coc oversight add <name> <member-key> --role board-liaison");
    return;
  }
  io.print(table(["NAME", "ROLE", "ADDED", "RECIPIENT"], people.map((p) => [io.out.bold(p.name), p.role, localTime(p.added_at), p.recipient])));
  io.info(io.err.dim("Nothing is encrypted to them unless a case is escalated to them (coc escalate <case> --to <name>)."));
}
