/**
 * The Repo handle: one open incident repository as seen by one team member.
 * Its paths, settings and roster, its git client and write log, and (once
 * unlocked) the member's identity. Use cases in ../actions/ take a Repo;
 * it never prompts and never prints.
 */
import { UserError } from "../errors.js";
import type { RecordDecrypter } from "../crypto/age.js";
import { configHome } from "../crypto/identity.js";
import { Git, type Env } from "../git/client.js";
import { installGuard, type GuardInstall } from "../git/guard.js";
import { loadConfig, loadTeam, type Config, type Member, type Team } from "./config.js";
import { findRepo, type RepoPaths } from "./layout.js";
import type { TrustedMember } from "../records/verification.js";
import { sweepDebris } from "./debris.js";
import { refuseMidOperation } from "./git-state.js";
import type { CaseFiles, Problem } from "./store.js";
import { forgetFiles } from "./cache.js";
import { readThreads, readVerified } from "./read-cases.js";
import type { ProcessOwner } from "./lock.js";
import { WriteLog, type FaultHooks, type Recovery, type Transaction } from "./transaction.js";
import { ownEditsOnly } from "./own-edits.js";
import { checkNoOverlap, loadOversight, type Oversight, type OversightPerson } from "./oversight.js";
import { currentPin, describeDiff, loadPin, pinPath, repositoryId, rosterChanged, savePin, trustState, type TrustDiff, type TrustState } from "./trust.js";

/** How the front end takes part in trust (see ./trust.ts). */
export interface TrustHooks {
  /** Shows the change and asks; false when nobody can be asked. */
  confirm(diff: TrustDiff): Promise<boolean>;
  /** Tells the user something once (the first-use pin). */
  notice(message: string): void;
}

export interface OpenOptions {
  cwd: string;
  /** `--repo` (or COC_REPO); otherwise the nearest ancestor holding `.coc/`. */
  repo?: string | undefined;
  env: Env;
  /** Unlocks the caller's identity; called at most once, only when needed. */
  unlock: () => Promise<RecordDecrypter>;
  /** Trust confirmation; without it, a changed roster, setting or template is always refused. */
  trust?: TrustHooks | undefined;
  /** The command's clock (records dated well after it do not count yet); the system clock when absent. */
  now?: (() => Date) | undefined;
  /** This process, for the lock that keeps two coc commands from changing records at once. */
  owner?: ProcessOwner | undefined;
  /** Fault injection for tests of interrupted transactions. */
  faults?: FaultHooks | undefined;
}

export class Repo {
  readonly paths: RepoPaths;
  readonly env: Env;
  readonly git: Git;
  readonly log: WriteLog;
  config: Config;
  team: Team;
  /** The oversight list (.coc/oversight.yaml): people outside the team, given a case only by an escalation. */
  oversight: Oversight;
  /** What an interrupted change turned into when the repository was opened. */
  recovered: Recovery = "none";
  /** Whether opening had to install coc's guard, or switch a clone set up the old way. */
  guard: GuardInstall = { result: "ok", hooksPathWas: undefined };
  readonly #unlock: () => Promise<RecordDecrypter>;
  readonly #now: () => Date;
  readonly #trust: TrustHooks | undefined;
  #decrypter: Promise<RecordDecrypter> | undefined;
  #trusted = false;

  private constructor(paths: RepoPaths, env: Env, config: Config, team: Team, oversight: Oversight, opts: OpenOptions) {
    this.paths = paths;
    this.env = env;
    this.config = config;
    this.team = team;
    this.oversight = oversight;
    this.git = new Git(paths.root, env);
    this.log = new WriteLog(this.git, paths, opts.owner, opts.faults);
    this.#unlock = opts.unlock;
    this.#now = opts.now ?? (() => new Date());
    this.#trust = opts.trust;
  }

  /**
   * Finds and loads the repository. Before any git command runs, coc's own
   * guard is installed (a clone set up the old way is switched over); then a
   * change a killed process left behind is finished or undone.
   * @throws UserError when it is missing, is not a git repository, or its settings are invalid.
   */
  static async open(opts: OpenOptions): Promise<Repo> {
    const paths = await findRepo(opts.cwd, opts.repo);
    const [config, team, oversight] = await Promise.all([loadConfig(paths.config), loadTeam(paths.team), loadOversight(paths.oversight)]);
    checkNoOverlap(oversight, team, paths.oversight);
    const repo = new Repo(paths, opts.env, config, team, oversight, opts);
    repo.guard = await installGuard(repo.git);
    repo.recovered = await repo.log.settle();
    if (repo.recovered !== "none" && repo.recovered !== "in-progress") await repo.reload();
    // A roster change of this user's that a killed command had committed: their pin follows it, as it would have.
    if (repo.log.finishedRosterChange) await repo.confirmTrust().catch(() => undefined);
    return repo;
  }

  /** Reads config.yaml and team.yaml again (under the lock, before a change). */
  async reload(): Promise<void> {
    [this.config, this.team, this.oversight] = await Promise.all([loadConfig(this.paths.config), loadTeam(this.paths.team), loadOversight(this.paths.oversight)]);
    checkNoOverlap(this.oversight, this.team, this.paths.oversight);
  }

  /**
   * Runs a change under the clone's lock: an interrupted change is settled
   * first and the roster and settings are read again, so what the change
   * decides (who reads a case) is decided on what is on disk now.
   * @throws UserError when another coc command is changing the repository.
   */
  write<T>(fn: () => Promise<T>): Promise<T> {
    return this.log.locked(async () => {
      await refuseMidOperation(this.git);
      await sweepDebris(this.paths);
      await this.reload();
      return fn();
    });
  }

  /**
   * Commits a transaction; only inside {@link write}. What it deletes (a
   * purge) is dropped from the user's read cache at once.
   */
  async commit(t: Transaction): Promise<{ written: string[]; committed: boolean }> {
    const result = await this.log.commit({ threads: readThreads(this.env["COC_THREADS"]), ...t });
    if (t.deletes?.length && this.#decrypter) await forgetFiles(await this.git.dir(), await this.#decrypter, t.deletes);
    return result;
  }

  /** The caller's identity, unlocked once per process. */
  decrypter(): Promise<RecordDecrypter> {
    this.#decrypter ??= this.#unlock();
    return this.#decrypter;
  }

  /** The team member whose recipient matches the caller's identity. @throws UserError when none does. */
  async me(): Promise<Member> {
    const d = await this.decrypter();
    const member = this.team.members.find((m) => d.recipients.includes(m.recipient));
    if (!member) {
      const overseer = this.oversight.people.find((p) => d.recipients.includes(p.recipient));
      throw new UserError(`your identity (${d.recipients[0]}) is not on the roster of ${this.paths.root}`, [], "not-on-roster", { key: d.recipients[0]!, ...(overseer ? { overseer: overseer.name } : {}) });
    }
    return member;
  }

  member(name: string): Member | undefined {
    return this.team.members.find((m) => m.name === name);
  }

  /** Names on the roster, in roster order. */
  roster(): string[] {
    return this.team.members.map((m) => m.name);
  }

  /** Members on the roster who were removed before (name → when): see caseAudience. */
  rejoined(): Map<string, string> {
    const names = new Set(this.roster());
    return new Map((this.team.former ?? []).filter((f) => names.has(f.name)).map((f) => [f.name, f.removed_at]));
  }

  /** An oversight person by name (never a team member: the names do not overlap). */
  overseer(name: string): OversightPerson | undefined {
    return this.oversight.people.find((p) => p.name === name);
  }

  /**
   * The public keys of readers, by name: members, and the oversight people an
   * audience names (only an escalation puts one there).
   * @throws Error for a name on neither list (a bug: callers check names first).
   */
  keysFor(names: readonly string[]): string[] {
    return names.map((n) => {
      const m = this.member(n) ?? this.overseer(n);
      if (!m) throw new Error(`member ${n} not on the roster`);
      return m.recipient;
    });
  }

  /**
   * Reads every case (or the given ones) in one batch; bad files are
   * problems, never thrown. Each case's records are sorted into verified
   * (they count) and unverified (shown, never counted): see ./read-cases.ts
   * (and ./cache.ts for the user's read cache, which `coc verify` turns off
   * with `opts.cache`). A file removed while being read by another coc
   * command's change is left out, unless `opts.strict` (`coc verify`).
   */
  async readCases(codes?: readonly string[], opts: { cache?: boolean; strict?: boolean } = {}): Promise<{ cases: CaseFiles[]; problems: Problem[] }> {
    return readVerified(
      {
        paths: this.paths,
        gitDir: () => this.git.dir(),
        decrypter: await this.decrypter(),
        members: await this.trustedMembers(),
        roster: this.team.members.length + this.oversight.people.length,
        rejoined: this.rejoined(),
        now: this.#now(),
        threads: readThreads(this.env["COC_THREADS"]),
        // Another coc command changing the clone, as this one found when it opened it (and warned) or finds now.
        changing: opts.strict ? undefined : async () => this.recovered === "in-progress" || (await this.log.busy()),
      },
      codes,
      opts,
    );
  }

  /**
   * The members whose keys check records: the roster this user confirmed
   * (their pin), or the current one before their first pin.
   */
  async trustedMembers(): Promise<TrustedMember[]> {
    // Someone not on the roster (a removed member) has no pin here: the current roster checks, as for anyone before their first pin.
    const pin = await this.#pin().catch(() => undefined);
    const pinned = pin ? await loadPin(pin.path) : undefined;
    const source = pinned ?? { members: this.team.members, former: this.team.former };
    const current = new Set(source.members.map((m) => m.name));
    const former = (source.former ?? []).filter((f) => !current.has(f.name)).map((f) => ({ ...f, roles: [] }));
    return [...source.members, ...former];
  }

  async #pin(): Promise<{ path: string; id: string }> {
    const me = await this.me();
    const home = configHome(this.env);
    const roots = async () => (await this.git.raw(["rev-list", "--max-parents=0", "HEAD"]).catch(() => "")).split("\n").filter(Boolean);
    const id = await repositoryId(await this.git.dir(), home, roots, me.recipient);
    return { path: pinPath(home, id, me.recipient), id };
  }

  /** What is there now against what this user last confirmed. */
  async trustState(): Promise<TrustState> {
    return trustState((await this.#pin()).path, await currentPin(this.team, this.config, this.paths.templates, this.oversight));
  }

  /** Records the current roster, settings and templates as confirmed by this user. */
  async confirmTrust(): Promise<void> {
    const pin = await this.#pin();
    await savePin(pin.path, pin.id, { ...(await currentPin(this.team, this.config, this.paths.templates, this.oversight)), head: await this.git.head() });
    this.#trusted = true;
  }

  /**
   * Pins the user's own edits of settings and templates (see
   * {@link ensureTrusted}) when they are the only change, and does nothing
   * otherwise: run before a sync shares them, so that once pushed they are
   * not taken for a change that arrived from elsewhere.
   */
  async adoptOwnEdits(): Promise<void> {
    const state = await this.trustState();
    if (state.kind === "changed" && !rosterChanged(state.diff) && (await ownEditsOnly(this.git, this.team, this.config, this.paths, state.pinned))) await this.confirmTrust();
    // An own edit pinned before it was committed: once committed (the work tree holds no other
    // edit of settings or templates), the pin moves to HEAD, so the commit, pushed, is not taken
    // later for a change that arrived from elsewhere.
    if (state.kind === "same" && state.head !== (await this.git.head()) && (await this.git.raw(["status", "--porcelain", "--", ".coc/config.yaml", "templates"])).trim() === "") await this.confirmTrust();
  }

  /**
   * Nothing is encrypted to a roster, and nothing is printed or written from
   * settings or templates, that the user has not confirmed: pinned on first
   * use, asked about when it changed behind their back.
   * @throws UserError when a change is not confirmed.
   */
  async ensureTrusted(doing: "encrypted" | "printed or written" = "encrypted"): Promise<void> {
    if (this.#trusted) return;
    const state = await this.trustState();
    if (state.kind === "changed" && !rosterChanged(state.diff) && (await ownEditsOnly(this.git, this.team, this.config, this.paths, state.pinned))) {
      // Settings or templates the user edited in this clone: their own change, not one that arrived.
      await this.confirmTrust();
      return;
    }
    if (state.kind === "first-use") {
      await this.confirmTrust();
      this.#trust?.notice(`Pinned the roster of this repository as found (trust on first use): ${this.roster().join(", ")}. coc will ask before encrypting to anyone added later.`);
      return;
    }
    if (state.kind === "changed") {
      const ok = this.#trust ? await this.#trust.confirm(state.diff) : false;
      if (!ok) {
        const what = rosterChanged(state.diff) ? "the team roster changed since you last confirmed it" : "the team's settings or templates changed since you last confirmed them";
        throw new UserError(`${what} (${describeDiff(state.diff).join("; ")}); nothing was ${doing}`, [], "roster-changed");
      }
    }
    if (state.kind === "changed" || state.upgrade) await this.confirmTrust();
    this.#trusted = true;
  }
}
