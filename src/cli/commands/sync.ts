/** `coc sync`: pull (rebase) and push through the repository's git remote. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("sync")
    .description("pull (rebase) and push through the git remote; records never conflict")
    .addHelpText("after", "\nExample:\n  coc sync");
  cmd.action(
    r.action(cmd, async (s) => {
      const { ensureHooksPath, pullAndPush } = await import("../../core/git/git.js");
      const ws = await s.workspace();
      // Commits made while rebasing are attributed like coc's own when git has no identity.
      const me = await ws.me().catch(() => undefined);
      const env = s.canPrompt ? ws.env : { ...ws.env, GIT_TERMINAL_PROMPT: "0" };
      if (await ensureHooksPath(ws.paths.root, ws.env)) s.info("Installed the pre-commit guard in this clone (core.hooksPath = .coc/hooks).");
      const result = await pullAndPush(ws.paths.root, env, { member: me?.name ?? "coc" });
      if (s.json) s.printJson(result);
      s.info(`Synced with ${result.remote}/${result.branch}: ${result.pulled} commit(s) in, ${result.pushed} out.`);
    }),
  );
}
