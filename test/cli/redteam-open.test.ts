/**
 * `coc open` hands a decrypted evidence file to the desktop's viewer
 * (xdg-open, open), which picks a program by the file's extension. The
 * original name comes from whoever attached the file (a member, or the
 * sender of an e-mail imported with --from-eml): an extension that the
 * desktop runs as a program (a Java archive, a .desktop launcher, a Windows
 * program through Wine, a macOS Terminal file) must not reach the viewer.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { World, type Person, teamWithRemote } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let a: string;
let b: string;
let code: string;

beforeEach(async () => {
  ({ world, alice, bob, a, b, code } = await teamWithRemote());
});
afterEach(() => world.cleanup());

async function ok(argv: string[], who: Person, cwd: string, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  const r = await world.run(argv, { as: who, cwd, env });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

describe("an evidence file whose name says it is a program", () => {
  it("reaches the viewer as plain text, never with the extension a desktop would run", async () => {
    const names = ["minutes.jar", "photo.desktop", "chat.exe", "notes.terminal", "run.command", "screenshot.png", "statement.docx"];
    mkdirSync(join(world.root, "in"));
    for (const name of names) writeFileSync(join(world.root, "in", name), `PK\u0003\u0004 pretend ${name}`);
    await ok(["sync"], bob, b);
    await ok(["attach", code, ...names.map((n) => join(world.root, "in", n))], bob, b);
    await ok(["sync"], bob, b);
    await ok(["sync"], alice, a);
    const ram = world.ram();
    const seen = join(world.root, "seen.txt");
    const viewer = join(world.root, "viewer.sh");
    writeFileSync(viewer, `#!/bin/sh\nbasename "$1" >> "${seen}"\n`);
    chmodSync(viewer, 0o755);
    const warnings: string[] = [];
    for (let i = 1; i <= names.length; i++) warnings.push((await ok(["open", code, String(i)], alice, a, { COC_VIEWER: viewer, COC_RAM_DIR: ram })).stderr);
    // Files attached at once are numbered in id order: compare what reached the viewer as a whole.
    const opened = readFileSync(seen, "utf8").trim().split("\n").map((n) => n.replace(/^evidence-\d+/, "evidence"));
    expect(opened.sort()).toEqual(["evidence.docx", "evidence.png", ...Array(5).fill("evidence.txt")]);
    const said = warnings.join("").match(/evidence \d+ is a \.(\w+) file; it opens as plain text/g) ?? [];
    expect(said.map((w) => /\.(\w+) file/.exec(w)![1]).sort()).toEqual(["command", "desktop", "exe", "jar", "terminal"]);
  });
});
