#!/usr/bin/env node
import module from "node:module";
// V8's compile cache (Node >= 22.1; absent on Node 20): later starts skip compiling coc's code again.
module.enableCompileCache?.();
const { main, processContext } = await import("../dist/bundle/main.js");
process.exitCode = await main(process.argv.slice(2), processContext());
