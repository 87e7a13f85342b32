/**
 * The demo behind `coc demo [dir]`: a throwaway team of three (alex, bo,
 * chris) with identities of their own in `<dir>/keys/`, an incident
 * repository in `<dir>` and a handful of fictional cases modelled on the four
 * risk/impact examples of DESIGN.md §5, each taken through review and
 * resolution by the real commands (`main` run in-process).
 *
 * It never touches the user's own identity or settings: every step runs with
 * an environment built here, not the user's: COC_IDENTITY names the demo
 * member's key, and HOME and XDG_CONFIG_HOME point at `<dir>/keys/home`, so
 * coc's own files (roster pins) and git's configuration are the demo's (git
 * then commits as the team member, which also works on a machine with no git
 * configuration at all).
 */
import { appendFile, mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Context, Output } from "../context.js";
import { UserError } from "./errors.js";
import { formatUtc } from "../core/records/schema.js";
import type { Prompter } from "./prompts/prompter.js";
import type { Session } from "./session.js";

export const DEMO_MEMBERS = ["alex", "bo", "chris"] as const;
type Member = (typeof DEMO_MEMBERS)[number];

const EVENT = "DemoConf 2026";
const CONTACT = "care@democonf.invalid";
const POLICY_URL = "https://democonf.invalid/code-of-conduct";

/** What a demo created. */
export interface DemoResult {
  dir: string;
  identities: Record<Member, string>;
  cases: { case: string; title: string }[];
}

/** One step of a fictional case: a command run by a member, `hours` from now (negative: in the past). */
interface Step {
  hours: number;
  as: Member;
  argv: (code: string) => string[];
  yaml: string;
}

interface DemoCase {
  title: string;
  /** The first report opens the case; any further report is added to it with --case. */
  steps: Step[];
}

// The environment variables a demo step keeps from the user's: what git and the terminal need.
const KEEP = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "SYSTEMROOT", "NO_COLOR", "FORCE_COLOR", "COC_DEBUG"];

/** Never asks: every demo step has its input. */
const noPrompts: Prompter = {
  input: (q) => Promise.reject(new Error(`the demo asked "${q.id}"`)),
  confirm: (q) => Promise.reject(new Error(`the demo asked "${q.id}"`)),
  select: (q) => Promise.reject(new Error(`the demo asked "${q.id}"`)),
  checkbox: (q) => Promise.reject(new Error(`the demo asked "${q.id}"`)),
  password: (q) => Promise.reject(new Error(`the demo asked "${q.id}"`)),
  longText: (q) => Promise.reject(new Error(`the demo asked "${q.id}"`)),
  say: () => undefined,
};

function capture(): { stream: Output; text: () => string } {
  const chunks: string[] = [];
  return { stream: { write: (c) => void chunks.push(c), isTTY: false }, text: () => chunks.join("") };
}

/** A path quoted for a POSIX shell when it needs to be. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

class Demo {
  readonly #s: Session;
  readonly dir: string;
  readonly keys: string;
  readonly home: string;
  readonly #now: Date;

  constructor(s: Session, dir: string) {
    this.#s = s;
    this.dir = dir;
    this.keys = join(dir, "keys");
    this.home = join(this.keys, "home");
    this.#now = s.ctx.now();
  }

  identity(member: Member): string {
    return join(this.keys, `${member}.txt`);
  }

  /** The environment of a step: the demo's HOME and identity, nothing of the user's coc or git settings. */
  env(member: Member): Record<string, string> {
    const env: Record<string, string> = {
      HOME: this.home,
      XDG_CONFIG_HOME: join(this.home, ".config"),
      GIT_CONFIG_NOSYSTEM: "1",
      COC_IDENTITY: this.identity(member),
    };
    for (const k of KEEP) {
      const v = this.#s.ctx.env[k];
      if (v !== undefined) env[k] = v;
    }
    return env;
  }

  /** A time `hours` from now, as stored. */
  at(hours: number): string {
    return formatUtc(this.#at(hours));
  }

  #at(hours: number): Date {
    return new Date(Math.floor(this.#now.getTime() / 60_000) * 60_000 + Math.round(hours * 60) * 60_000);
  }

  /**
   * Runs `coc <argv>` as `member`, in the repository, with the clock at `hours`.
   * @param show stream stdout to the user's stdout (list, matrix, report); otherwise it is returned.
   * @throws UserError with the step's own messages when it fails.
   */
  async run(member: Member, argv: string[], opts: { hours: number; stdin?: string; show?: boolean }): Promise<string> {
    const { main } = await import("../main.js");
    const out = capture();
    const err = capture();
    const outer = this.#s.ctx.stdout;
    const ctx: Context = {
      cwd: this.dir,
      env: this.env(member),
      stdin: { isTTY: false, readAll: async () => opts.stdin ?? "" },
      stdout: opts.show ? { write: (c) => outer.write(c), isTTY: outer.isTTY, columns: outer.columns } : out.stream,
      stderr: err.stream,
      prompter: noPrompts,
      now: () => this.#at(opts.hours),
      platform: this.#s.ctx.platform,
    };
    const flags = this.#s.opts.color === false ? ["--no-color"] : [];
    const code = await main([...argv, ...flags], ctx);
    if (code !== 0) {
      const lines = err.text().split("\n").filter(Boolean);
      throw new UserError(`the demo failed at \`coc ${argv.join(" ")}\` (as ${member}); ${this.dir} is left as it was for a look`, lines);
    }
    return out.text();
  }
}

/**
 * Creates the demo in `dir` (which must not exist, or be empty) and prints
 * the list, a matrix and the transparency report to the session's stdout
 * (unless `show` is false).
 * @throws UserError when `dir` is not empty or a step fails.
 */
export async function runDemo(s: Session, dir: string, show: boolean): Promise<DemoResult> {
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? [] : Promise.reject(new UserError(`cannot use ${dir}: ${e.code ?? e.message}`))));
  if (entries.length > 0) throw new UserError(`${dir} is not empty; the demo needs a new or empty directory (e.g. coc demo coc-demo-2)`);
  const demo = new Demo(s, dir);
  await mkdir(demo.home, { recursive: true, mode: 0o700 });

  // The team: three throwaway identities, a repository, the roster.
  const setup = -240;
  const recipients = {} as Record<Member, string>;
  for (const m of DEMO_MEMBERS) recipients[m] = (await demo.run(m, ["keygen", "--out", demo.identity(m)], { hours: setup })).trim();
  await demo.run("alex", ["init", ".", "--event", EVENT, "--member", "alex", "--contact", CONTACT, "--policy-url", POLICY_URL], { hours: setup });
  // The keys live next to the repository's files but never in git.
  await appendFile(join(dir, ".git", "info", "exclude"), "\n# coc demo: throwaway identities and settings, never committed\n/keys/\n");
  for (const m of DEMO_MEMBERS.slice(1)) await demo.run("alex", ["team", "add", m, recipients[m]], { hours: setup });

  const cases: DemoResult["cases"] = [];
  for (const c of demoCases((h) => demo.at(h))) {
    let code = "";
    for (const step of c.steps) {
      const out = await demo.run(step.as, step.argv(code), { hours: step.hours, stdin: step.yaml });
      if (!code) code = out.trim();
    }
    cases.push({ case: code, title: c.title });
  }

  if (show) {
    const now = 0;
    let first = true;
    const heading = (cmd: string) => {
      s.ctx.stdout.write(`${first ? "" : "\n"}${s.out.bold(`$ ${cmd}`)}\n`);
      first = false;
    };
    heading("coc list");
    await demo.run("alex", ["list"], { hours: now, show: true });
    // The case from the public session: the reviewers' votes split, so its matrix shows the majority at work.
    const shown = cases[2]!.case;
    heading(`coc matrix ${shown}`);
    await demo.run("alex", ["matrix", shown], { hours: now, show: true });
    heading("coc transparency");
    await demo.run("alex", ["transparency"], { hours: now, show: true });
  }
  return { dir, identities: Object.fromEntries(DEMO_MEMBERS.map((m) => [m, demo.identity(m)])) as Record<Member, string>, cases };
}

const report = (hours: number, as: Member, yaml: string): Step => ({ hours, as, argv: (code) => (code ? ["new-report", "--case", code, "--from", "-"] : ["new-report", "--from", "-"]), yaml });
const step = (command: string, hours: number, as: Member, yaml: string): Step => ({ hours, as, argv: (code) => [command, code, "--from", "-"], yaml });
const review = (hours: number, as: Member, risk: string, impact: string, rationale: string): Step =>
  step("review", hours, as, `present: [alex, bo, chris]\nassessment: { risk: ${risk}, impact: ${impact}, in_scope: true, violation: "yes", rationale: "${rationale}" }\n`);

/**
 * The fictional cases, one per cell of the risk/impact matrix (DESIGN.md §5)
 * and one still in review. Every name and address is made up; none of them
 * appears in the public fields, which the checks of announce and
 * transparency prove.
 */
function demoCases(t: (hours: number) => string): DemoCase[] {
  return [
    {
      title: "low impact, low risk: an inappropriate joke made in private",
      steps: [
        report(-230, "bo", `channel: in-person
reporter: { name: Robin Sample, contact: robin@mail.invalid, wants_followup: true }
incident:
  summary: A joke about the reporter's accent, in a private conversation
  description: |
    During a coffee break, in a conversation of three, one person made a joke about the
    reporter's accent. The reporter felt singled out and left the conversation.
  location: coffee area, second floor
  people:
    - { name: Jordan Placeholder, role: reported, description: volunteer badge }
`),
        step("note", -229, "bo", "kind: reporter-contact\ntext: Thanked them for the report and said the team will review it today.\nparticipants: [bo]\n"),
        review(-228, "alex", "low", "low", "a single remark, in private"),
        review(-227.9, "bo", "low", "low", "one remark, no earlier reports"),
        review(-227.8, "chris", "low", "high", "the reporter left feeling singled out"),
        step("decide", -226, "alex", `stage: final
violation: "yes"
finding: In a private conversation at a coffee break, a joke was made about another participant's accent.
actions:
  - { level: demand the behaviour stops, owner: bo }
reasoning: A single remark, made in private, with no earlier reports; a conversation and a clear request to stop is proportionate.
decided_by: [alex, bo, chris]
lead_agreement: { by: alex }
`),
        step("note", -225, "bo", "kind: reported-contact\ntext: Talked with them with chris; they apologised and agreed to stop.\nparticipants: [bo, chris]\n"),
        step("followup", -224.9, "bo", `action: 0\ndone_at: ${t(-225)}\ntext: Spoken to, with chris.\n`),
        step("resolve", -220, "alex", `reporter_informed_at: ${t(-221)}
reported_informed_at: ${t(-225)}
closed_at: ${t(-220)}
public: { statement: none }
transparency:
  include: true
  title: A joke about someone's accent
  summary: In a private conversation, a participant joked about another participant's accent. The team asked them to stop, and they apologised.
  category: inappropriate jokes
`),
      ],
    },
    {
      title: "low impact, high risk: an attendee with a previous arrest or assault",
      steps: [
        report(-200, "chris", `channel: email
reporter: { name: Casey Sample, contact: casey@mail.invalid }
incident:
  summary: A registered attendee was arrested after an assault at another event last year
  description: |
    The reporter read a news article about the arrest and recognised the name on a
    badge. Nothing has happened at this event.
  people:
    - { name: Morgan Fictional, role: reported }
`),
        step("note", -199, "chris", "kind: reporter-contact\ntext: Thanked them; told them the team takes it seriously and will decide today.\nparticipants: [chris]\n"),
        review(-198, "alex", "high", "low", "nothing happened here, but the risk is real"),
        review(-197.9, "bo", "high", "low", "past violence elsewhere"),
        review(-197.8, "chris", "high", "low", "keep watch"),
        step("decide", -196, "alex", `stage: final
violation: "no"
finding: No behaviour at this event was reported; the concern is about the past, elsewhere.
actions:
  - { level: no action, detail: keep notes; the team on shift watches for any further report, owner: chris }
reasoning: Nothing happened at this event. The team keeps notes, and will act at once if anything is reported.
decided_by: [alex, bo, chris]
lead_agreement: { by: alex }
`),
        step("followup", -195, "chris", `action: 0\ndone_at: ${t(-195)}\ntext: Notes kept; the shift leads know.\n`),
        step("resolve", -190, "alex", `reporter_informed_at: ${t(-191)}
closed_at: ${t(-190)}
public: { statement: none }
transparency: { include: false, category: safety concern }
`),
      ],
    },
    {
      title: "high impact, low risk: inappropriate jokes in public",
      steps: [
        report(-150, "alex", `channel: online-form
reporter: { name: Dana Sample, contact: dana@mail.invalid, wants_followup: true }
incident:
  summary: Sexual jokes about women during a lightning talk
  description: |
    During a lightning talk, the speaker made several sexual jokes about women in tech.
    Part of the audience laughed; several people walked out.
  location: main hall
  people:
    - { name: Kim Example, role: reported, description: lightning talk speaker }
  witnesses:
    - { name: Lee Placeholder, contact: lee@mail.invalid }
`),
        step("note", -149, "alex", "kind: reporter-contact\ntext: Thanked them and told them the team is meeting about it now.\nparticipants: [alex]\n"),
        review(-148, "alex", "low", "high", "public and degrading, but no threat"),
        review(-147.9, "bo", "low", "high", "done in front of everyone"),
        review(-147.8, "chris", "high", "high", "the speaker may do it again at the social"),
        step("decide", -146, "alex", `stage: final
violation: "yes"
finding: During a lightning talk, several sexual jokes about women were made in front of the audience.
actions:
  - { level: do not publish the talk's video, owner: bo }
  - { level: remove from the event without refund, owner: alex }
reasoning: The jokes were public and degrading to a group of participants; the harm was done in front of everyone, so the response has to be visible too.
decided_by: [alex, bo, chris]
lead_agreement: { by: alex }
`),
        step("note", -145.5, "alex", "kind: reported-contact\ntext: Told them the decision with bo; they left the venue.\nparticipants: [alex, bo]\n"),
        step("followup", -145, "bo", `action: 0\ndone_at: ${t(-145)}\ntext: The recording is removed from the publishing queue.\n`),
        step("followup", -144.9, "alex", `action: 1\ndone_at: ${t(-145.5)}\ntext: Badge collected.\n`),
        step("resolve", -140, "alex", `reporter_informed_at: ${t(-141)}
reported_informed_at: ${t(-145.5)}
closed_at: ${t(-140)}
public:
  statement: announcement
  thing: jokes of a sexual nature about women were made in front of an audience
  action: the recording will not be published, and the person responsible was asked to leave the event
transparency:
  include: true
  title: Sexual jokes in front of an audience
  summary: Jokes of a sexual nature about women were made in front of an audience. The recording was not published and the person was asked to leave.
  category: sexual jokes
`),
      ],
    },
    {
      title: "high impact, high risk: persistent coordinated harassment (two reports)",
      steps: [
        report(-120, "alex", `channel: chat
reporter: { name: Quinn Sample, contact: quinn@mail.invalid, wants_followup: true }
incident:
  summary: Hostile messages from two attendees, for days, online and at the venue
  description: |
    Two attendees have been sending the reporter hostile messages since the first day,
    and posting about them in the event chat.
  ongoing: true
  people:
    - { name: Pat Example, role: reported }
    - { name: Jamie Example, role: reported }
`),
        report(-118, "bo", `channel: in-person
reporter: { name: Ray Placeholder, contact: ray@mail.invalid }
incident:
  summary: Followed between sessions by two people who had been posting about them
  description: |
    The same two attendees followed the reporter between sessions and made remarks.
  ongoing: true
  people:
    - { name: Pat Example, role: reported }
    - { name: Jamie Example, role: reported }
`),
        step("note", -117.5, "alex", "kind: reporter-contact\ntext: Talked with both reporters; offered a safe room and a team member nearby.\nparticipants: [alex]\n"),
        review(-117, "alex", "high", "high", "persistent, coordinated, ongoing"),
        review(-116.9, "bo", "high", "high", "two people targeted, online and in person"),
        review(-116.8, "chris", "high", "high", "needs the whole team"),
        step("decide", -116, "alex", `stage: final
violation: "yes"
finding: Over several days, two attendees together sent hostile messages to other participants, posted about them in the event chat and followed them between sessions.
actions:
  - { level: remove from the event without refund, owner: alex }
  - { level: demand no further contact with certain people, owner: chris }
reasoning: Persistent and coordinated behaviour, still going on, against several people; the whole team acts together, at once.
decided_by: [alex, bo, chris]
lead_agreement: { by: alex }
`),
        step("note", -115.5, "chris", "kind: reported-contact\ntext: With alex, told both of them the decision; badges collected.\nparticipants: [alex, chris]\n"),
        step("followup", -115, "alex", `action: 0\ndone_at: ${t(-115.5)}\ntext: Both badges collected.\n`),
        step("followup", -114.9, "chris", `action: 1\ndone_at: ${t(-115.5)}\ntext: No-contact demand given in writing.\n`),
        step("resolve", -110, "alex", `reporter_informed_at: ${t(-112)}
reported_informed_at: ${t(-115.5)}
closed_at: ${t(-110)}
public:
  statement: announcement
  thing: a small group of attendees repeatedly harassed other participants, online and at the venue
  action: the people responsible were removed from the event and may not contact the people they targeted
transparency:
  include: true
  title: Coordinated harassment
  summary: Over several days, attendees acting together harassed other participants online and at the venue. They were removed from the event.
  category: harassment
`),
      ],
    },
    {
      title: "in review: an anonymous report from the social",
      steps: [
        report(-3, "chris", `channel: online-form
reporter: { anonymous: true, keep_private: true }
incident:
  summary: Comments about a participant's appearance at the evening social
  description: |
    An anonymous form entry: someone kept commenting on a participant's appearance.
  people:
    - { name: Sky Placeholder, role: reported }
`),
        review(-1, "alex", "low", "high", "repeated comments in front of others"),
        review(-0.5, "bo", "high", "high", "they may be at tomorrow's social"),
      ],
    },
  ];
}
