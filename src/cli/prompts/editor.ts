/**
 * Long text in $EDITOR without plaintext ever reaching a persistent disk: the
 * file lives in a private directory on a RAM file system (/dev/shm), mode 0700
 * and 0600, and is removed afterwards, also when the editor is interrupted.
 *
 * The editor itself must not keep a copy elsewhere either: stock vim saves
 * deleted lines in ~/.viminfo, and editors keep swap, backup, undo, auto-save
 * and history files in the home directory. Editors coc knows are started with
 * their options for writing none of these, for this one file and this one
 * run; the user's own configuration stays in force otherwise. Any other
 * editor runs as it is.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync, statfsSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { UserError } from "../errors.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The editors coc knows how to start without residue. */
export type EditorFamily = "vim" | "nvim" | "emacs" | "nano" | "micro";

/**
 * The options, per editor, that keep it from writing anything of the text
 * outside the file (they come before the file name, after the user's own
 * arguments, so they win over them and over the user's configuration files).
 */
export const NO_RESIDUE_ARGS: Readonly<Record<EditorFamily, readonly string[]>> = {
  // As gopass does for vim (github.com/gopasspw/gopass, internal/editor/editor.go,
  // vimOptions: `-i NONE -n` and `noswapfile nobackup noundofile viminfo=""`):
  // -n: no swap file; -i NONE: no viminfo read or written (a deleted line stays
  // in its registers); then, after the user's vimrc has run, no swap, no
  // backup (nor the temporary one made while writing), no undo file, and an
  // empty 'viminfo' in case the vimrc names a viminfo file of its own.
  vim: ["-n", "-i", "NONE", "-c", "set viminfo= noswapfile nobackup nowritebackup noundofile"],
  // The same for Neovim, whose -i names the ShaDa file (its viminfo).
  nvim: ["-n", "-i", "NONE", "-c", "set shada= noswapfile nobackup nowritebackup noundofile"],
  // Evaluated after the user's init file and before the file is visited: no
  // backup (file~ or a backup-directory-alist copy), no auto-save (#file# or an
  // auto-save-file-name-transforms copy), no lock file, no auto-save list.
  emacs: ["--eval", "(setq make-backup-files nil auto-save-default nil create-lockfiles nil auto-save-list-file-prefix nil)"],
  // Restricted mode still reads the user's nanorc (checked with nano 7.2; old
  // versions skip it) but then turns off backups and the search, replace and
  // position history files; it also stops saving under another name, spell
  // checking and suspending, which editing coc's one file does not need.
  nano: ["--restricted"],
  // Command-line options override settings.json for this run: no backups in
  // ~/.config/micro/backups, no undo, cursor or command history in buffers/.
  micro: ["-backup", "false", "-saveundo", "false", "-savecursor", "false", "-savehistory", "false"],
};

/** The first word of a shell command line (quotes removed), or undefined. */
function firstWord(command: string): string | undefined {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/.exec(command);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** What `vi --version` says it is: vim, Neovim, or something else (nvi, busybox) that takes none of vim's options. */
function probeVi(program: string, env: Env): EditorFamily | undefined {
  const r = spawnSync(program, ["--version"], { env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 3000, stdio: ["ignore", "pipe", "ignore"] });
  if (r.error || r.status !== 0) return undefined;
  if (/^NVIM v/m.test(r.stdout)) return "nvim";
  if (/VIM - Vi IMproved/.test(r.stdout)) return "vim";
  return undefined;
}

/** The family a program's file name says, or "vi" (which may be vim, nvi or busybox). */
function familyOfName(name: string): EditorFamily | "vi" | undefined {
  if (/^g?vim(\.[a-z0-9]+)?$/.test(name)) return "vim";
  if (name === "nvim") return "nvim";
  if (name === "vi") return "vi";
  if (/^emacs(-\d[\d.]*)?$/.test(name)) return "emacs";
  if (name === "nano") return "nano";
  if (name === "micro") return "micro";
  return undefined;
}

/** The file `program` runs, found on $PATH and with symlinks resolved, or undefined. */
function resolveProgram(program: string, env: Env): string | undefined {
  const candidates = program.includes("/") ? [program] : (env["PATH"] ?? "").split(":").filter(Boolean).map((dir) => join(dir, program));
  for (const candidate of candidates) {
    try {
      const real = realpathSync(candidate);
      if (statSync(real).isFile()) return real;
    } catch {
      // not there
    }
  }
  return undefined;
}

/**
 * The editor family a command line starts, from the basename of its first
 * word: vim (also gvim and Debian's vim.basic, vim.tiny...), nvim, emacs,
 * nano, micro; `vi` only when it says it is vim or Neovim. Another name is
 * looked up on $PATH and its symlinks followed (Debian's `editor` and `pico`
 * are links to vim or nano). Anything else (emacsclient too: its server's
 * settings are not ours to change) is undefined and runs as it is.
 */
export function editorFamily(command: string, env: Env, probe: (program: string, env: Env) => EditorFamily | undefined = probeVi): EditorFamily | undefined {
  const word = firstWord(command);
  if (!word) return undefined;
  let program = word;
  let family = familyOfName(basename(word));
  if (family === undefined) {
    const real = resolveProgram(word, env);
    if (real === undefined) return undefined;
    program = real;
    family = familyOfName(basename(real));
  }
  return family === "vi" ? probe(program, env) : family;
}

/**
 * How to run `editor` (the user's command line, run by their shell so its
 * own arguments keep working) on `file`: the arguments for `$SHELL`. The
 * no-residue options of a known editor go after the user's arguments.
 */
export function editorInvocation(editor: string, file: string, family: EditorFamily | undefined): string[] {
  return ["-c", `${editor} "$@"`, "coc-editor", ...(family ? NO_RESIDUE_ARGS[family] : []), file];
}

const RAM_DIRS = ["/dev/shm"];
/** statfs types of the file systems that live in memory only, on Linux: tmpfs, ramfs. */
const RAM_FS_TYPES = new Set([0x01021994, 0x858458f6]);

/**
 * True when `dir` is a directory on a file system in memory. On Linux that is
 * checked (statfs follows a symbolic link, so it is where the files would
 * really go); elsewhere there is no default and a COC_RAM_DIR is taken at its word.
 */
function isRamDir(dir: string): boolean {
  try {
    if (!statSync(dir).isDirectory()) return false;
    return process.platform !== "linux" || RAM_FS_TYPES.has(Number(statfsSync(dir).type));
  } catch {
    return false;
  }
}

/** The RAM directory to use, or undefined when the machine has none (or COC_RAM_DIR names one that is not in memory). */
export function ramDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const override = env["COC_RAM_DIR"];
  return (override ? [override] : RAM_DIRS).find(isRamDir);
}

/** Why there is no RAM directory, for an error that ends "...; <what to do instead>". */
export function noRamDir(env: Readonly<Record<string, string | undefined>>): string {
  const override = env["COC_RAM_DIR"];
  if (override) return `COC_RAM_DIR=${override} is not a directory on a RAM file system (tmpfs or ramfs), so the plaintext would reach a disk`;
  return `no RAM directory (${RAM_DIRS.join(", ")}, or COC_RAM_DIR) to hold the plaintext safely`;
}

/** The user's editor command ($VISUAL, then $EDITOR), or undefined. */
export function editorCommand(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env["VISUAL"] || env["EDITOR"] || undefined;
}

/** RAM files being edited right now: removed when a signal ends coc. */
const editing = new Set<() => void>();
let signalsHandled = false;

/**
 * Closing the terminal (SIGHUP) or a kill (SIGTERM) would end coc at once and
 * leave the RAM file behind, since "exit" handlers do not run then. With a
 * listener, coc waits for the editor (which gets the same SIGHUP), removes
 * every file being edited, and then ends with the signal's exit code. The
 * listeners stay for the rest of the process: a signal that arrived while the
 * editor ran is only delivered once it has returned.
 */
export function removeOnSignals(cleanup: () => void): () => void {
  if (!signalsHandled) {
    signalsHandled = true;
    for (const [signal, code] of [["SIGHUP", 129], ["SIGTERM", 143]] as const) {
      process.on(signal, () => {
        for (const remove of editing) remove();
        process.exit(code);
      });
    }
  }
  editing.add(cleanup);
  return () => editing.delete(cleanup);
}

/**
 * Opens `initial` in the editor on a RAM file and returns what was saved. A
 * known editor is started with its no-residue options (NO_RESIDUE_ARGS).
 * @throws UserError when there is no editor or no RAM directory, or the editor fails.
 */
export function editInRam(initial: string, env: Readonly<Record<string, string | undefined>>): string {
  const editor = editorCommand(env);
  if (!editor) throw new UserError("no editor: set $EDITOR or $VISUAL");
  const base = ramDir(env);
  if (!base) throw new UserError(`${noRamDir(env)}; type it inline instead`);
  const dir = mkdtempSync(join(base, "coc-"));
  const file = join(dir, "text.md");
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  // Ctrl+C goes to the whole process group: let the editor handle it, and make
  // sure the file is removed whatever happens to us.
  const ignore = () => undefined;
  const onExit = () => cleanup();
  process.on("SIGINT", ignore);
  process.on("exit", onExit);
  const forget = removeOnSignals(cleanup);
  try {
    writeFileSync(file, initial, { mode: 0o600 });
    const shell = env["SHELL"] || "/bin/sh";
    const result = spawnSync(shell, editorInvocation(editor, file, editorFamily(editor, env)), { stdio: "inherit", env: env as NodeJS.ProcessEnv });
    if (result.error) throw new UserError(`cannot run editor "${editor}": ${result.error.message}`);
    if (result.status !== 0) throw new UserError(`editor "${editor}" exited with status ${result.status ?? result.signal}; nothing was saved`);
    return readFileSync(file, "utf8");
  } finally {
    cleanup();
    forget();
    process.off("SIGINT", ignore);
    process.off("exit", onExit);
  }
}
