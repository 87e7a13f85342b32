#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry without loading its
// ES module loader, which the saved help below never needs.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const argv = process.argv.slice(2);

/**
 * `coc --help` (or `-h`) with stdout not a terminal, where commander formats
 * for 80 columns: the text the build saved from this same path
 * (scripts/bundle.mjs runs `coc --help` into a pipe and keeps its output;
 * test/e2e/startup.test.ts checks the two are byte-identical). In a terminal,
 * for any other arguments, or without the saved file, commander prints it.
 */
function savedHelp() {
  if (argv.length !== 1 || (argv[0] !== "--help" && argv[0] !== "-h") || process.stdout.isTTY) return undefined;
  try {
    return readFileSync(join(__dirname, "..", "dist", "bundle", "help.txt"), "utf8");
  } catch {
    return undefined;
  }
}

const help = savedHelp();
if (help !== undefined) {
  // `coc --help | head` closes the pipe early: that is not an error (as in main's processContext).
  process.stdout.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  process.stdout.write(help);
} else {
  // V8's compile cache (Node >= 22.1; absent on Node 20): later starts skip compiling coc's code again.
  require("node:module").enableCompileCache?.();
  import("../dist/bundle/main.js").then(async ({ main, processContext }) => {
    process.exitCode = await main(argv, processContext());
    // Done: leave now rather than wait for V8 to finish optimizing code that will not run again
    // (about 50 ms after a large listing), unless something is still going on: a worker thread
    // writing the read cache, a child process, output not yet written.
    setImmediate(() => {
      const busy = process.getActiveResourcesInfo().some((r) => r !== "PipeWrap" && r !== "TTYWrap");
      if (!busy && process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
    });
  });
}
