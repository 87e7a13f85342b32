/** `coc new-report`: the intake, interactive or from a YAML body. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("new-report")
    .description("take a report (the care checklist, then the questions); prints the case code")
    .option("--from <file|->", "read the report body as YAML from a file or stdin instead of asking")
    .option("--case <code>", "add a further report to an existing case")
    .addHelpText(
      "after",
      `
Examples:
  coc new-report
  coc new-report --from report.yaml
  coc new-report --case quiet-otter-42 --from - < second-report.yaml

The --from file holds the report body (see README: Record formats), for example:
  channel: in-person
  reporter: { name: Sam, contact: sam@example.org }
  incident:
    summary: Unwanted comments at the evening social
    description: |
      ...
  exclude: []`,
    );
  cmd.action(
    r.action(cmd, async (s) => {
      const { intake } = await import("../prompts/intake.js");
      const flags = cmd.opts<{ from?: string; case?: string }>();
      const ws = await s.workspace();
      const now = s.ctx.now();
      let input: unknown;
      let source = "--from";
      if (flags.from) {
        ({ value: input, source } = await s.readFrom(flags.from));
      } else {
        s.requirePrompting("new-report", ["--from <file|->"]);
        const me = await ws.me();
        const roster = ws.team.members.map((m) => m.name);
        input = await intake(s.ctx.prompter, {
          me: me.name,
          members: roster,
          now,
          describeRecipients: (excluded) => {
            if (flags.case) return `the members of case ${flags.case}${excluded.length ? ` except ${excluded.join(", ")}` : ""}`;
            return roster.filter((n) => !excluded.includes(n)).join(", ");
          },
        });
        source = "the intake";
      }
      const body = ws.validateBody("report", input, source);
      const result = await ws.addReport(body, { caseCode: flags.case, now });
      if (s.json) s.printJson({ case: result.case });
      else s.print(result.case);
      s.info(`${flags.case ? "Added a report to" : "Recorded a new report as"} case ${s.err.bold(result.case)}, encrypted to ${result.recipients.join(", ")}.`);
      if (result.removedFromCase.length > 0) {
        s.info(`Re-encrypted the case without ${result.removedFromCase.join(", ")}. Copies they already pulled stay readable to them (git history keeps old ciphertexts).`);
      }
    }),
  );
}
