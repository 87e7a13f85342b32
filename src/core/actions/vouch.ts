/**
 * Vouching (`coc verify --vouch`): a lead's signed word for the records of a
 * repository that carry no valid signature (written before coc signed
 * records, or by a member since removed), so they count again.
 */
import { UserError } from "../errors.js";
import { makeRecord } from "../records/record.js";
import type { CocRecord } from "../records/schema.js";
import { vouchHash } from "../records/verification.js";
import { newRecordId } from "../repo/codes.js";
import type { Repo } from "../repo/repo.js";
import type { CaseFiles } from "../repo/store.js";
import { readExisting } from "./read.js";
import { writeCase } from "./write.js";

/** What a vouch did: per case, the records vouched for. */
export interface VouchResult {
  cases: { case: string; records: string[] }[];
}

/**
 * For every case the caller can read that holds unverified records, writes
 * one signed vouch record naming each of them with the hash of its content,
 * and who reads the case now (which founds the readers of a case whose first
 * report predates signatures). One commit per case.
 * @throws UserError when the caller is not a lead, or for an unconfirmed roster.
 */
export async function vouch(repo: Repo, now: Date): Promise<VouchResult> {
  const me = await repo.me();
  if (!me.roles.includes("lead")) throw new UserError(`only a lead can vouch for records; ${me.name} is not a lead`);
  const { cases } = await repo.readCases();
  const out: VouchResult["cases"] = [];
  // A record signed by a member who did not stand in the case is no missing signature: vouching would not make it count.
  const vouchable = (files: CaseFiles) => files.unverified.filter((u) => !u.outsider);
  for (const c of cases.filter((x) => vouchable(x).length > 0)) {
    const done = await repo.write(async () => {
      await repo.ensureTrusted();
      const files = await readExisting(repo, c.code);
      if (vouchable(files).length === 0) return undefined;
      const all = [...files.records, ...vouchable(files)].map((r) => r.record);
      // Who reads the case now: the members on the roster its files are encrypted to.
      const latest = all.reduce<CocRecord | undefined>((a, r) => (!a || r.created_at >= a.created_at ? r : a), undefined);
      const readers = repo.roster().filter((n) => latest?.recipients.includes(n));
      if (!readers.includes(me.name)) throw new UserError(`you are not a recipient of case ${c.code}`);
      const body = { records: vouchable(files).map((u) => ({ id: u.record.id, sha256: vouchHash(u.record) })), readers };
      const record = makeRecord({ type: "vouch", case: c.code, id: newRecordId("vouch", now), author: me.name, created_at: now, recipients: readers, body });
      await writeCase(repo, c.code, files, readers, [record], `coc: vouch for records in ${c.code}`, me.name);
      return body.records.map((r) => r.id);
    });
    if (done) out.push({ case: c.code, records: done });
  }
  return { cases: out };
}
