/**
 * A real terminal for end-to-end tests: one private tmux server (`-L` socket
 * inside the test's own directory, `-f /dev/null`) running one coc command
 * under `env -i`, driven with send-keys and read with capture-pane.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { World } from "./env.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "coc.js");
const NODE = process.execPath;
const TMUX_PATH = "/usr/local/bin:/usr/bin:/bin";

/** Why the terminal tests cannot run here, or undefined when tmux is installed. */
export const tmuxMissing = (() => {
  const r = spawnSync("tmux", ["-V"], { env: { PATH: TMUX_PATH }, encoding: "utf8" });
  if (r.error) return `tmux not found on ${TMUX_PATH} (${(r.error as NodeJS.ErrnoException).code})`;
  if (r.status !== 0) return `tmux -V exited ${r.status}`;
  return undefined;
})();

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One private tmux server (`-L` socket inside the world's directory, `-f /dev/null`) running one command. */
export class Terminal {
  readonly exitFile: string;
  readonly #env: Record<string, string>;
  readonly #socket: string;

  constructor(world: World, name: string) {
    this.#socket = name;
    this.exitFile = join(world.root, `${name}.exit`);
    // TMUX_TMPDIR keeps the -L socket in the test's own directory.
    this.#env = { PATH: TMUX_PATH, HOME: world.home, TERM: "xterm-256color", SHELL: "/bin/sh", LANG: "C.UTF-8", TMUX_TMPDIR: world.root };
  }

  #tmux(args: string[]): string {
    return execFileSync("tmux", ["-L", this.#socket, "-f", "/dev/null", ...args], { env: this.#env, encoding: "utf8" });
  }

  /** Starts `coc <argv>` in `cwd` under `env -i` with exactly `env`; its exit code goes to exitFile. */
  start(argv: string[], cwd: string, env: Record<string, string>): void {
    const vars = Object.entries({ ...env, TERM: "xterm-256color" }).map(([k, v]) => sq(`${k}=${v}`));
    const command = `cd ${sq(cwd)} && env -i ${vars.join(" ")} ${sq(NODE)} ${sq(BIN)} ${argv.map(sq).join(" ")}; echo $? > ${sq(this.exitFile)}`;
    this.#tmux(["new-session", "-d", "-s", "coc", "-x", "120", "-y", "50", command, ";", "set-option", "-g", "remain-on-exit", "on"]);
  }

  screen(): string {
    return this.#tmux(["capture-pane", "-p", "-J", "-t", "coc", "-S", "-1000"]);
  }

  /** Waits until the active prompt (the last `?`/`✔` line) is the pending question `message`. */
  async waitFor(message: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      const last = screen.split("\n").filter((l) => /^[?✔✖] /.test(l)).at(-1);
      if (last?.startsWith("? ") && last.includes(message)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for the question "${message}"; screen:\n${screen}`);
      await sleep(50);
    }
  }

  type(text: string): void {
    this.#tmux(["send-keys", "-t", "coc", "-l", text]);
  }

  key(...keys: string[]): void {
    this.#tmux(["send-keys", "-t", "coc", ...keys]);
  }

  /** Waits for the question, then sends `keys` (literal text, or tmux key names when `raw`) and Enter. */
  async answer(message: string, text = "", raw: string[] = []): Promise<void> {
    await this.waitFor(message);
    for (const k of raw) this.key(k);
    if (text) this.type(text);
    this.key("Enter");
  }

  async exitCode(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (existsSync(this.exitFile)) {
        const text = readFileSync(this.exitFile, "utf8");
        if (text.endsWith("\n")) return Number(text.trim());
      }
      if (Date.now() > deadline) throw new Error(`the command did not finish; screen:\n${this.screen()}`);
      await sleep(50);
    }
  }

  kill(): void {
    try {
      this.#tmux(["kill-server"]);
    } catch {
      // already gone
    }
  }
}

