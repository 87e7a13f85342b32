/**
 * `coc transparency`: the anonymised transparency report over all cases the
 * caller can read, checked for every name, contact and handle in the reports
 * before it is printed.
 */
import { collectTransparency, consentOf, isDay, openCase, recordOverride, renderTransparency, TRANSPARENCY_FORMATS, transparencyValues, type TransparencyFormat } from "../../../core/index.js";
import { UsageError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { publish } from "../../output/publish.js";
import { templatesDir } from "../../paths.js";

export interface TransparencyOptions {
  format?: string | undefined;
  out?: string | undefined;
  /** UTC days, YYYY-MM-DD. */
  since?: string | undefined;
  until?: string | undefined;
  /** Terms accepted as ordinary words. */
  allow: string[];
  /** Describe the cases whose reporter has not agreed, for this reason (a signed note in each). */
  override?: string | undefined;
}

export async function run(o: TransparencyOptions, io: Io): Promise<void> {
  const format = checkFlags(o, io.json);
  const repo = await openRepo(io, { publishing: true });
  const built = await collectTransparency(repo, { since: o.since, until: o.until, now: io.now(), overrideConsent: o.override !== undefined });
  if (built.withoutConsent.length > 0 && o.override === undefined) {
    const n = built.withoutConsent.length;
    io.warn(
      `${n} case${n === 1 ? "" : "s"} the team chose to describe ${n === 1 ? "is" : "are"} counted but not described: the reporter's consent to describing ${n === 1 ? "it" : "them"} is not recorded as yes (${built.withoutConsent.join(", ")}); record it with coc consent <case> --transparency yes, or pass --override "<reason>"`,
    );
  }
  for (const p of built.problems) io.warn(`${p.file}: ${p.message} (counted from the records that could be read)`);
  const restricted = built.restricted.length;
  if (restricted > 0) {
    io.warn(`${restricted} case${restricted === 1 ? " is" : "s are"} not encrypted to you and not counted: ${built.restricted.join(", ")}; ask a member who can read ${restricted === 1 ? "it" : "them"} to produce the report`);
  }
  if (!built.report.policy_url && built.report.visibility.length === 0) {
    io.warn("the report cannot say where the code of conduct was published or how it was made visible: set policy_url and visibility in .coc/config.yaml");
  }
  await publish(io, {
    render: () => renderTransparency(built.report, format, { dirs: [repo.paths.templates, templatesDir()] }),
    exact: format === "json",
    values: transparencyValues(built),
    what: "transparency report",
    terms: built.terms,
    allow: o.allow,
    out: o.out,
    repoRoot: repo.paths.root,
    publicSettings: [built.report.event.name, built.report.policy_url, built.report.contact],
    fix: "(a new `coc resolve <case>` or `coc decide <case>` replaces it)",
    beforeOutput:
      o.override !== undefined && built.withoutConsent.length > 0
        ? async () => {
            for (const code of built.withoutConsent) {
              const files = await openCase(repo, code);
              await recordOverride(repo, code, "transparency", o.override!, consentOf(files), io.now());
            }
            io.warn(`described without the reporter's agreement: ${built.withoutConsent.join(", ")}; the override and its reason are recorded as a signed note in each`);
          }
        : undefined,
  });
}

/**
 * The format in force, once the flags agree with each other.
 * @throws UsageError for an unknown format or date, or flags that contradict each other.
 */
function checkFlags(o: TransparencyOptions, json: boolean): TransparencyFormat {
  const formats: readonly string[] = TRANSPARENCY_FORMATS;
  if (o.format !== undefined && !formats.includes(o.format)) throw new UsageError(`--format must be one of ${formats.join(", ")} (got "${o.format}")`);
  if (json && o.format !== undefined && o.format !== "json") throw new UsageError(`--json cannot be combined with --format ${o.format}`);
  for (const [flag, v] of [["--since", o.since], ["--until", o.until]] as const) {
    if (v !== undefined && !isDay(v)) throw new UsageError(`${flag} must be a date such as 2026-06-01 (got "${v}")`);
  }
  if (o.since && o.until && o.since > o.until) throw new UsageError(`--since (${o.since}) is after --until (${o.until})`);
  if (o.out !== undefined && o.out.trim() === "") throw new UsageError("--out needs a file name");
  if (o.override !== undefined && o.override.trim() === "") throw new UsageError('--override needs a reason: --override "<why the cases must be described without the reporters\' agreement>"');
  return (o.format ?? (json ? "json" : "md")) as TransparencyFormat;
}
