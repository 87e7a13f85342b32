/**
 * The demo's script: the fictional team settings and cases of
 * data/demo-cases.yaml (shipped with the package), each case a list of steps
 * that one member records at a time relative to now.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseYaml } from "../core/index.js";

export const DEMO_MEMBERS = ["alex", "bo", "chris"] as const;
export type DemoMember = (typeof DEMO_MEMBERS)[number];

/** What a step records, named after the command a member would run (`report` is `coc new-report`). */
const STEP_KINDS = ["report", "note", "review", "decide", "followup", "resolve", "consent"] as const;
type StepKind = (typeof STEP_KINDS)[number];

/** One thing a member records: the body (the `--from` file of the command), at a time in hours from now. */
export interface Step {
  at: number;
  as: DemoMember;
  kind: StepKind;
  /** Where it is in the file, for messages: `cases[0].steps[2]`. */
  where: string;
  /** Not yet validated: the use cases check it against the record schemas. */
  body: unknown;
}

interface DemoCase {
  title: string;
  /** The first report opens the case; any further report is added to it. */
  steps: Step[];
}

interface DemoScript {
  event: { name: string; contact: string; policy_url: string; platforms: string[] };
  cases: DemoCase[];
}

/** The data file, next to the package's templates/ (two levels up from src/demo/ or dist/demo/). */
const SCRIPT = fileURLToPath(new URL("../../data/demo-cases.yaml", import.meta.url));

/**
 * Reads the script; `"@hours N"` becomes the stored time N hours from now.
 * @param at the stored time (UTC, ISO 8601) `hours` from now.
 * @throws Error when the file is missing or malformed: it ships with coc, so that is a bug.
 */
export async function loadScript(at: (hours: number) => string): Promise<DemoScript> {
  return checkScript(resolveHours(parseYaml(await readFile(SCRIPT, "utf8"), SCRIPT), at));
}

const HOURS = /^@hours (-?\d+(?:\.\d+)?)$/;

/** Replaces every `"@hours N"` string with the time N hours from the demo's present. */
function resolveHours(value: unknown, at: (hours: number) => string): unknown {
  if (typeof value === "string") {
    const m = HOURS.exec(value);
    return m ? at(Number(m[1])) : value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveHours(v, at));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveHours(v, at)]));
  return value;
}

function checkScript(value: unknown): DemoScript {
  const bad = (where: string, what: string): never => {
    throw new Error(`${SCRIPT}: ${where}: ${what}`);
  };
  const root = record(value) ?? bad("the document", "expected a mapping with event and cases");
  const event = record(root["event"]) ?? bad("event", "expected a mapping");
  for (const k of ["name", "contact", "policy_url"]) if (typeof event[k] !== "string") bad(`event.${k}`, "expected text");
  if (!Array.isArray(event["platforms"]) || !event["platforms"].every((x) => typeof x === "string")) bad("event.platforms", "expected a list of platform names");
  if (!Array.isArray(root["cases"])) bad("cases", "expected a list");
  const cases = (root["cases"] as unknown[]).map((raw, i): DemoCase => {
    const c = record(raw) ?? bad(`cases[${i}]`, "expected a mapping with title and steps");
    if (typeof c["title"] !== "string") bad(`cases[${i}].title`, "expected text");
    if (!Array.isArray(c["steps"]) || c["steps"].length === 0) bad(`cases[${i}].steps`, "expected a list of steps");
    const steps = (c["steps"] as unknown[]).map((s, j) => checkStep(s, `cases[${i}].steps[${j}]`, bad));
    if (steps[0]!.kind !== "report") bad(`cases[${i}].steps[0]`, "a case opens with a report");
    return { title: c["title"] as string, steps };
  });
  return { event: event as DemoScript["event"], cases };
}

function checkStep(value: unknown, where: string, bad: (where: string, what: string) => never): Step {
  const { at, as, ...rest } = record(value) ?? bad(where, "expected a mapping");
  const kinds = Object.keys(rest);
  if (typeof at !== "number") bad(`${where}.at`, "expected a number of hours");
  if (!(DEMO_MEMBERS as readonly unknown[]).includes(as)) bad(`${where}.as`, `expected one of ${DEMO_MEMBERS.join(", ")}`);
  const kind = kinds[0] as StepKind;
  if (kinds.length !== 1 || !STEP_KINDS.includes(kind)) bad(where, `expected exactly one of ${STEP_KINDS.join(", ")}`);
  return { at, as: as as DemoMember, kind, where, body: rest[kind] };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
