/** `coc show <case>`: the whole case, record by record in time order. */
import { compareRecords, consentLine, effectiveConsent, showCase } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { escapeTerminalLine as line } from "../../output/escape.js";
import { localTime } from "../../output/format.js";
import { renderValue } from "../../output/record.js";
import { evidenceTable } from "../../output/evidence.js";

export interface ShowOptions {
  code: string;
}

export async function run(o: ShowOptions, io: Io): Promise<number> {
  const repo = await openRepo(io);
  const shown = await showCase(repo, o.code, io.now());
  io.problems(shown.problems);
  if (shown.notForYou.length > 0) io.warn(`${shown.notForYou.length} record(s) of this case are not encrypted to you and are not shown.`);
  for (const u of shown.unverified) io.warn(`${u.file} is UNVERIFIED (${u.reason}): shown below, marked, and it does not count for the case`);
  const { summary } = shown;
  const consent = effectiveConsent(shown.records.map((r) => r.record));
  if (io.json) {
    io.printJson({
      case: summary.case,
      state: summary.state,
      consent,
      records: shown.records.map(({ record }) => ({
        type: record.type,
        id: record.id,
        author: record.author,
        created_at: record.created_at,
        recipients: record.recipients,
        body: record.body,
      })),
      unverified: shown.unverified.map(({ record, reason, file }) => ({ file, reason, type: record.type, id: record.id, author: record.author, created_at: record.created_at, body: record.body })),
    });
    return shown.problems.length > 0 ? 1 : 0;
  }
  const c = io.out;
  const lines: string[] = [];
  // The reporter's consent first: it governs every step taken from here. Someone
  // who reads no report of the case (an oversight person given a summary) is not
  // told that consent was never recorded: it is in a report they cannot read.
  const noReport = summary.reports === 0 && shown.notForYou.length > 0;
  lines.push(c.bold(line(noReport ? "consent: not shown (no report of this case is encrypted to you)" : consentLine(consent))));
  lines.push(`${c.bold(`Case ${summary.case}`)}  ${summary.state}${summary.overdue ? c.red("  overdue") : ""}`);
  lines.push(`  received: ${localTime(summary.received_at)}   reports: ${summary.reports}`);
  if (summary.votes.length > 0) lines.push(`  risk/impact: ${summary.risk}/${summary.impact} (${summary.votes.length} vote${summary.votes.length === 1 ? "" : "s"})`);
  if (summary.category) lines.push(`  category: ${line(summary.category)}`);
  if (summary.excluded.length > 0) lines.push(`  excluded: ${line(summary.excluded.join(", "))}`);
  if (summary.recused.length > 0) lines.push(`  recused: ${line(summary.recused.join(", "))}`);
  for (const d of summary.deadlines) {
    const status = d.met_at ? c.green(`met ${localTime(d.met_at)}`) : d.overdue ? c.red(`OVERDUE since ${localTime(d.due_at)}`) : `due ${localTime(d.due_at)}`;
    lines.push(`  deadline: ${line(d.what)}: ${status}`);
  }
  const all = [...shown.records.map((r) => ({ ...r, reason: undefined as string | undefined })), ...shown.unverified].sort((a, b) => compareRecords(a.record, b.record));
  for (const { record, reason } of all) {
    lines.push("");
    const mark = reason === undefined ? "" : `${c.red.bold(`UNVERIFIED (${line(reason)}), does not count`)}  `;
    lines.push(`${mark}${c.bold.underline(line(record.type))}  ${localTime(record.created_at)}  by ${line(record.author)}  ${c.dim(line(`(${record.id}; to ${record.recipients.join(", ")})`))}`);
    lines.push(...renderValue(record.body, c));
  }
  lines.push(...evidenceTable(shown.records.map((r) => r.record)));
  io.print(lines.join("\n"));
  return shown.problems.length > 0 ? 1 : 0;
}
