/**
 * The oversight list (.coc/oversight.yaml): adding and removing the people
 * outside the team that a case can be escalated to. Only a lead changes it;
 * the change is part of what the lead confirmed (their pin follows it), and
 * every other clone confirms it like a roster change (coc trust).
 */
import { UserError } from "../errors.js";
import { caseAudience, readersOf } from "../case/audience.js";
import { validate } from "../records/document.js";
import { formatUtc, type CocRecord } from "../records/schema.js";
import { oversightPersonSchema, oversightText, type Oversight, type OversightPerson } from "../repo/oversight.js";
import type { Repo } from "../repo/repo.js";
import { evidenceRewrites, type BlobWrite } from "../repo/evidence.js";
import type { PendingWrite } from "../repo/store.js";

/** @throws UserError when the caller is not a lead. */
async function leadOnly(repo: Repo, doing: string): Promise<string> {
  const me = await repo.me();
  if (!me.roles.includes("lead")) throw new UserError(`only a lead can ${doing}; ${me.name} is not a lead`);
  return me.name;
}

/**
 * Adds an oversight person (one commit). Nothing is encrypted to them until
 * a case is escalated to them; what was written before is never given to
 * them by being added.
 * @throws UserError for a caller who is not a lead, a bad name, key or
 * role, a name or key already on the roster or the list, or an unconfirmed roster.
 */
export async function addOverseer(repo: Repo, input: { name: string; recipient: string; signing_key: string; role: string }, now: Date): Promise<OversightPerson> {
  const person = validate(oversightPersonSchema, { ...input, added_at: formatUtc(now) }, "new oversight person");
  return repo.write(async () => {
    await repo.ensureTrusted();
    const me = await leadOnly(repo, "change the oversight list");
    if (repo.member(person.name)) throw new UserError(`"${person.name}" is a team member; oversight people are outside the team (choose another name)`);
    if (repo.overseer(person.name)) throw new UserError(`"${person.name}" is already on the oversight list`);
    const member = repo.team.members.find((m) => m.recipient === person.recipient);
    if (member) throw new UserError(`that key belongs to team member ${member.name}; an oversight person is never a member`);
    const dup = repo.oversight.people.find((p) => p.recipient === person.recipient);
    if (dup) throw new UserError(`that key already belongs to oversight person "${dup.name}"`);
    const oversight: Oversight = { ...repo.oversight, people: [...repo.oversight.people, person] };
    await repo.commit({ writes: [], files: [{ rel: ".coc/oversight.yaml", content: oversightText(oversight) }], message: `coc: add oversight person ${person.name}`, as: { member: me } });
    repo.oversight = oversight;
    await repo.confirmTrust();
    return person;
  });
}

export interface OverseerRemoval {
  onList: boolean;
  /** Cases re-encrypted without them. */
  reencrypted: string[];
  files: number;
  /** Cases the caller cannot read (they may still be encrypted to the person). */
  unreadable: string[];
  committed: boolean;
}

/**
 * Removes an oversight person and, in the same commit, re-encrypts every
 * record the caller can read that is still encrypted to them (the cases
 * escalated to them, and their summaries). It cannot take back what they
 * already received. Someone not on the list any more: only the re-encryption
 * (anyone who reads the case may do it).
 * @throws UserError for a caller who is not a lead (when the list changes),
 * an unknown name no record lists, an unreadable record in an affected
 * case, or an unconfirmed roster.
 */
export async function removeOverseer(repo: Repo, name: string): Promise<OverseerRemoval> {
  return repo.write(async () => {
    await repo.ensureTrusted();
    const onList = Boolean(repo.overseer(name));
    const me = onList ? await leadOnly(repo, "change the oversight list") : (await repo.me()).name;
    const oversight: Oversight = { ...repo.oversight, people: repo.oversight.people.filter((p) => p.name !== name) };
    const { cases } = await repo.readCases();
    const writes: PendingWrite[] = [];
    const blobs: BlobWrite[] = [];
    const decrypter = await repo.decrypter();
    const reencrypted: string[] = [];
    for (const c of cases) {
      const all = [...c.records, ...c.unverified];
      if (!all.some((r) => r.record.recipients.includes(name))) continue;
      if (c.problems.length > 0) throw new UserError(`case ${c.code} has an unreadable record (${c.problems[0]!.file}); fix it before removing ${name}`);
      const audience = caseAudience(repo.roster(), c.records.map((r) => r.record), {}, repo.rejoined(), oversight.people);
      for (const { record } of all) {
        const readers = readersOf(audience, record.id);
        writes.push({ record: { ...record, recipients: readers } as CocRecord, keys: repo.keysFor(readers) });
      }
      // Evidence files belong to the case: its readers.
      blobs.push(...evidenceRewrites(repo.paths, c, repo.keysFor(audience.readers), decrypter));
      reencrypted.push(c.code);
    }
    if (!onList && writes.length === 0) throw new UserError(`"${name}" is not on the oversight list, and no record you can read is encrypted to them`);
    const unreadable = cases.filter((c) => c.records.length + c.unverified.length === 0 && c.notForYou.length > 0).map((c) => c.code);
    const { written, committed } = await repo.commit({
      writes,
      blobs,
      files: onList ? [{ rel: ".coc/oversight.yaml", content: oversightText(oversight) }] : [],
      message: onList ? `coc: remove oversight person ${name}` : `coc: re-encrypt without ${name}`,
      as: { member: me },
    });
    repo.oversight = oversight;
    if (onList) await repo.confirmTrust();
    return { onList, reencrypted, files: written.length, unreadable, committed };
  });
}
