/** `coc export --audit <case> --to <name>`: one age file for an oversight person. */
import { randomBytes } from "node:crypto";
import { realpathSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { armorFile, auditBundle, UserError } from "../../../core/index.js";
import { confirmWarnings } from "../../confirm.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";

export interface ExportOptions {
  code: string;
  to: string;
  out?: string | undefined;
  includeReporter: boolean;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    return parent === p ? p : join(real(parent), basename(p));
  }
}

export async function run(o: ExportOptions, io: Io): Promise<void> {
  if (o.out === undefined && io.ctx.stdout.isTTY) throw new UsageError("export: give --out <file>, or redirect stdout to a file (the bundle is an age file)");
  const repo = await openRepo(io);
  const target = o.out === undefined ? undefined : resolve(io.ctx.cwd, o.out);
  if (target !== undefined) {
    const rel = relative(real(repo.paths.root), real(target));
    if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) throw new UserError(`--out ${o.out} is inside the repository; write the bundle outside it, so that it is never committed`);
  }
  const bundle = await auditBundle(repo, o.code, o.to, { includeReporter: o.includeReporter, now: io.now() });
  if (!bundle.escalated) {
    await confirmWarnings(io, [`case ${o.code} is not escalated to ${o.to}: this bundle gives them its records (${bundle.reporterIncluded ? "with" : "without"} the reporter's identity) outside the repository, with no record of it in the case; coc escalate records a hand-over`], "Export it anyway?");
  }
  if (target === undefined) {
    io.ctx.stdout.write(await armorFile(bundle.file));
  } else {
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      await writeFile(temp, bundle.file, { flag: "wx", mode: 0o600 });
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw new UserError(`cannot write ${o.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const where = target === undefined ? "to stdout (ASCII-armored)" : `to ${o.out}`;
  io.info(`Wrote the audit bundle of case ${o.code} (${bundle.records} record(s)) ${where}, encrypted to ${o.to} only; the reporter's identity is ${bundle.reporterIncluded ? "included (their consent allows it)" : "left out"}.`);
}
