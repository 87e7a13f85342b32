/** `coc verify`: every record readable and well-formed, recipients right, the guard installed, no plaintext or symlink in history. */
import { verifyRepository, vouch } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { escapeTerminalLine as line } from "../../output/escape.js";
import { openRepo } from "../../open.js";

export async function run(o: { vouch: boolean }, io: Io): Promise<number> {
  const repo = await openRepo(io);
  if (o.vouch) {
    const done = await vouch(repo, io.now());
    for (const c of done.cases) io.info(`Vouched for ${c.records.length} record(s) of case ${io.err.bold(c.case)} (one signed record, one commit).`);
    if (done.cases.length === 0) io.info("No unverified record to vouch for.");
  }
  const report = await verifyRepository(repo);
  if (io.json) {
    io.printJson({ ok: report.problems.length === 0, ...report });
  } else {
    // File names and messages quote what arrived through git (a pushed file's name can hold any byte but NUL).
    for (const p of report.problems) io.print(`${io.out.red("problem:")} ${line(p.file)}${p.commit ? ` (commit ${p.commit.slice(0, 12)})` : ""}: ${line(p.message)}`);
    for (const n of report.notes) io.info(io.err.dim(`note: ${line(n)}`));
    const summary = `${report.cases} case(s), ${report.records} record(s): ${report.checked} checked, ${report.notForYou} not encrypted to you; ${report.historyBlobs} file version(s) in history checked.`;
    io.info(report.problems.length === 0 ? `${io.err.green("ok:")} ${summary}` : `${report.problems.length} problem(s). ${summary}`);
  }
  return report.problems.length === 0 ? 0 : 1;
}
