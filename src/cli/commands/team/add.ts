/** `coc team add <name> <member key>`: a new member; existing cases are shared one by one. */
import { addMember, casesToShare, parseMemberKey } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface TeamAddOptions {
  name: string;
  /** The member key as given: one quoted argument, or its words. */
  memberKey: string[];
  roles: string[];
}

export async function run(o: TeamAddOptions, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const roles = o.roles.flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);
  const key = parseMemberKey(o.memberKey);
  const { member, keyOnly } = await addMember(repo, { name: o.name, recipient: key.recipient, signing_key: key.signingKey, roles });
  if (io.json) io.printJson(member);
  if (keyOnly) {
    io.info(`Set the signing key of ${member.name}: their records are verified from now on.`);
    return;
  }
  io.info(`Added ${member.name} (${member.roles.join(", ")}). New records are encrypted to them; existing cases are not shared with them.`);
  const pending = await casesToShare(repo, member.name, io.now());
  if (pending.open.length > 0) {
    io.info(`${pending.open.length} open case(s) are not shared with ${member.name}. Ask them about each by its code only (never its content) whether they have a conflict; if not, share it:`);
    for (const code of pending.open) io.info(`  coc share ${code} ${member.name}`);
    io.info(`If they have a conflict, record it instead: coc recuse <case> ${member.name}.`);
  }
  if (pending.closed.length > 0) io.info(`${pending.closed.length} closed case(s) stay unshared unless asked per case (coc share <case> ${member.name} --closed).`);
  if (pending.notYours.length > 0) io.info(`${pending.notYours.length} case(s) are not encrypted to you; a member who can read them must share them.`);
  await sayNotShared(io, repo);
}
