/** `coc team list`: the members, their roles and public keys. */
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { table } from "../../output/format.js";

export async function run(_o: object, io: Io): Promise<void> {
  const repo = await openRepo(io);
  if (io.json) {
    io.printJson(repo.team.members);
    return;
  }
  io.print(table(["NAME", "ROLES", "RECIPIENT"], repo.team.members.map((m) => [io.out.bold(m.name), m.roles.join(", "), m.recipient])));
}
