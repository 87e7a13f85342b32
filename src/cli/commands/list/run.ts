/** `coc list`: every case with its state, age, deadlines, category and risk/impact. */
import { expiredCases, listCases, syncStatus } from "../../../core/index.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { escapeTerminalLine as line } from "../../output/escape.js";
import { age, localTime, table } from "../../output/format.js";
import { STATUSES } from "./statuses.js";
import { sayEscalation } from "../../output/escalation.js";

export interface ListOptions {
  status?: string | undefined;
  overdue?: boolean | undefined;
}

export async function run(o: ListOptions, io: Io): Promise<number> {
  if (o.status && !STATUSES.includes(o.status)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")} (got "${o.status}")`);
  const repo = await openRepo(io);
  const now = io.now();
  const { cases, problems } = await listCases(repo, now);
  io.problems(problems);
  const rows = cases
    .map((c) => ({
      case: c.case,
      state: c.restricted ? "restricted" : c.unreadable ? "unreadable" : (c.summary?.state ?? "unverified"),
      received_at: c.summary?.received_at ?? null,
      overdue: c.summary?.overdue ?? false,
      restricted: c.restricted,
      category: c.summary?.category ?? null,
      risk: c.summary?.risk ?? null,
      impact: c.summary?.impact ?? null,
      unverified: c.unverified,
      escalation: c.escalation,
      missed: (c.summary?.deadlines ?? []).filter((d) => d.overdue).map((d) => d.name),
    }))
    .filter((c) => !o.status || (o.status === "open" ? !["closed", "restricted", "unreadable", "unverified"].includes(c.state) : c.state === o.status))
    .filter((c) => !o.overdue || c.overdue)
    .sort((a, b) => (b.received_at ?? "").localeCompare(a.received_at ?? "") || a.case.localeCompare(b.case));
  if (io.json) {
    io.printJson(rows.map(({ missed: _m, unverified: _u, escalation: _e, ...row }) => row));
  } else if (rows.length === 0) {
    io.info(cases.length === 0 ? "No cases yet. Take a report with: coc new-report" : "No case matches.");
  } else {
    const c = io.out;
    io.print(
      table(
        ["CASE", "STATE", "RECEIVED", "AGE", "OVERDUE", "RISK/IMPACT", "CATEGORY"],
        rows.map((r) => [
          c.bold(line(r.case)),
          r.restricted ? c.dim("restricted") : r.state === "unreadable" ? c.red("unreadable") : r.state,
          localTime(r.received_at),
          age(r.received_at, now),
          r.overdue ? c.red(`yes: ${r.missed.join(", ")}`) : "-",
          r.risk ? `${r.risk}/${r.impact}` : "-",
          r.category == null ? "-" : line(r.category),
        ]),
      ),
    );
    for (const r of rows.filter((x) => x.unverified > 0)) io.warn(`case ${r.case} has ${r.unverified} unverified record(s) (unsigned, or not signed by their authors): they do not count; see coc show ${r.case}`);
    for (const r of rows) if (r.state !== "closed") sayEscalation(io, r.escalation);
    const restricted = rows.filter((r) => r.restricted).length;
    if (restricted > 0) io.info(c.dim(`${restricted} restricted: cases not encrypted to you (a conflict, an exclusion, or from before you joined).`));
  }
  const sync = await syncStatus(repo);
  if (sync.remote) {
    const last = sync.syncedAt ? `last synced ${age(sync.syncedAt, now)} ago` : "not synced with coc sync yet";
    io.info(io.err.dim(sync.unpushed > 0 ? `Not shared yet: ${sync.unpushed} commit(s) to push (run coc sync); ${last}.` : `Everything here is pushed; ${last}.`));
  }
  const expired = await expiredCases(repo.paths, repo.config, now);
  if (expired.length > 0) io.warn(`${expired.length} case(s) passed the retention period (${repo.config.retention.delete_after_days} days); delete them with coc purge --expired`);
  return problems.length > 0 ? 1 : 0;
}
