/** `coc resolve <case>`: the resolution: who was told, the public statement, the transparency entry. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("resolve")
    .description("resolve a case: reporter and reported person informed, closing, public statement, transparency entry")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .option("--from <file|->", "read the resolution body as YAML from a file or stdin instead of asking")
    .addHelpText(
      "after",
      `
Examples:
  coc resolve quiet-otter-42
  coc resolve quiet-otter-42 --from resolution.yaml

The --from file holds the resolution body, for example:
  reporter_informed_at: 2026-06-03 10:00
  reported_informed_at: 2026-06-02 17:00
  closed_at: 2026-06-03 10:00
  public: { statement: none }            # or: announcement, with thing and action
  transparency:
    include: true
    title: Unwelcome comments at a social event
    summary: An attendee was asked to stop and did.
    category: unwelcome comments
Only the fields under public and transparency ever reach public text (coc announce,
coc transparency): write them for that purpose, with no names, contacts, dates or quotes.`,
    );
  cmd.action(
    r.action(cmd, async (s, code: string) => {
      const { addRecord } = await import("../add-record.js");
      const { resolutionQuestions } = await import("../prompts/records.js");
      const flags = cmd.opts<{ from?: string }>();
      const added = await addRecord(s, {
        command: "resolve",
        type: "resolution",
        code,
        from: flags.from,
        ask: (c) => resolutionQuestions(s.ctx.prompter, { now: c.now }),
      });
      const summary = added.ws.summarize(code, added.records, added.now);
      if (summary.state === "closed") {
        s.info(`Case ${code} is now closed.`);
        return;
      }
      // Why it is not closed yet: the rule of the case fold (reporter informed, every action done).
      const open: string[] = [];
      if (!added.body.reporter_informed_at) open.push("the reporter has not been told the outcome");
      const { pendingActions } = await import("../../core/case/fold.js");
      const pending = pendingActions(added.records);
      if (pending.length > 0) open.push(`action${pending.length === 1 ? "" : "s"} not done yet: ${pending.map((a) => `${a.index} (${a.level})`).join(", ")} (coc followup ${code})`);
      s.info(`Case ${code} is now ${summary.state}, not closed: ${open.join("; ") || "see coc show"}.`);
    }),
  );
}
