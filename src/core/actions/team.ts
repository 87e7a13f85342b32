/**
 * The roster: adding a member, removing one (and re-encrypting what they
 * could read), confirming a roster that changed elsewhere.
 */
import { UserError } from "../errors.js";
import { caseAudience } from "../case/audience.js";
import { validate } from "../records/document.js";
import { formatUtc, type CocRecord } from "../records/schema.js";
import { memberSchema, teamText, type Member, type Team } from "../repo/config.js";
import type { Repo } from "../repo/repo.js";
import type { PendingWrite } from "../repo/store.js";
import { evidenceRewrites, type BlobWrite } from "../repo/evidence.js";

/**
 * Adds a member to the roster (one commit). New records are encrypted to
 * them; existing cases are not re-shared. The user made this change, so it
 * becomes part of what they confirmed. A member already on the roster with
 * the same key but no signing key (a roster from before signed records) gets
 * the signing key instead.
 * @returns the member, and whether only their signing key was set.
 * @throws UserError for an invalid name or key, a duplicate, or an unconfirmed roster.
 */
export async function addMember(repo: Repo, input: { name: string; recipient: string; signing_key: string; roles: string[] }): Promise<{ member: Member; keyOnly: boolean }> {
  const member = validate(memberSchema, input, "new member");
  return repo.write(async () => {
    const existing = repo.member(member.name);
    if (existing && existing.recipient === member.recipient && !existing.signing_key) return { member: await setSigningKey(repo, existing, member.signing_key!), keyOnly: true };
    if (existing) throw new UserError(`"${member.name}" is already a team member`);
    const dup = repo.team.members.find((m) => m.recipient === member.recipient);
    if (dup) throw new UserError(`that recipient already belongs to "${dup.name}"`);
    // Adding on top of a roster changed behind our back would make us vouch for it.
    await repo.ensureTrusted();
    const me = await repo.me();
    const team: Team = { ...repo.team, members: [...repo.team.members, member] };
    await repo.commit({ writes: [], files: [{ rel: ".coc/team.yaml", content: teamText(team) }], message: `coc: add team member ${member.name}`, as: { member: me.name } });
    repo.team = team;
    await repo.confirmTrust();
    return { member, keyOnly: false };
  });
}

/** Sets the signing key of a member who has none (one commit); must run inside `repo.write`. */
async function setSigningKey(repo: Repo, member: Member, key: string): Promise<Member> {
  await repo.ensureTrusted();
  const me = await repo.me();
  const updated = { ...member, signing_key: key };
  const team: Team = { ...repo.team, members: repo.team.members.map((m) => (m.name === member.name ? updated : m)) };
  await repo.commit({ writes: [], files: [{ rel: ".coc/team.yaml", content: teamText(team) }], message: `coc: signing key of team member ${member.name}`, as: { member: me.name } });
  repo.team = team;
  await repo.confirmTrust();
  return updated;
}

export interface RemoveResult {
  onRoster: boolean;
  /** Cases re-encrypted. */
  reencrypted: string[];
  files: number;
  /** Cases the caller cannot read (they may still be encrypted to the member). */
  unreadable: string[];
  committed: boolean;
}

/**
 * Removes a member: takes them off the roster and re-encrypts, in the same
 * commit, every record the caller can read that is still encrypted to them
 * (only those cases). It cannot take back what they already received: git
 * history and their own clones keep the old ciphertexts. Run by someone else
 * after the roster change, it re-encrypts what that person can read.
 * @throws UserError for the last member, an unknown name that no record
 * lists, an unreadable record in an affected case, or an unconfirmed roster.
 */
export async function removeMember(repo: Repo, name: string, now: Date): Promise<RemoveResult> {
  return repo.write(async () => {
    await repo.ensureTrusted();
    const me = await repo.me();
    const onRoster = Boolean(repo.member(name));
    if (onRoster && repo.team.members.length === 1) throw new UserError(`${name} is the only member; a team needs at least one`);
    const gone = repo.member(name);
    // Kept as a former member: the records they signed while on the team still verify, none dated later.
    const former = gone ? [...(repo.team.former ?? []).filter((f) => f.name !== name), { name, ...(gone.signing_key ? { signing_key: gone.signing_key } : {}), removed_at: formatUtc(now) }] : repo.team.former;
    const team: Team = { ...repo.team, members: repo.team.members.filter((m) => m.name !== name), ...(former ? { former } : {}) };
    const roster = team.members.map((m) => m.name);
    const { cases } = await repo.readCases();
    const rewrites: PendingWrite[] = [];
    const blobs: BlobWrite[] = [];
    const decrypter = await repo.decrypter();
    const reencrypted: string[] = [];
    for (const c of cases) {
      const all = [...c.records, ...c.unverified];
      if (all.length === 0 || !all.some((r) => r.record.recipients.includes(name))) continue;
      if (c.problems.length > 0) throw new UserError(`case ${c.code} has an unreadable record (${c.problems[0]!.file}); fix it before removing ${name}`);
      const { readers } = caseAudience(roster, c.records.map((r) => r.record), {}, repo.rejoined());
      if (readers.length === 0) throw new UserError(`case ${c.code} would be left with no reader if ${name} were removed`);
      const keys = readers.map((n) => team.members.find((m) => m.name === n)!.recipient);
      for (const { record } of all) rewrites.push({ record: { ...record, recipients: readers } as CocRecord, keys });
      blobs.push(...evidenceRewrites(repo.paths, c, keys, decrypter));
      reencrypted.push(c.code);
    }
    if (!onRoster && rewrites.length === 0) throw new UserError(`"${name}" is not on the roster, and no record you can read is encrypted to them`);
    const unreadable = cases.filter((c) => c.records.length + c.unverified.length === 0 && c.notForYou.length > 0).map((c) => c.code);
    const { written, committed } = await repo.commit({
      writes: rewrites,
      blobs,
      files: onRoster ? [{ rel: ".coc/team.yaml", content: teamText(team) }] : [],
      message: onRoster ? `coc: remove team member ${name}` : `coc: re-encrypt without ${name}`,
      as: { member: me.name },
    });
    repo.team = team;
    if (onRoster) await repo.confirmTrust();
    return { onRoster, reencrypted, files: written.length, unreadable, committed };
  });
}
