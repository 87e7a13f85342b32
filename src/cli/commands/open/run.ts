/** `coc open <case> <n>`: one evidence file, decrypted into the private RAM directory for as long as it is viewed. */
import { spawn } from "node:child_process";
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { readEvidence, UserError, viewableExtension, viewerExtension } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { noRamDir, ramDir, removeOnSignals } from "../../prompts/editor.js";

export interface OpenOptions {
  code: string;
  n: number;
  printPath?: boolean | undefined;
}

/** Resolves at the next line on stdin, or when it closes. */
function waitForEnter(): Promise<void> {
  return new Promise((done) => {
    const rl = createInterface({ input: process.stdin });
    const finish = () => {
      rl.close();
      // Nothing else reads stdin: let the process end (a paused pipe would keep it alive).
      process.stdin.destroy();
      done();
    };
    rl.once("line", finish);
    rl.once("close", finish);
  });
}

/** Runs the viewer on `file` through the shell (so COC_VIEWER may hold arguments); resolves with its exit status. */
function view(viewer: string, file: string, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(env["SHELL"] || "/bin/sh", ["-c", `${viewer} "$@"`, "coc-viewer", file], { stdio: "inherit", env: env as NodeJS.ProcessEnv });
    child.once("error", (e) => fail(new UserError(`cannot run the viewer "${viewer}": ${e.message}`)));
    child.once("exit", (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

const PREFIX = "coc-open-";

/**
 * Removes the directories earlier `coc open`s of this user left behind when
 * they were killed outright (SIGKILL, a power cut in a RAM directory that
 * persists): those whose process (in the name) is gone.
 */
function removeStale(base: string): void {
  const uid = process.getuid?.();
  for (const name of readdirSync(base)) {
    const pid = Number(/^coc-open-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    const path = join(base, name);
    try {
      if (uid !== undefined && lstatSync(path).uid !== uid) continue;
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ESRCH") rmSync(path, { recursive: true, force: true });
    }
  }
}

export async function run(o: OpenOptions, io: Io): Promise<number> {
  const repo = await openRepo(io);
  const { record, bytes } = await readEvidence(repo, o.code, o.n);
  const env = io.ctx.env;
  const base = ramDir(env);
  if (!base) throw new UserError(`${noRamDir(env)}; nothing was decrypted to disk`);
  removeStale(base);
  const dir = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
  chmodSync(dir, 0o700);
  // A neutral name: the extension lets the viewer know the type (from the bytes first: an image named
  // .html must not open as a web page); the original name stays in the record.
  let ext = viewerExtension(record.body.name, bytes);
  // A web page (or an SVG) opened in a browser can load remote content, telling whoever wrote it that it was opened, and from where: shown as text.
  if (ext && ["html", "htm", "xhtml", "svg"].includes(ext.toLowerCase())) {
    io.warn(`evidence ${o.n} is a web page (${ext}); it opens as plain text, since a browser could fetch remote content and tell its author it was opened`);
    ext = "txt";
  } else if (ext && !viewableExtension(ext)) {
    // The name is whoever attached it's (or an e-mail sender's): the desktop would run a .jar, .desktop, .exe or .terminal file.
    io.warn(`evidence ${o.n} is a .${ext} file; it opens as plain text, since the desktop could run it as a program (coc open --print-path gives the path to open it yourself)`);
    ext = "txt";
  }
  const file = join(dir, `evidence-${o.n}${ext ? `.${ext}` : ""}`);
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const onInterrupt = () => {
    cleanup();
    process.exit(130);
  };
  const forget = removeOnSignals(cleanup);
  process.on("SIGINT", onInterrupt);
  process.on("exit", cleanup);
  try {
    writeFileSync(file, bytes, { mode: 0o600 });
    if (o.printPath) {
      io.print(file);
      io.info("The file is removed when you press Enter (or Ctrl+C).");
      await waitForEnter();
      return 0;
    }
    const own = env["COC_VIEWER"];
    const viewer = own || (io.ctx.platform === "darwin" ? "open" : "xdg-open");
    io.info(`Opening evidence ${o.n} of case ${o.code} with ${viewer}…`);
    const status = await view(viewer, file, env);
    // xdg-open and open hand the file to a viewer and return at once: keep it until the user is done.
    if (!own && io.ctx.stdin.isTTY) {
      io.info("Press Enter when you have finished looking at it; the file is removed then.");
      await waitForEnter();
    }
    if (status !== 0) throw new UserError(`the viewer "${viewer}" exited with status ${status}`);
    return 0;
  } finally {
    cleanup();
    forget();
    process.off("SIGINT", onInterrupt);
    process.off("exit", cleanup);
    io.info("Removed the decrypted copy.");
  }
}
