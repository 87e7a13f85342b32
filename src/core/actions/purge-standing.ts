/**
 * Whether a lead's purge of a case is taken in by this clone's sync: a lead
 * the case excludes (its report names them) or recuses purges it only once it
 * has expired under the retention period this user confirmed, so a lead named
 * in a report cannot delete the case about them from every clone. A case this
 * user cannot read is taken as purged (they cannot tell who stands in it).
 */
import { caseAudience } from "../case/audience.js";
import { confirmedConfig } from "../repo/confirmed-config.js";
import type { Repo } from "../repo/repo.js";
import { caseExpired } from "./retention.js";

export async function purgeStands(repo: Repo, code: string, author: string, now: Date): Promise<boolean> {
  const [files] = (await repo.readCases([code])).cases;
  if (!files || files.records.length === 0) return true;
  const audience = caseAudience(repo.roster(), files.records.map((r) => r.record), {}, repo.rejoined(), repo.oversight.people);
  if (!audience.excluded.includes(author) && !audience.recused.includes(author)) return true;
  return caseExpired(repo.paths, await confirmedConfig(repo), code, now);
}
