/**
 * Opening the repository for a command: the identity (unlocked once, with a
 * passphrase prompt only in a terminal), trust confirmations, the lock owner
 * (this process), and what opening found, said once.
 */
import { readFileSync } from "node:fs";
import { describeDiff, loadIdentity, Repo, resolveIdentityPath, type FaultHooks, type ProcessOwner, type RecordDecrypter } from "../core/index.js";
import type { Io } from "./io.js";
import { UsageError } from "./usage-error.js";

const unlocked = new WeakMap<Io, Promise<RecordDecrypter>>();

/** The identity path in force: --identity, then COC_IDENTITY, then the default. */
export function identityPath(io: Io): string {
  // Given but empty (`--identity "$KEY"` with KEY unset) is a mistake, not a request for the default identity.
  if (io.opts.identity === "") throw new UsageError("--identity is empty; give the identity file");
  return resolveIdentityPath(io.opts.identity, io.ctx.env, io.ctx.cwd);
}

/** The caller's identity, read and unlocked once per command. */
export function unlock(io: Io): Promise<RecordDecrypter> {
  let d = unlocked.get(io);
  if (!d) {
    d = loadIdentity({
      path: identityPath(io),
      checkPermissions: io.ctx.platform !== "win32",
      askPassphrase: io.canPrompt ? (path) => io.ctx.prompter.password({ id: "passphrase", message: `Passphrase for ${path}` }) : undefined,
    });
    unlocked.set(io, d);
  }
  return d;
}

/**
 * Opens the repository: `root`, then --repo, then COC_REPO, then the nearest
 * ancestor holding .coc/.
 * @param opts.publishing the command prints or writes from the team's
 * settings and templates: they must be ones the user confirmed.
 */
export async function openRepo(io: Io, opts: { root?: string; publishing?: boolean } = {}): Promise<Repo> {
  if (io.opts.repo === "") throw new UsageError("--repo is empty; give the repository directory");
  const repo = await Repo.open({
    cwd: io.ctx.cwd,
    repo: opts.root ?? io.opts.repo ?? io.ctx.env["COC_REPO"],
    env: io.ctx.env,
    unlock: () => unlock(io),
    now: () => io.now(),
    trust: {
      confirm: async (diff) => {
        io.warn("the team roster, settings or templates changed since you last confirmed them:");
        for (const line of describeDiff(diff)) io.info(`  ${line}`);
        if (!io.canPrompt) return false;
        return io.ctx.prompter.confirm({ id: "trust_roster", message: "Did your team make this change? Trust it and go on?", default: false });
      },
      notice: (message) => io.info(message),
    },
    faults: faultHooks(io.ctx.env),
    owner: thisProcess(),
  });
  if (repo.guard.result === "switched" && repo.guard.hooksPathWas) io.info(`This clone now runs only coc's own pre-commit guard (core.hooksPath was ${repo.guard.hooksPathWas}, now .git/coc/hooks); hooks in the repository are never run.`);
  if (repo.recovered === "completed") io.info("Finished a change that an interrupted coc command had already committed (its leftover temp files are removed).");
  if (repo.recovered === "in-progress") io.warn("another coc command is changing this repository right now; what is shown may be mid-change");
  if (repo.recovered === "rolled-back") io.warn("an earlier coc command was interrupted before it committed; its changes were undone and the repository is back to its state before it.");
  if (opts.publishing) await repo.ensureTrusted("printed or written");
  return repo;
}

/**
 * A process's state and start time (Linux): the start time, so a pid reused by another process is not taken
 * for a running coc; the state, so a coc killed outright whose parent has not collected it yet (a zombie: its
 * pid still answers, as in a container whose first process reaps no one) is not taken for a running one.
 */
function procStat(pid: number): { state: string; token: string | undefined } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", token: fields[19] };
  } catch {
    return undefined;
  }
}

function startToken(pid: number): string | undefined {
  return procStat(pid)?.token;
}

function thisProcess(): ProcessOwner {
  return {
    pid: process.pid,
    token: startToken(process.pid),
    alive: (pid, token) => {
      try {
        process.kill(pid, 0);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EPERM") return false;
      }
      const now = procStat(pid);
      if (now?.state === "Z" || now?.state === "X") return false;
      return token === undefined || now?.token === undefined || now.token === token;
    },
  };
}

/**
 * Fault injection for the tests of interrupted re-encryption (never set in
 * normal use): COC_TEST_KILL_AFTER_MOVES=N kills the process after N files
 * are moved into place; COC_TEST_KILL_AFTER_COMMIT=1 right after the commit.
 */
function faultHooks(env: Readonly<Record<string, string | undefined>>): FaultHooks | undefined {
  const moves = Number(env["COC_TEST_KILL_AFTER_MOVES"]);
  const commit = env["COC_TEST_KILL_AFTER_COMMIT"] === "1";
  if (!moves && !commit) return undefined;
  const kill = () => process.kill(process.pid, "SIGKILL");
  return {
    ...(moves ? { afterMove: (i: number) => i + 1 >= moves && kill() } : {}),
    ...(commit ? { afterCommit: kill } : {}),
  };
}
