/** `coc new-report`: the intake, interactive or from a YAML body. */
import { addReport, validateBody } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { consentFromFlags, mergeConsent, type ConsentFlags } from "../../consent-flags.js";
import { intake } from "../../prompts/intake.js";
import { sayNotShared } from "../../output/not-shared.js";

export interface NewReportOptions {
  from?: string | undefined;
  case?: string | undefined;
  /** Members the report names who may still read the case (otherwise excluded). */
  includeMember?: string[] | undefined;
  /** The reporter's consent as flags (laid over the --from file's consent block). */
  consent?: ConsentFlags | undefined;
}

export async function run(o: NewReportOptions, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const now = io.now();
  let input: unknown;
  let source: string;
  const consent = consentFromFlags(o.consent ?? {});
  if (o.from) {
    ({ value: input, source } = await io.readFrom(o.from));
    if (consent && input !== null && typeof input === "object" && !Array.isArray(input)) {
      const body = input as Record<string, unknown>;
      input = { ...body, consent: mergeConsent(body["consent"], consent) };
    }
  } else {
    io.requirePrompting("new-report", ["--from <file|->"]);
    const me = await repo.me();
    const roster = repo.roster();
    input = await intake(io.ctx.prompter, {
      me: me.name,
      members: roster,
      now,
      consent,
      describeRecipients: (excluded) => {
        if (o.case) return `the members of case ${o.case}${excluded.length ? ` except ${excluded.join(", ")}` : ""}`;
        return roster.filter((n) => !excluded.includes(n)).join(", ");
      },
    });
    source = "the intake";
  }
  const body = validateBody("report", input, source);
  const result = await addReport(repo, body, { caseCode: o.case, now, includeMembers: o.includeMember });
  for (const m of result.excludedNamed) {
    io.warn(`the report names team member ${m.member} (${m.as}: "${m.name}"), so the case is not encrypted to them; if that is wrong, record it again with --include-member ${m.member}`);
  }
  if (io.json) io.printJson({ case: result.case });
  else io.print(result.case);
  io.info(`${o.case ? "Added a report to" : "Recorded a new report as"} case ${io.err.bold(result.case)}, encrypted to ${result.recipients.join(", ")}.`);
  if (result.removedFromCase.length > 0) {
    io.info(`Re-encrypted the case without ${result.removedFromCase.join(", ")}. Copies they already pulled stay readable to them (git history keeps old ciphertexts).`);
  }
  await sayNotShared(io, repo);
}
