/** `coc export --audit <case> --to <name>`: one age file for an oversight person. */
import { resolve } from "node:path";
import { armorFile, auditBundle, UserError } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { insideRepository, writeOutFile } from "../../output/out-file.js";

export interface ExportOptions {
  code: string;
  to: string;
  out?: string | undefined;
  includeReporter: boolean;
}

export async function run(o: ExportOptions, io: Io): Promise<void> {
  if (o.out === undefined && io.ctx.stdout.isTTY) throw new UsageError("export: give --out <file>, or redirect stdout to a file (the bundle is an age file)");
  const repo = await openRepo(io);
  const target = o.out === undefined ? undefined : resolve(io.ctx.cwd, o.out);
  if (target !== undefined && insideRepository(repo.paths.root, target)) {
    throw new UserError(`--out ${o.out} is inside the repository; write the bundle outside it, so that it is never committed`);
  }
  const bundle = await auditBundle(repo, o.code, o.to, { includeReporter: o.includeReporter, now: io.now() });
  if (!bundle.escalated) {
    await confirmWarnings(io, [`case ${o.code} is not escalated to ${o.to}: this bundle gives them its records (${bundle.reporterIncluded ? "with" : "without"} the reporter's identity) outside the repository, with no record of it in the case; coc escalate records a hand-over`], "Export it anyway?");
  }
  if (target === undefined) {
    io.ctx.stdout.write(await armorFile(bundle.file));
  } else {
    await writeOutFile(target, o.out!, bundle.file);
  }
  const where = target === undefined ? "to stdout (ASCII-armored)" : `to ${o.out}`;
  io.info(`Wrote the audit bundle of case ${o.code} (${bundle.records} record(s)) ${where}, encrypted to ${o.to} only; the reporter's identity is ${bundle.reporterIncluded ? "included (their consent allows it)" : "left out"}.`);
}
