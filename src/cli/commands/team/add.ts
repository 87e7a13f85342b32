/** `coc team add <name> <recipient>`: a new member; existing cases are shared one by one. */
import { addMember, casesToShare } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";

export interface TeamAddOptions {
  name: string;
  recipient: string;
  roles: string[];
}

export async function run(o: TeamAddOptions, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const roles = o.roles.flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);
  const member = await addMember(repo, { name: o.name, recipient: o.recipient, roles });
  if (io.json) io.printJson(member);
  io.info(`Added ${member.name} (${member.roles.join(", ")}). New records are encrypted to them; existing cases are not shared with them.`);
  const pending = await casesToShare(repo, member.name, io.now());
  if (pending.open.length > 0) {
    io.info(`${pending.open.length} open case(s) are not shared with ${member.name}. Ask them about each by its code only (never its content) whether they have a conflict; if not, share it:`);
    for (const code of pending.open) io.info(`  coc share ${code} ${member.name}`);
    io.info(`If they have a conflict, record it instead: coc recuse <case> ${member.name}.`);
  }
  if (pending.closed.length > 0) io.info(`${pending.closed.length} closed case(s) stay unshared unless asked per case (coc share <case> ${member.name} --closed).`);
  if (pending.notYours.length > 0) io.info(`${pending.notYours.length} case(s) are not encrypted to you; a member who can read them must share them.`);
}
