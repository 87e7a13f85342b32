/** What both forms of `coc review` say when they are done. */
import type { Io } from "../../io.js";

/** Says who was recused and who can read the case now (nothing when nobody was recused). */
export function reportRecusal(io: Io, code: string, recused: readonly string[], recipients: readonly string[]): void {
  if (recused.length === 0) return;
  io.info(`Recused ${recused.join(", ")} from case ${io.err.bold(code)}: every record re-encrypted without them (one commit). Who can read it now: ${recipients.join(", ")}.`);
  io.info(io.err.dim("Copies they pulled before stay readable to them: git history keeps old ciphertexts."));
}

/** With --json, `{case, recused, records}` on stdout; exit code 0. */
export function finish(io: Io, code: string, recused: readonly string[], ids: readonly string[]): number {
  if (io.json) io.printJson({ case: code, recused, records: ids });
  return 0;
}
