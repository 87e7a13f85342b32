/**
 * One git process, started directly (no simple-git): for the local commands
 * every coc command runs. simple-git waits 50 ms after each command that
 * prints nothing, which made a write cost several times the git work itself.
 */
import { spawn } from "node:child_process";

/** A git command that exited with a non-zero status; its message is what git printed. */
export class GitCommandError extends Error {
  readonly exitCode: number | null;

  constructor(message: string, exitCode: number | null) {
    super(message);
    this.name = "GitCommandError";
    this.exitCode = exitCode;
  }
}

/**
 * Runs `git <args>` in `cwd` with exactly `env`; standard input is `input`
 * when given, else none.
 * @returns what git printed on stdout.
 * @throws GitCommandError when git exits with a non-zero status (even a silent one),
 * or cannot be started; its message is git's stderr (else its stdout).
 */
export async function runGit(cwd: string, env: Record<string, string>, args: readonly string[], input?: Uint8Array | string): Promise<string> {
  return (await runGitBytes(cwd, env, args, input)).toString("utf8");
}

/** {@link runGit}, with what git printed as bytes (object contents, file names that are not UTF-8). */
export function runGitBytes(cwd: string, env: Record<string, string>, args: readonly string[], input?: Uint8Array | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"], windowsHide: true });
    // git may exit before reading everything (a refused command): its exit status says what went wrong, not EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", (e) => reject(new GitCommandError(`cannot run git: ${e.message}`, null)));
    child.on("close", (code) => {
      const stdout = Buffer.concat(out);
      if (code === 0) return resolve(stdout);
      const stderr = Buffer.concat(err).toString("utf8").trim();
      reject(new GitCommandError(stderr || stdout.toString("utf8").trim() || `git ${args.find((a) => !a.startsWith("-") && !a.includes("=")) ?? ""} exited with ${code}`, code));
    });
  });
}
