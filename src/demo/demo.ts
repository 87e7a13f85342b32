/**
 * The demo behind `coc demo [dir]`: a throwaway team of three (alex, bo,
 * chris) with identities of their own in `<dir>/keys/`, an incident
 * repository in `<dir>` and the fictional cases of data/demo-cases.yaml,
 * each taken through review and resolution by core's own use cases, as
 * each member in turn.
 *
 * It never touches the user's own identity or settings: every member works
 * with an environment built here, not the user's. HOME and XDG_CONFIG_HOME
 * point at `<dir>/keys/home`, so coc's own files (roster pins) and git's
 * configuration are the demo's (git then commits as the team member, which
 * also works on a machine with no git configuration at all).
 */
import { appendFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { addMember, addRecords, addReport, formatUtc, initRepo, loadIdentity, openCase, parseReviewFile, Repo, ruleContext, UserError, validateBody, writeNewIdentity, type RecordPart } from "../core/index.js";
import { DEMO_MEMBERS, loadScript, type DemoMember, type Step } from "./script.js";

type Env = Readonly<Record<string, string | undefined>>;

/** What a demo created (the shape of `coc demo --json`). */
export interface DemoResult {
  dir: string;
  identities: Record<DemoMember, string>;
  cases: { case: string; title: string }[];
}

/** A step of the demo failed; `cause` is the error of the use case. */
export class DemoStepError extends Error {
  override readonly name = "DemoStepError";
  constructor(command: string, member: DemoMember, dir: string, cause: unknown) {
    super(`the demo failed at \`${command}\` (as ${member}); ${dir} is left as it was for a look`, { cause });
  }
}

// The environment variables a demo member keeps from the user's: what git and the terminal need.
const KEEP = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SYSTEMROOT", "NO_COLOR", "FORCE_COLOR", "COC_DEBUG"];

/** The demo's place and clock: where each member's key is, their environment, and the demo's "now". */
export class DemoWorld {
  readonly dir: string;
  readonly keys: string;
  readonly home: string;
  readonly #outer: Env;
  readonly #start: number;

  /**
   * @param outer the user's environment: only the variables git and the terminal need are kept.
   * @param now the demo's present; steps are placed in whole minutes around it.
   */
  constructor(dir: string, outer: Env, now: Date) {
    this.dir = dir;
    this.keys = join(dir, "keys");
    this.home = join(this.keys, "home");
    this.#outer = outer;
    this.#start = Math.floor(now.getTime() / 60_000) * 60_000;
  }

  identity(member: DemoMember): string {
    return join(this.keys, `${member}.txt`);
  }

  /** The environment of a member: the demo's HOME and identity, nothing of the user's coc or git settings. */
  env(member: DemoMember): Record<string, string> {
    const env: Record<string, string> = {
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, ".config"),
      GIT_CONFIG_NOSYSTEM: "1",
      COC_IDENTITY: this.identity(member),
    };
    for (const k of KEEP) {
      const v = this.#outer[k];
      if (v !== undefined) env[k] = v;
    }
    return env;
  }

  /** The time `hours` from the demo's present (negative: in the past). */
  time(hours: number): Date {
    return new Date(this.#start + Math.round(hours * 60) * 60_000);
  }
}

export interface CreateOptions {
  /** The built-in templates, copied into the new repository. */
  templatesDir: string;
  /** Refuse identity files readable by others (POSIX only). */
  checkPermissions: boolean;
}

/** What each step records, by the command a member would have run. */
const RECORD_TYPES = { note: "note", decide: "decision", followup: "followup", resolve: "resolution", consent: "consent" } as const;

/**
 * Creates the demo in `world.dir`, which must not exist or be empty: the
 * identities, the repository with its roster, and every case of the script.
 * @throws UserError when the directory is not empty or cannot be read;
 * DemoStepError (nothing is cleaned up) when a step fails.
 */
export async function createDemo(world: DemoWorld, opts: CreateOptions): Promise<DemoResult> {
  const { dir } = world;
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? [] : Promise.reject(new UserError(`cannot use ${dir}: ${e.code ?? e.message}`))));
  if (entries.length > 0) throw new UserError(`${dir} is not empty; the demo needs a new or empty directory (e.g. coc demo coc-demo-2)`);
  await mkdir(world.home, { recursive: true, mode: 0o700 });
  const script = await loadScript((hours) => formatUtc(world.time(hours)));

  const step = async <T>(command: string, member: DemoMember, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw new DemoStepError(command, member, dir, e);
    }
  };
  const repos = new Map<DemoMember, Repo>();
  const repoOf = async (member: DemoMember): Promise<Repo> => {
    let repo = repos.get(member);
    if (!repo) {
      const path = world.identity(member);
      repo = await Repo.open({ cwd: dir, env: world.env(member), unlock: () => loadIdentity({ path, checkPermissions: opts.checkPermissions }) });
      repos.set(member, repo);
    }
    return repo;
  };

  // The team: three throwaway identities, a repository, the roster.
  const setup = world.time(-240);
  const recipients = {} as Record<DemoMember, { recipient: string; signingKey: string }>;
  for (const m of DEMO_MEMBERS) recipients[m] = await step(`coc keygen --out ${world.identity(m)}`, m, () => writeNewIdentity(world.identity(m), setup));
  const { event } = script;
  await step(`coc init . --event ${event.name} --member alex`, "alex", async () => {
    await initRepo({ dir, env: world.env("alex"), event: event.name, member: "alex", recipient: recipients.alex.recipient, signingKey: recipients.alex.signingKey, contact: event.contact, policyUrl: event.policy_url, platforms: event.platforms, templatesDir: opts.templatesDir });
    // The roster alex just created is the one alex trusts.
    await (await repoOf("alex")).confirmTrust();
  });
  // The keys live next to the repository's files but never in git.
  await appendFile(join(dir, ".git", "info", "exclude"), "\n# coc demo: throwaway identities and settings, never committed\n/keys/\n");
  for (const m of DEMO_MEMBERS.slice(1)) {
    await step(`coc team add ${m}`, "alex", async () => addMember(await repoOf("alex"), { name: m, recipient: recipients[m].recipient, signing_key: recipients[m].signingKey, roles: ["responder"] }));
  }

  const cases: DemoResult["cases"] = [];
  for (const c of script.cases) {
    let code = "";
    for (const s of c.steps) {
      const command = s.kind === "report" ? `coc new-report${code ? ` --case ${code}` : ""}` : `coc ${s.kind} ${code}`;
      code = await step(`${command} --from -`, s.as, async () => record(await repoOf(s.as), code, s, world.time(s.at)));
    }
    cases.push({ case: code, title: c.title });
  }
  return { dir, identities: Object.fromEntries(DEMO_MEMBERS.map((m) => [m, world.identity(m)])) as Record<DemoMember, string>, cases };
}

/**
 * Records one step in case `code` (a report without a code opens a new
 * case), as the use cases behind the commands do with a `--from` body.
 * @returns the case code.
 */
async function record(repo: Repo, code: string, step: Step, now: Date): Promise<string> {
  const source = `demo-cases.yaml ${step.where}`;
  if (step.kind === "report") {
    const body = validateBody("report", step.body, source, "report");
    return (await addReport(repo, body, { caseCode: code || undefined, now })).case;
  }
  let parts: RecordPart[];
  let message: string;
  if (step.kind === "review") {
    const plan = parseReviewFile(step.body, `${source}.review`, ruleContext(repo, await openCase(repo, code)), code);
    if (plan.conflicts.length > 0) throw new Error(`${source}: the demo's reviews declare no conflicts`);
    parts = plan.parts;
    message = `coc: review ${code}`;
  } else {
    const type = RECORD_TYPES[step.kind];
    parts = [{ type, body: validateBody(type, step.body, source, step.kind), source, prefix: step.kind }];
    message = `coc: ${type} ${code}`;
  }
  await addRecords(repo, code, parts, { now, message });
  return code;
}
