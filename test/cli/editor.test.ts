/**
 * The command line $EDITOR is started with: known editors (by the basename of
 * the first word of $VISUAL/$EDITOR) get their no-residue options after the
 * user's own arguments; `vi` only when it says it is vim; another name when
 * it is a link to a known editor; anything else runs as it is. The last part runs fake editors through the real shell to check
 * the quoting and the order end to end.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ramTestDir } from "../helpers/env.js";
import { NO_RESIDUE_ARGS, editInRam, editorFamily, editorInvocation, type EditorFamily } from "../../src/cli/prompts/editor.js";

const FILE = "/dev/shm/coc-abc/text.md";
const VIM = ["-n", "-i", "NONE", "-c", "set viminfo= noswapfile nobackup nowritebackup noundofile"];

describe("the editor's family", () => {
  const never = () => {
    throw new Error("only vi is probed");
  };

  it("comes from the basename of the first word, quotes and arguments aside", () => {
    const cases: [string, EditorFamily | undefined][] = [
      ["vim", "vim"],
      ["/usr/bin/vim -p", "vim"],
      ["vim.basic", "vim"],
      ["vim.tiny", "vim"],
      ["gvim -f", "vim"],
      ["nvim", "nvim"],
      ['"/opt/my editors/nvim" --noplugin', "nvim"],
      ["  emacs -nw", "emacs"],
      ["emacs-29.4", "emacs"],
      ["nano", "nano"],
      ["/usr/local/bin/micro", "micro"],
      ["emacsclient -t", undefined],
      ["code --wait", undefined],
      ["env TERM=xterm vim", undefined],
      ["vimx-unknown", undefined],
      ["", undefined],
    ];
    for (const [command, family] of cases) expect(editorFamily(command, {}, never), command).toBe(family);
  });

  it("is vim or Neovim for `vi` only when `vi --version` says so", () => {
    const seen: string[] = [];
    const probe = (answer: EditorFamily | undefined) => (program: string) => (seen.push(program), answer);
    expect(editorFamily("vi", {}, probe("vim"))).toBe("vim");
    expect(editorFamily("/usr/bin/vi -R", {}, probe("nvim"))).toBe("nvim");
    expect(editorFamily("vi", {}, probe(undefined))).toBeUndefined();
    expect(seen).toEqual(["vi", "/usr/bin/vi", "vi"]);
  });
});

describe("the command line", () => {
  it("runs the user's command through the shell, then the no-residue options, then the file", () => {
    expect(editorInvocation("vim -p", FILE, "vim")).toEqual(["-c", 'vim -p "$@"', "coc-editor", ...VIM, FILE]);
    expect(editorInvocation("nvim", FILE, "nvim")).toEqual(["-c", 'nvim "$@"', "coc-editor", "-n", "-i", "NONE", "-c", "set shada= noswapfile nobackup nowritebackup noundofile", FILE]);
    expect(editorInvocation("emacs -nw", FILE, "emacs")).toEqual([
      "-c",
      'emacs -nw "$@"',
      "coc-editor",
      "--eval",
      "(setq make-backup-files nil auto-save-default nil create-lockfiles nil auto-save-list-file-prefix nil)",
      FILE,
    ]);
    expect(editorInvocation("nano -l", FILE, "nano")).toEqual(["-c", 'nano -l "$@"', "coc-editor", "--restricted", FILE]);
    expect(editorInvocation("micro", FILE, "micro")).toEqual(["-c", 'micro "$@"', "coc-editor", "-backup", "false", "-saveundo", "false", "-savecursor", "false", "-savehistory", "false", FILE]);
    expect(editorInvocation("code --wait", FILE, undefined)).toEqual(["-c", 'code --wait "$@"', "coc-editor", FILE]);
  });
});

describe("editInRam with fake editors", () => {
  let root: string;
  let ram: string;
  let argsFile: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "coc-editor-"));
    ram = ramTestDir();
    argsFile = join(root, "args");
    // Each fake editor records its arguments, one a line, and appends to the file it was given (the last one).
    const fake = (dir: string, name: string, version: string) => {
      mkdirSync(dir, { recursive: true });
      const script = `#!/bin/sh
if [ "$1" = "--version" ]; then ${version}; fi
for a in "$@"; do printf '%s\\n' "$a"; done > "$ARGS_FILE"
for last in "$@"; do :; done
printf 'edited\\n' >> "$last"
`;
      writeFileSync(join(dir, name), script);
      chmodSync(join(dir, name), 0o755);
    };
    for (const name of ["vim", "nvim", "nano", "emacs", "micro", "my-editor"]) fake(join(root, "bin"), name, "exit 1");
    fake(join(root, "bin-vim"), "vi", 'echo "VIM - Vi IMproved 9.1 (2024 Jan 02)"; exit 0');
    fake(join(root, "bin-nvi"), "vi", 'echo "vi: illegal option -- -" >&2; exit 1');
  });
  // editInRam leaves coc's SIGHUP/SIGTERM listeners installed: not in the test worker.
  const signals = ["SIGHUP", "SIGTERM"] as const;
  const before = signals.map((s) => process.listeners(s));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(ram, { recursive: true, force: true });
    signals.forEach((s, i) => process.listeners(s).filter((l) => !before[i]!.includes(l)).forEach((l) => process.off(s, l)));
  });

  function edit(editor: string, bin = "bin"): { text: string; args: string[] } {
    const env = { PATH: `${join(root, bin)}:/usr/bin:/bin`, EDITOR: editor, COC_RAM_DIR: ram, ARGS_FILE: argsFile };
    const text = editInRam("initial\n", env);
    const args = readFileSync(argsFile, "utf8").split("\n").slice(0, -1);
    expect(readdirSync(ram)).toEqual([]);
    return { text, args };
  }

  it("gives each known editor its options, after the user's arguments and before the file", () => {
    for (const family of ["vim", "nvim", "nano", "emacs", "micro"] as const) {
      const { text, args } = edit(`${family} --user-arg 'with space'`);
      expect(text).toBe("initial\nedited\n");
      expect(args.slice(0, -1), family).toEqual(["--user-arg", "with space", ...NO_RESIDUE_ARGS[family]]);
      expect(args.at(-1)).toMatch(new RegExp(`^${ram}/coc-[^/]+/text\\.md$`));
    }
  });

  it("follows a link to a known editor (Debian's editor and pico alternatives)", () => {
    symlinkSync("nano", join(root, "bin", "editor"));
    expect(edit("editor -l").args.slice(0, -1)).toEqual(["-l", ...NO_RESIDUE_ARGS.nano]);
  });

  it("runs an unknown editor as it is, and `vi` as vim only when it is vim", () => {
    expect(edit("my-editor -x").args.slice(0, -1)).toEqual(["-x"]);
    expect(edit("vi", "bin-vim").args.slice(0, -1)).toEqual(VIM);
    expect(edit("vi", "bin-nvi").args.slice(0, -1)).toEqual([]);
  });
});
