/**
 * The clone's lock (src/core/repo/lock.ts): of two coc processes, exactly one
 * holds it. A process that has just created the lock file has not yet written
 * its name into it: another process must not take that empty file for a lock
 * left over by a dead process and take it over (then both would change the
 * repository at once; seen as two commands racing for the same journal file).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, readOwner, type ProcessOwner } from "../../src/core/repo/lock.js";
import { UserError } from "../../src/core/errors.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "coc-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Process `pid`, among `running` others. */
const owner = (pid: number, running: number[] = []): ProcessOwner => ({ pid, token: `t${pid}`, alive: (p) => p === pid || running.includes(p) });

describe("the clone's lock", () => {
  it("is taken by one process and refused to another that runs", async () => {
    const lock = join(dir, "lock");
    await acquireLock(lock, owner(100));
    expect(await readOwner(lock)).toEqual({ pid: 100, token: "t100" });
    await expect(acquireLock(lock, owner(200, [100]))).rejects.toThrow(/another coc command \(process 100\)/);
  });

  it("a lock whose process is gone is taken over", async () => {
    const lock = join(dir, "lock");
    await acquireLock(lock, owner(100));
    await acquireLock(lock, owner(200));
    expect(await readOwner(lock)).toEqual({ pid: 200, token: "t200" });
  });

  it("a lock file that is still empty (its process has not written its name yet) is not taken over", async () => {
    const lock = join(dir, "lock");
    writeFileSync(lock, "");
    const e = await acquireLock(lock, owner(200)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect(readFileSync(lock, "utf8")).toBe("");
  });

  it("an empty or unreadable lock file older than a minute is left over (a process killed at once) and taken over", async () => {
    const lock = join(dir, "lock");
    writeFileSync(lock, "{\"pi");
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    await acquireLock(lock, owner(200));
    expect(await readOwner(lock)).toEqual({ pid: 200, token: "t200" });
  });

  it("appears with its owner's name already in it, and leaves no other file behind", async () => {
    const lock = join(dir, "lock");
    await acquireLock(lock, owner(100));
    expect(readdirSync(dir)).toEqual(["lock"]);
    expect(JSON.parse(readFileSync(lock, "utf8"))).toEqual({ pid: 100, token: "t100" });
  });

  it("a take-over guard that is a directory is refused with a one-line error naming it, as a lock that is one, and left as it is", async () => {
    const lock = join(dir, "lock");
    writeFileSync(lock, JSON.stringify({ pid: 100, token: "t100" }));
    mkdirSync(`${lock}.takeover`);
    const old = new Date(Date.now() - 120_000);
    utimesSync(`${lock}.takeover`, old, old);
    const e = await acquireLock(lock, owner(200)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toMatch(/lock\.takeover is not a file \(a directory\)/);
    expect(readdirSync(dir).sort()).toEqual(["lock", "lock.takeover"]);
  });

  it("an old leftover of a take-over that is not a file does not stop the lock from being taken (it used to end in an internal error, the lock left behind)", async () => {
    const lock = join(dir, "lock");
    mkdirSync(join(dir, "lock.0a1b2c3d.stale"));
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(dir, "lock.0a1b2c3d.stale"), old, old);
    await acquireLock(lock, owner(100));
    expect(await readOwner(lock)).toEqual({ pid: 100, token: "t100" });
  });
});
