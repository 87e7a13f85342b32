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
  io.print(
    table(
      ["NAME", "ROLES", "RECIPIENT", "SIGNING KEY"],
      repo.team.members.map((m) => [io.out.bold(m.name), m.roles.join(", "), m.recipient, m.signing_key ? `${m.signing_key.slice(0, 28)}…` : io.out.red("none: records unverifiable")]),
    ),
  );
  const missing = repo.team.members.filter((m) => !m.signing_key).map((m) => m.name);
  if (missing.length > 0) io.warn(`no signing key for ${missing.join(", ")}: their records cannot be verified and do not count; a lead adds it with coc team add <name> <member key> (coc whoami prints it)`);
}
