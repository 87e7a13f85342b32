/**
 * Writing a record over its own file in place (src/core/repo/store.ts,
 * overwriteFile, used by large re-encryptions): the new bytes exactly, and
 * never through a symlink, into a FIFO (without blocking) or through a
 * second name of the file.
 */
import { execFileSync } from "node:child_process";
import { linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { overwriteFile } from "../../src/core/repo/record-writes.js";

const dir = mkdtempSync(join(tmpdir(), "coc-overwrite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("writing a file over itself", () => {
  it("leaves exactly the new bytes, longer or shorter than the old", () => {
    const f = join(dir, "plain.age");
    writeFileSync(f, "x".repeat(100));
    overwriteFile(f, "cases/c/plain.age", Buffer.from("short"));
    expect(readFileSync(f, "utf8")).toBe("short");
    overwriteFile(f, "cases/c/plain.age", Buffer.from("y".repeat(300)));
    expect(readFileSync(f, "utf8")).toBe("y".repeat(300));
  });

  it("refuses a symlink, a FIFO and a file with a second name, naming it, and changes nothing", () => {
    const target = join(dir, "target");
    writeFileSync(target, "target");
    symlinkSync(target, join(dir, "link.age"));
    execFileSync("mkfifo", [join(dir, "fifo.age")]);
    const linked = join(dir, "linked.age");
    writeFileSync(linked, "linked");
    linkSync(linked, join(dir, "second-name"));
    for (const name of ["link.age", "fifo.age", "linked.age"]) {
      const attempt = () => overwriteFile(join(dir, name), `cases/c/${name}`, Buffer.from("new"));
      expect(attempt).toThrow(UserError);
      expect(attempt).toThrow(`cases/c/${name} changed while coc was writing`);
    }
    expect(readFileSync(target, "utf8")).toBe("target");
    expect(readFileSync(join(dir, "second-name"), "utf8")).toBe("linked");
  });
});
