/**
 * A workspace is one open incident repository as seen by one team member:
 * its settings, its roster, and (once unlocked) the member's identity. It is
 * the API a front end uses; it never prompts and never prints.
 */
import { writeFile } from "node:fs/promises";
import { UserError } from "../../errors.js";
import type { RecordDecrypter } from "../crypto/age.js";
import { createHash } from "node:crypto";
import { configHome } from "../crypto/identity.js";
import { commitPaths, ensureHooksPath, rootCommit, type Env } from "../git/git.js";
import { describeDiff, pinPath, savePin, trustState, type RosterDiff, type TrustState } from "./trust.js";
import { commitTransaction, recoverTransaction, type ProcessOwner } from "./transaction.js";
import { validate } from "../records/document.js";
import { makeRecord } from "../records/record.js";
import { checkRules, type RuleContext } from "../records/rules.js";
import { BODY_SCHEMAS, type BodyOf, type CocRecord, type ConflictBody, type RecordType, type ReportBody } from "../records/schema.js";
import { actionsInForce, foldCase, sortRecords, type CaseState, type CaseSummary } from "../records/state.js";
import { findSensitive, sensitiveTerms } from "../reports/safety.js";
import { assertCaseCode, newRecordId, randomCaseCode } from "./codes.js";
import { LADDERS, loadConfig, loadTeam, teamText, type Config, type Member, type Team, memberSchema } from "./config.js";
import { findRepo, type RepoPaths } from "./layout.js";
import { readLimits } from "./read.js";
import { caseExists, listCaseCodes, readCases, type CaseFiles, type PendingWrite, type Problem, type StoredRecord } from "./store.js";

/** How the front end takes part in roster trust (see ./trust.ts). */
export interface TrustHooks {
  /** Shows the change and asks; false when nobody can be asked. */
  confirm(diff: RosterDiff): Promise<boolean>;
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
  /** Roster trust; without it, a changed roster is always refused. */
  trust?: TrustHooks | undefined;
  /** This process, for the lock that keeps two coc commands from changing records at once. */
  owner?: ProcessOwner | undefined;
  /** Fault injection for tests of interrupted transactions. */
  hooks?: { afterMove?: (index: number) => void; afterCommit?: () => void } | undefined;
}

/**
 * A case as listed: its summary; or `restricted` when it is not encrypted to
 * the caller; or `unreadable` when none of its files could be read at all.
 */
export interface ListedCase {
  case: string;
  restricted: boolean;
  unreadable: boolean;
  summary: CaseSummary | null;
}

export interface ListResult {
  cases: ListedCase[];
  problems: Problem[];
}

export interface ShownCase {
  summary: CaseSummary;
  records: StoredRecord[];
  notForYou: string[];
  problems: Problem[];
}

/** A record to add: its type and schema-valid body, and where it came from (for messages). */
export interface RecordPart {
  type: Exclude<RecordType, "report">;
  body: unknown;
  source: string;
  /** Field prefix in messages, e.g. "decision" for a part of a review file. */
  prefix?: string | undefined;
}

export interface WriteResult {
  case: string;
  files: string[];
  recipients: string[];
  /** Members whose earlier copies were re-encrypted away (a new exclusion). */
  removedFromCase: string[];
  committed: boolean;
  /** The case's records after the change, in time order (no need to read them again). */
  records: CocRecord[];
}

export class Workspace {
  readonly paths: RepoPaths;
  readonly config: Config;
  team: Team;
  readonly env: Env;
  readonly #unlock: () => Promise<RecordDecrypter>;
  readonly #trust: TrustHooks | undefined;
  readonly #hooks: OpenOptions["hooks"];
  readonly #owner: ProcessOwner | undefined;
  /** What the last interrupted change turned into when this workspace was opened. */
  recovered: "none" | "in-progress" | "completed" | "rolled-back" = "none";
  #decrypter: Promise<RecordDecrypter> | undefined;
  #trusted = false;

  private constructor(paths: RepoPaths, config: Config, team: Team, env: Env, unlock: () => Promise<RecordDecrypter>, trust: TrustHooks | undefined, hooks: OpenOptions["hooks"], owner: ProcessOwner | undefined) {
    this.paths = paths;
    this.config = config;
    this.team = team;
    this.env = env;
    this.#unlock = unlock;
    this.#trust = trust;
    this.#hooks = hooks;
    this.#owner = owner;
  }

  /** Finds and loads the repository. @throws UserError when it is missing or its settings are invalid. */
  static async open(opts: OpenOptions): Promise<Workspace> {
    const paths = await findRepo(opts.cwd, opts.repo);
    // A change interrupted half-way (a killed process) is finished or undone first.
    const recovered = await recoverTransaction(paths, opts.env, opts.owner);
    const [config, team] = await Promise.all([loadConfig(paths.config), loadTeam(paths.team)]);
    const ws = new Workspace(paths, config, team, opts.env, opts.unlock, opts.trust, opts.hooks, opts.owner);
    ws.recovered = recovered;
    return ws;
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
      throw new UserError(`your identity (${d.recipients[0]}) is not on the roster of ${this.paths.root}; ask a member to run \`coc team add <name> ${d.recipients[0]}\``);
    }
    return member;
  }

  async #pin(): Promise<{ path: string; id: string }> {
    const me = await this.me();
    const id = (await rootCommit(this.paths.root, this.env)) ?? createHash("sha256").update(this.paths.root).digest("hex");
    return { path: pinPath(configHome(this.env), id, me.recipient), id };
  }

  /** The roster against the one this user last confirmed. */
  async rosterTrust(): Promise<TrustState> {
    return trustState((await this.#pin()).path, this.team);
  }

  /** Records the current roster as confirmed by this user. */
  async trustRoster(): Promise<void> {
    const pin = await this.#pin();
    await savePin(pin.path, pin.id, this.team);
    this.#trusted = true;
  }

  /**
   * Nothing is encrypted to a roster the user has not confirmed: pinned on
   * first use, asked about when it changed behind their back.
   * @throws UserError when the change is not confirmed.
   */
  async ensureRosterTrusted(): Promise<void> {
    if (this.#trusted) return;
    const state = await this.rosterTrust();
    if (state.kind === "first-use") {
      await this.trustRoster();
      this.#trust?.notice(`Pinned the roster of this repository as found (trust on first use): ${this.team.members.map((m) => m.name).join(", ")}. coc will ask before encrypting to anyone added later.`);
      return;
    }
    if (state.kind === "changed") {
      const ok = this.#trust ? await this.#trust.confirm(state.diff) : false;
      if (!ok) {
        throw new UserError(`the team roster changed since you last confirmed it (${describeDiff(state.diff).join("; ")}); nothing was encrypted. Check it with your team, then run \`coc team trust\``);
      }
      await this.trustRoster();
      return;
    }
    this.#trusted = true;
  }

  member(name: string): Member | undefined {
    return this.team.members.find((m) => m.name === name);
  }

  /** Reads every case (or the given ones) in one batch. */
  async readCases(codes?: readonly string[]): Promise<{ cases: CaseFiles[]; problems: Problem[] }> {
    const listed = codes ? { codes: [...codes], problems: [] } : await listCaseCodes(this.paths);
    // The stanza cap follows the team's size (a record lists at most the roster).
    const cases = await readCases(this.paths, listed.codes, await this.decrypter(), readLimits(this.team.members.length));
    return { cases, problems: listed.problems };
  }

  /** Every case with its state; unreadable files are returned as problems, never thrown. */
  async list(now: Date): Promise<ListResult> {
    const { cases, problems } = await this.readCases();
    const listed: ListedCase[] = cases.map((c) => {
      const restricted = c.records.length === 0 && c.notForYou.length > 0;
      const unreadable = c.records.length === 0 && !restricted;
      return {
        case: c.code,
        restricted,
        unreadable,
        summary: restricted || unreadable ? null : foldCase(c.code, c.records.map((r) => r.record), this.config.deadlines, now),
      };
    });
    return { cases: listed, problems: [...problems, ...cases.flatMap((c) => c.problems)] };
  }

  /**
   * One case, record by record in time order.
   * @throws UserError for an unknown case or one the caller cannot read.
   */
  async show(code: string, now: Date): Promise<ShownCase> {
    const files = await this.#readExisting(code);
    return {
      summary: foldCase(code, files.records.map((r) => r.record), this.config.deadlines, now),
      records: files.records,
      notForYou: files.notForYou,
      problems: files.problems,
    };
  }

  async #readExisting(code: string): Promise<CaseFiles> {
    assertCaseCode(code);
    if (!(await caseExists(this.paths, code))) throw new UserError(`unknown case code ${code} (see \`coc list\`)`);
    const [files] = (await this.readCases([code])).cases;
    if (!files || (files.records.length === 0 && files.notForYou.length > 0)) {
      throw new UserError(`you are not a recipient of case ${code}`);
    }
    if (files.records.length === 0) {
      const first = files.problems[0];
      throw new UserError(first ? `case ${code} has no readable record: ${first.file}: ${first.message}` : `case ${code} has no records`);
    }
    return files;
  }

  /**
   * Validates a body read from `--from` or built by prompts.
   * @param prefix field path to prepend in messages (e.g. "assessment" for a part of a review file).
   * @throws UserError naming the field.
   */
  validateBody<T extends RecordType>(type: T, input: unknown, source: string, prefix = ""): BodyOf<T> {
    return validate(BODY_SCHEMAS[type], input, source, prefix) as BodyOf<T>;
  }

  #keysFor(names: readonly string[]): string[] {
    return names.map((n) => {
      const m = this.member(n);
      if (!m) throw new Error(`member ${n} not on the roster`);
      return m.recipient;
    });
  }

  #checkMembers(names: readonly string[], field: string): void {
    names.forEach((n, i) => {
      if (!this.member(n)) throw new UserError(`${field}[${i}]: "${n}" is not a team member (see \`coc team list\`)`);
    });
  }

  /** Members a case is encrypted to: the case's current set (or the roster for a new case), minus exclusions and recusals. */
  #caseRecipients(files: CaseFiles | undefined, extraExclusions: readonly string[]): string[] {
    const roster = this.team.members.map((m) => m.name);
    let base = roster;
    let excluded: string[] = [...extraExclusions];
    if (files && files.records.length > 0) {
      const summary = foldCase(files.code, files.records.map((r) => r.record), this.config.deadlines, new Date(0));
      const latest = files.records.at(-1)!.record;
      base = roster.filter((n) => latest.recipients.includes(n));
      excluded = [...excluded, ...summary.excluded, ...summary.recused];
    }
    return base.filter((n) => !excluded.includes(n));
  }

  /**
   * Records a report: a new case (fresh code) or, with `caseCode`, a further
   * report in an existing case. Members in `body.exclude` never receive the
   * case; if they held earlier records of it, those are re-encrypted without
   * them in the same commit.
   * @throws UserError for unknown members, an unknown or unreadable case, or when nobody would be left to read it.
   */
  async addReport(body: ReportBody, opts: { caseCode?: string | undefined; now: Date }): Promise<WriteResult> {
    const me = await this.me();
    this.#checkMembers(body.exclude, "exclude");
    let files: CaseFiles | undefined;
    let code: string;
    if (opts.caseCode) {
      files = await this.#readExisting(opts.caseCode);
      if (files.problems.length > 0) {
        const p = files.problems[0]!;
        throw new UserError(`case ${opts.caseCode} has an unreadable record (${p.file}: ${p.message}); fix it before adding to the case`);
      }
      code = opts.caseCode;
    } else {
      code = await this.#freshCode();
    }
    const recipients = this.#caseRecipients(files, body.exclude);
    if (recipients.length === 0) throw new UserError("nobody would be able to read this report: every member is excluded");
    const record = makeRecord({ type: "report", case: code, id: newRecordId("report", opts.now), author: me.name, created_at: opts.now, recipients, body });
    const message = files ? `coc: add report to ${code}` : `coc: new report ${code}`;
    return this.#commit(code, files, recipients, [record], message, me.name);
  }

  /**
   * Writes `creates` (new records) and, when the case's recipients changed,
   * re-encrypts every existing record of the case to `recipients`; all in
   * one commit. Every file is encrypted before any is renamed into place;
   * if the commit fails, new files are removed and rewritten ones restored.
   */
  async #commit(code: string, files: CaseFiles | undefined, recipients: string[], creates: CocRecord[], message: string, author: string): Promise<WriteResult> {
    const keys = this.#keysFor(recipients);
    const previous = files?.records.at(-1)?.record.recipients ?? recipients;
    const removedFromCase = previous.filter((n) => !recipients.includes(n));
    const changed = removedFromCase.length > 0 || recipients.some((n) => !previous.includes(n));
    const rewrites: PendingWrite[] = changed && files ? files.records.map(({ record }) => ({ record: { ...record, recipients } as CocRecord, keys })) : [];
    await this.ensureRosterTrusted();
    await ensureHooksPath(this.paths.root, this.env);
    const { written, committed } = await commitTransaction(this.paths, this.env, {
      writes: [...rewrites, ...creates.map((record) => ({ record, keys }))],
      message,
      as: { member: author },
      afterMove: this.#hooks?.afterMove,
      afterCommit: this.#hooks?.afterCommit,
      owner: this.#owner,
    });
    const before = rewrites.length > 0 ? rewrites.map((w) => w.record) : (files?.records.map((r) => r.record) ?? []);
    const records = sortRecords([...before, ...creates]);
    return { case: code, files: written, recipients, removedFromCase, committed, records };
  }

  /** The state of a case from records already in hand. */
  summarize(code: string, records: readonly CocRecord[], now: Date): CaseSummary {
    return foldCase(code, records, this.config.deadlines, now);
  }

  /** The context the record rules need for a case (see ../records/rules.ts). */
  ruleContext(files: CaseFiles): RuleContext {
    const summary = foldCase(files.code, files.records.map((r) => r.record), this.config.deadlines, new Date(0));
    return {
      roster: this.team.members.map((m) => m.name),
      outOfCase: [...summary.excluded, ...summary.recused],
      ladder: LADDERS[this.config.ladder],
      actions: actionsInForce(files.records.map((r) => r.record)),
    };
  }

  /**
   * Reads a case the caller can write to: it exists, they can read it, and
   * none of its files is broken (a record must never be written next to one
   * we cannot account for).
   * @throws UserError otherwise.
   */
  async openCase(code: string): Promise<CaseFiles> {
    const files = await this.#readExisting(code);
    const p = files.problems[0];
    if (p) throw new UserError(`case ${code} has an unreadable record (${p.file}: ${p.message}); fix it before adding to the case`);
    return files;
  }

  /**
   * Adds records of any type but report to a case, each its own file, all in
   * one commit, encrypted to the case's current recipients. Bodies must
   * already be schema-valid; the team rules are checked here.
   * @param parts each body with the source and field prefix to name in errors.
   * @throws UserError for a rule broken (naming the field), or a case the caller cannot write to.
   */
  async addRecords(code: string, parts: readonly RecordPart[], opts: { now: Date; message: string; files?: CaseFiles }): Promise<WriteResult> {
    const me = await this.me();
    const files = opts.files ?? (await this.openCase(code));
    const ctx = this.ruleContext(files);
    for (const part of parts) checkRules(part.type, part.body, ctx, part.source, part.prefix);
    const recipients = this.#caseRecipients(files, []);
    if (!recipients.includes(me.name)) throw new UserError(`you are not a recipient of case ${code}`);
    const records = parts.map((part) =>
      makeRecord({ type: part.type, case: code, id: newRecordId(part.type, opts.now), author: me.name, created_at: opts.now, recipients, body: part.body as never }),
    );
    return this.#commit(code, files, recipients, records as CocRecord[], opts.message, me.name);
  }

  /**
   * Records conflict declarations for a case in one commit. Every member who
   * has a conflict (and is recused, the default) is cut out: every record of
   * the case is re-encrypted without them before anything else is written.
   * @throws UserError for unknown members, or when nobody would be left.
   */
  async declareConflicts(code: string, bodies: readonly ConflictBody[], opts: { now: Date; source: string; prefix?: string }): Promise<WriteResult & { recused: string[] }> {
    const me = await this.me();
    const files = await this.openCase(code);
    const ctx = this.ruleContext(files);
    bodies.forEach((b, i) => checkRules("conflict", b, ctx, opts.source, opts.prefix ? `${opts.prefix}[${i}]` : ""));
    // Only a conflict recuses by default; "no conflict" leaves `recused` unset so it never lifts an earlier recusal.
    const normalised = bodies.map((b) => (b.recused === undefined && b.conflict ? { ...b, recused: true } : b));
    const recused = normalised.filter((b) => b.conflict && b.recused).map((b) => b.member);
    const recipients = this.#caseRecipients(files, recused);
    if (recipients.length === 0) throw new UserError(`nobody would be left to read case ${code}: every recipient is recused`);
    const current = this.#caseRecipients(files, []);
    if (!current.includes(me.name)) throw new UserError(`you are not a recipient of case ${code}`);
    const records = normalised.map((body) =>
      makeRecord({ type: "conflict", case: code, id: newRecordId("conflict", opts.now), author: me.name, created_at: opts.now, recipients, body }),
    );
    const message = recused.length > 0 ? `coc: recusal in ${code}` : `coc: conflict declarations in ${code}`;
    const result = await this.#commit(code, files, recipients, records, message, me.name);
    return { ...result, recused };
  }

  /**
   * Earlier cases whose reports name the same people as this case (whole
   * names, case- and space-insensitive), so a team sees patterns. Cases the
   * caller cannot read are not looked at.
   */
  async relatedCases(code: string, now: Date): Promise<{ case: string; state: string; received_at: string | null; names: string[] }[]> {
    const norm = (n: string) => n.trim().replace(/\s+/g, " ").toLowerCase();
    const namesOf = (records: readonly StoredRecord[]) =>
      new Set(records.flatMap(({ record }) => (record.type === "report" ? record.body.incident.people.map((p) => p.name).filter((n): n is string => !!n?.trim()).map(norm) : [])));
    const { cases } = await this.readCases();
    const own = cases.find((c) => c.code === code);
    if (!own) return [];
    const wanted = namesOf(own.records);
    if (wanted.size === 0) return [];
    const related = [];
    for (const c of cases) {
      if (c.code === code || c.records.length === 0) continue;
      const names = [...namesOf(c.records)].filter((n) => wanted.has(n));
      if (names.length === 0) continue;
      const summary = foldCase(c.code, c.records.map((r) => r.record), this.config.deadlines, now);
      related.push({ case: c.code, state: summary.state, received_at: summary.received_at, names });
    }
    return related.sort((a, b) => (a.received_at ?? "").localeCompare(b.received_at ?? ""));
  }

  async #freshCode(): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const code = randomCaseCode();
      if (!(await caseExists(this.paths, code))) return code;
    }
    throw new UserError("could not find an unused case code");
  }

  /**
   * Removes a member: takes them off the roster and re-encrypts, in the same
   * commit, every record the caller can read that is still encrypted to them
   * (only those files). It cannot take back what they already received: git
   * history and their own clones keep the old ciphertexts. Run by someone
   * else after the roster change, it re-encrypts what that person can read.
   * @returns the cases re-encrypted, and the cases the caller cannot read
   * (they may still be encrypted to the member; someone who can read them
   * must run the same command).
   * @throws UserError for the last member, or an unknown name that no record lists.
   */
  async removeMember(name: string): Promise<{ onRoster: boolean; reencrypted: string[]; files: number; unreadable: string[]; committed: boolean }> {
    const me = await this.me();
    await this.ensureRosterTrusted();
    const onRoster = Boolean(this.member(name));
    if (onRoster && this.team.members.length === 1) throw new UserError(`${name} is the only member; a team needs at least one`);
    const team: Team = { ...this.team, members: this.team.members.filter((m) => m.name !== name) };
    const { cases } = await this.readCases();
    const rewrites: PendingWrite[] = [];
    const reencrypted: string[] = [];
    for (const c of cases) {
      if (c.records.length === 0) continue;
      if (!c.records.some((r) => r.record.recipients.includes(name))) continue;
      if (c.problems.length > 0) throw new UserError(`case ${c.code} has an unreadable record (${c.problems[0]!.file}); fix it before removing ${name}`);
      const recipients = c.records.at(-1)!.record.recipients.filter((n) => n !== name && team.members.some((m) => m.name === n));
      if (recipients.length === 0) throw new UserError(`case ${c.code} would be left with no reader if ${name} were removed`);
      const keys = recipients.map((n) => team.members.find((m) => m.name === n)!.recipient);
      for (const { record } of c.records) rewrites.push({ record: { ...record, recipients } as CocRecord, keys });
      reencrypted.push(c.code);
    }
    if (!onRoster && rewrites.length === 0) throw new UserError(`"${name}" is not on the roster, and no record you can read is encrypted to them`);
    const unreadable = cases.filter((c) => c.records.length === 0 && c.notForYou.length > 0).map((c) => c.code);
    await ensureHooksPath(this.paths.root, this.env);
    const { written, committed } = await commitTransaction(this.paths, this.env, {
      writes: rewrites,
      files: onRoster ? [{ rel: ".coc/team.yaml", content: teamText(team) }] : [],
      message: onRoster ? `coc: remove team member ${name}` : `coc: re-encrypt without ${name}`,
      as: { member: me.name },
      afterMove: this.#hooks?.afterMove,
      afterCommit: this.#hooks?.afterCommit,
      owner: this.#owner,
    });
    this.team = team;
    if (onRoster) await this.trustRoster();
    return { onRoster, reencrypted, files: written.length, unreadable, committed };
  }

  /**
   * Adds a member to the roster (one commit). New records are encrypted to
   * them; existing cases are not re-shared.
   * @throws UserError for an invalid name or recipient, or a duplicate.
   */
  async addMember(input: { name: string; recipient: string; roles: string[] }, actingAs: string): Promise<Member> {
    const member = validate(memberSchema, input, "new member");
    if (this.member(member.name)) throw new UserError(`"${member.name}" is already a team member`);
    const dup = this.team.members.find((m) => m.recipient === member.recipient);
    if (dup) throw new UserError(`that recipient already belongs to "${dup.name}"`);
    // Adding on top of a roster changed behind our back would make us vouch for it.
    await this.ensureRosterTrusted();
    const team: Team = { ...this.team, members: [...this.team.members, member] };
    await ensureHooksPath(this.paths.root, this.env);
    await writeFile(this.paths.team, teamText(team));
    try {
      await commitPaths(this.paths.root, this.env, [".coc/team.yaml"], `coc: add team member ${member.name}`, { member: actingAs });
    } catch (e) {
      await writeFile(this.paths.team, teamText(this.team));
      throw e;
    }
    this.team = team;
    await this.trustRoster(); // the user made this change: it is part of what they confirmed
    return member;
  }

  /**
   * What sharing an existing case with a member would do (nothing is
   * written): the case's state, whether they can already read it, and the
   * names in its reports that match theirs (so the sharer can check the
   * member is not involved).
   * @throws UserError for an unknown member or case, a case the caller cannot
   * write to, or a member recused or excluded from the case.
   */
  async planShare(code: string, member: string): Promise<SharePlan> {
    if (!this.member(member)) throw new UserError(`"${member}" is not a team member (see \`coc team list\`)`);
    const files = await this.openCase(code);
    const summary = foldCase(code, files.records.map((r) => r.record), this.config.deadlines, new Date(0));
    if (summary.recused.includes(member) || summary.excluded.includes(member)) {
      throw new UserError(`${member} is ${summary.recused.includes(member) ? "recused from" : "excluded from"} case ${code}; it cannot be shared with them`);
    }
    const records = files.records.map((r) => r.record);
    const mentions = findSensitive(member, sensitiveTerms(code, records)).map((h) => `${h.term} (${h.what})`);
    return { case: code, member, state: summary.state, records: files.records.length, alreadyShared: this.#caseRecipients(files, []).includes(member), mentions, files };
  }

  /**
   * Shares an existing case with a member who joined after it (or was never
   * given it), once they have declared they have no conflict: records that
   * declaration as a conflict record `{member, conflict: false}` and
   * re-encrypts every record of the case to include them, in one commit.
   * Nothing is encrypted to a roster the caller has not confirmed.
   * @param opts.closed a closed case is shared only when this is true.
   * @throws UserError when they can already read it, the case is closed and
   * `closed` is not set, or the caller cannot write to the case.
   */
  async share(plan: SharePlan, opts: { now: Date; closed?: boolean }): Promise<WriteResult> {
    const me = await this.me();
    const { case: code, member, files } = plan;
    if (plan.alreadyShared) throw new UserError(`${member} can already read case ${code}; nothing to do`);
    if (plan.state === "closed" && !opts.closed) throw new UserError(`case ${code} is closed; closed cases are shared only when asked (add --closed)`);
    const current = this.#caseRecipients(files, []);
    if (!current.includes(me.name)) throw new UserError(`you are not a recipient of case ${code}`);
    const recipients = this.team.members.map((m) => m.name).filter((n) => n === member || current.includes(n));
    const body: ConflictBody = { member, conflict: false };
    const record = makeRecord({ type: "conflict", case: code, id: newRecordId("conflict", opts.now), author: me.name, created_at: opts.now, recipients, body });
    return this.#commit(code, files, recipients, [record], `coc: share ${code} with ${member}`, me.name);
  }

  /**
   * The cases `member` cannot read and who could share them: open and closed
   * cases the caller can read (codes only), and cases the caller cannot read
   * either. Cases the member is recused or excluded from are left out.
   */
  async casesToShare(member: string, now: Date): Promise<{ open: string[]; closed: string[]; notYours: string[] }> {
    const { cases } = await this.readCases();
    const out = { open: [] as string[], closed: [] as string[], notYours: [] as string[] };
    for (const c of cases) {
      if (c.records.length === 0) {
        if (c.notForYou.length > 0) out.notYours.push(c.code);
        continue;
      }
      const summary = foldCase(c.code, c.records.map((r) => r.record), this.config.deadlines, now);
      if (summary.recused.includes(member) || summary.excluded.includes(member)) continue;
      if (this.#caseRecipients(c, []).includes(member)) continue;
      (summary.state === "closed" ? out.closed : out.open).push(c.code);
    }
    return out;
  }
}

/** A share prepared by `Workspace.planShare`. */
export interface SharePlan {
  case: string;
  member: string;
  state: CaseState;
  records: number;
  /** True when the member can already read the case. */
  alreadyShared: boolean;
  /** Names in the case's reports that match the member's name, e.g. "bob (person involved)". */
  mentions: string[];
  files: CaseFiles;
}

export { assertCaseCode };
