/**
 * Long text in $EDITOR without plaintext ever reaching a persistent disk: the
 * file lives in a private directory on a RAM file system (/dev/shm), mode 0700
 * and 0600, and is removed afterwards, also when the editor is interrupted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";

const RAM_DIRS = ["/dev/shm"];

/** The RAM directory to use, or undefined when the machine has none. */
export function ramDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const override = env["COC_RAM_DIR"];
  for (const dir of override ? [override] : RAM_DIRS) {
    try {
      if (statSync(dir).isDirectory()) return dir;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** The user's editor command ($VISUAL, then $EDITOR), or undefined. */
export function editorCommand(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env["VISUAL"] || env["EDITOR"] || undefined;
}

/**
 * Opens `initial` in the editor on a RAM file and returns what was saved.
 * @throws UserError when there is no editor or no RAM directory, or the editor fails.
 */
export function editInRam(initial: string, env: Readonly<Record<string, string | undefined>>): string {
  const editor = editorCommand(env);
  if (!editor) throw new UserError("no editor: set $EDITOR or $VISUAL");
  const base = ramDir(env);
  if (!base) throw new UserError("no RAM directory (/dev/shm) to hold the text safely; type it inline instead");
  const dir = mkdtempSync(join(base, "coc-"));
  const file = join(dir, "text.md");
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  // Ctrl+C goes to the whole process group: let the editor handle it, and make
  // sure the file is removed whatever happens to us.
  const ignore = () => undefined;
  const onExit = () => cleanup();
  process.on("SIGINT", ignore);
  process.on("exit", onExit);
  try {
    writeFileSync(file, initial, { mode: 0o600 });
    const shell = env["SHELL"] || "/bin/sh";
    const result = spawnSync(shell, ["-c", `${editor} "$1"`, "coc-editor", file], { stdio: "inherit", env: env as NodeJS.ProcessEnv });
    if (result.error) throw new UserError(`cannot run editor "${editor}": ${result.error.message}`);
    if (result.status !== 0) throw new UserError(`editor "${editor}" exited with status ${result.status ?? result.signal}; nothing was saved`);
    return readFileSync(file, "utf8");
  } finally {
    cleanup();
    process.off("SIGINT", ignore);
    process.off("exit", onExit);
  }
}
