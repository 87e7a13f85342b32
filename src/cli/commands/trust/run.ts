/** `coc trust` and `coc team trust`: show what changed since the user last confirmed it, and confirm it. */
import { describeDiff } from "../../../core/index.js";
import { confirm } from "../../confirm.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";

export async function run(o: { command: string }, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const state = await repo.trustState();
  if (state.kind === "same" && !state.upgrade) {
    io.info("The roster, settings and templates are the ones you last confirmed; nothing to do.");
    return;
  }
  if (state.kind === "changed") {
    io.info("The roster, settings or templates changed since you last confirmed them:");
    for (const line of describeDiff(state.diff)) io.info(`  ${line}`);
    await confirm(io, { id: "trust_roster", question: "Did your team make this change? Trust it?", command: o.command, refusal: "not confirmed; nothing will be encrypted to it or printed from it" });
  }
  await repo.confirmTrust();
  io.info(`Confirmed the roster: ${repo.roster().join(", ")}.`);
}
