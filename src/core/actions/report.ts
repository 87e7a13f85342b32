/**
 * Taking a report: a new case, or a further report in an existing one.
 */
import { UserError } from "../errors.js";
import { caseAudience } from "../case/audience.js";
import { membersNamed, type MemberNamed } from "../case/roster-match.js";
import { makeRecord } from "../records/record.js";
import type { ReportBody } from "../records/schema.js";
import { newRecordId } from "../repo/codes.js";
import type { Repo } from "../repo/repo.js";
import type { CaseFiles } from "../repo/store.js";
import { freshCode, openCase } from "./read.js";
import { writeCase, type WriteResult } from "./write.js";

/**
 * Records a report: a new case (fresh code) or, with `caseCode`, a further
 * report in an existing case. Members in `body.exclude` never receive the
 * case; if they held earlier records of it, those are re-encrypted without
 * them in the same commit. A member the report names (reporter, person
 * involved, witness; names compared folded) is added to `exclude` unless
 * `includeMembers` lists them; `excludedNamed` says who was.
 * @throws UserError for unknown members, an unknown or unreadable case, an
 * unconfirmed roster, or when nobody would be left to read it.
 */
export async function addReport(
  repo: Repo,
  body: ReportBody,
  opts: { caseCode?: string | undefined; now: Date; includeMembers?: readonly string[] | undefined },
): Promise<WriteResult & { excludedNamed: MemberNamed[] }> {
  if (opts.caseCode !== undefined && opts.caseCode.trim() === "") throw new UserError("--case is empty: give the code of an existing case, or leave it out for a new case");
  return repo.write(async () => {
    const me = await repo.me();
    body.exclude.forEach((n, i) => {
      if (!repo.member(n)) throw new UserError(`exclude[${i}]: "${n}" is not a team member`, [], "unknown-member");
    });
    for (const n of opts.includeMembers ?? []) if (!repo.member(n)) throw new UserError(`--include-member: "${n}" is not a team member`, [], "unknown-member");
    const excludedNamed = membersNamed(body, repo.roster()).filter((m) => !(opts.includeMembers ?? []).includes(m.member) && !body.exclude.includes(m.member));
    body.exclude.push(...excludedNamed.map((m) => m.member));
    let files: CaseFiles | undefined;
    let code: string;
    if (opts.caseCode) {
      files = await openCase(repo, opts.caseCode);
      code = opts.caseCode;
    } else {
      code = await freshCode(repo);
    }
    await repo.ensureTrusted();
    const { readers } = caseAudience(repo.roster(), files?.records.map((r) => r.record) ?? [], { exclude: body.exclude }, repo.rejoined(), repo.oversight.people);
    if (readers.length === 0) throw new UserError("nobody would be able to read this report: every member is excluded");
    const record = makeRecord({ type: "report", case: code, id: newRecordId("report", opts.now), author: me.name, created_at: opts.now, recipients: readers, body });
    const written = await writeCase(repo, code, files, readers, [record], files ? `coc: add report to ${code}` : `coc: new report ${code}`, me.name);
    return { ...written, excludedNamed };
  });
}
