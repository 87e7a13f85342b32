/** `coc list`: every case with its state, age, deadlines, category and risk/impact. */
import { byCodeUnits, confirmedConfig, consequenceRegister, expiredCases, listCases, syncStatus, type ListedCase } from "../../../core/index.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { escapeTerminalLine as line } from "../../output/escape.js";
import { age, localTime, table } from "../../output/format.js";
import { STATUSES } from "./statuses.js";
import { sayEscalation } from "../../output/escalation.js";

/** How far ahead `--overdue` looks for consequences ending and check-ins coming due. */
const SOON_DAYS = 14;

/**
 * For `--overdue`: per case, the consequences in force that end within
 * SOON_DAYS, and the plan's check-ins not yet recorded that come due within them.
 */
async function soon(repo: Parameters<typeof consequenceRegister>[0], cases: readonly ListedCase[], now: Date): Promise<Map<string, { what: string; due_at: string }[]>> {
  const horizon = now.getTime() + SOON_DAYS * 86_400_000;
  const out = new Map<string, { what: string; due_at: string }[]>();
  const add = (code: string, item: { what: string; due_at: string }) => out.set(code, [...(out.get(code) ?? []), item]);
  for (const k of (await consequenceRegister(repo, { at: now, all: false })).consequences) {
    if (k.until !== null && Date.parse(k.until) <= horizon) add(k.case, { what: `ends: ${k.level}${k.person.name ? ` for ${k.person.name}` : ""}`, due_at: k.until });
  }
  for (const c of cases) {
    for (const d of c.summary?.deadlines ?? []) {
      if (d.name === "check-in" && d.met_at === null && !d.overdue && Date.parse(d.due_at) <= horizon) add(c.case, { what: `due: ${d.what}`, due_at: d.due_at });
    }
  }
  return out;
}

export interface ListOptions {
  status?: string | undefined;
  overdue?: boolean | undefined;
}

export async function run(o: ListOptions, io: Io): Promise<number> {
  if (o.status && !STATUSES.includes(o.status)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")} (got "${o.status}")`);
  const repo = await openRepo(io);
  const now = io.now();
  // Asked of git now, while the records are read (it never fails: see syncStatus).
  const syncing = syncStatus(repo);
  const { cases, problems } = await listCases(repo, now);
  io.problems(problems);
  const upcoming = o.overdue ? await soon(repo, cases, now) : new Map<string, { what: string; due_at: string }[]>();
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
      ...(o.overdue ? { upcoming: upcoming.get(c.case) ?? [] } : {}),
    }))
    .filter((c) => !o.status || (o.status === "open" ? !["closed", "restricted", "unreadable", "unverified"].includes(c.state) : c.state === o.status))
    .filter((c) => !o.overdue || c.overdue || (c.upcoming?.length ?? 0) > 0)
    .sort((a, b) => byCodeUnits(b.received_at ?? "", a.received_at ?? "") || byCodeUnits(a.case, b.case));
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
    const coming = rows.flatMap((r) => (r.upcoming ?? []).map((u) => ({ case: r.case, ...u }))).sort((a, b) => byCodeUnits(a.due_at, b.due_at));
    if (coming.length > 0) {
      io.print(`\nWithin ${SOON_DAYS} days:`);
      for (const u of coming) io.print(`  ${c.bold(line(u.case))}  ${localTime(u.due_at)}  ${line(u.what)}`);
    }
    for (const r of rows.filter((x) => x.unverified > 0)) io.warn(`case ${r.case} has ${r.unverified} record(s) that do not count (unsigned, not signed by their authors, or written by someone kept out of the case or recused); see coc show ${r.case}`);
    for (const r of rows) if (r.state !== "closed") sayEscalation(io, r.escalation);
    const restricted = rows.filter((r) => r.restricted).length;
    if (restricted > 0) io.info(c.dim(`${restricted} restricted: cases not encrypted to you (a conflict, an exclusion, or from before you joined).`));
  }
  const sync = await syncing;
  if (sync.remote) {
    const last = sync.syncedAt ? `last synced ${age(sync.syncedAt, now)} ago` : "not synced with coc sync yet";
    io.info(io.err.dim(sync.unpushed > 0 ? `Not shared yet: ${sync.unpushed} commit(s) to push (run coc sync); ${last}.` : `Everything here is pushed; ${last}.`));
  }
  // The retention period (and event end) this user confirmed: one pulled and not confirmed yet is not used.
  // With no case at all, nothing can have passed it.
  if (cases.length > 0) {
    const config = await confirmedConfig(repo);
    const expired = await expiredCases(repo.paths, config, now);
    if (expired.length > 0) io.warn(`${expired.length} case(s) passed the retention period (${config.retention.delete_after_days} days); delete them with coc purge --expired`);
  }
  return problems.length > 0 ? 1 : 0;
}
