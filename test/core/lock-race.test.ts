/**
 * Attacks on the clone's lock (src/core/repo/lock.ts) by several processes at
 * once: of any number of contenders, at most one holds it at a time; and on a
 * file system without hard links it still works.
 */
import { lutimesSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ProcessOwner } from "../../src/core/repo/lock.js";
import type { UserError as UserErrorType } from "../../src/core/errors.js";

/** Lets a test stop one call to `rename` or `link` midway, or make `link` fail like a file system without hard links. */
const hooks: { beforeRename?: ((from: string, to: string) => Promise<void>) | undefined; noLinks?: boolean; unreadable?: boolean } = {};
vi.mock("node:fs/promises", async (original) => {
  const real = await original<typeof import("node:fs/promises")>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      await hooks.beforeRename?.(from, to);
      return real.rename(from, to);
    },
    access: async (path: string, mode?: number) => {
      if (hooks.unreadable) throw Object.assign(new Error(`EACCES: permission denied, access '${path}'`), { code: "EACCES" });
      return real.access(path, mode);
    },
    link: async (from: string, to: string) => {
      if (hooks.noLinks) throw Object.assign(new Error(`EPERM: operation not permitted, link '${from}' -> '${to}'`), { code: "EPERM" });
      return real.link(from, to);
    },
  };
});

// The suite runs with `isolate: false`: another test file may already have loaded lock.ts with the real
// node:fs/promises. Loaded again here, it gets the mock above.
vi.resetModules();
const { acquireLock } = await import("../../src/core/repo/lock.js");
const { UserError } = await import("../../src/core/errors.js");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "coc-lock-race-"));
});
afterEach(() => {
  hooks.beforeRename = undefined;
  hooks.noLinks = false;
  hooks.unreadable = false;
  rmSync(dir, { recursive: true, force: true });
});

/** Process `pid`; every process from 200 on runs, the ones below are gone. */
const owner = (pid: number): ProcessOwner => ({ pid, token: `t${pid}`, alive: (p) => p >= 200 });
const dead = JSON.stringify({ pid: 100, token: "t100" });

describe("the clone's lock, contended", () => {
  it("a process slow to take over a dead process's lock and another taking it over at the same moment: only one of them holds it", async () => {
    const lock = join(dir, "lock");
    writeFileSync(lock, dead);
    // Process 200 has judged the lock left over, and stops right before moving it aside...
    let resume: (() => void) | undefined;
    let stopped!: () => void;
    const atRename = new Promise<void>((r) => (stopped = r));
    hooks.beforeRename = async (from) => {
      if (from !== lock) return;
      hooks.beforeRename = undefined;
      stopped();
      await new Promise<void>((r) => (resume = r));
    };
    const slow = acquireLock(lock, owner(200)).then(
      () => "held",
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    await Promise.race([atRename, slow]);
    // ...meanwhile process 201 tries too; then 200 goes on. Exactly one of them holds the lock, and it names that one.
    const other = await acquireLock(lock, owner(201)).then(
      () => "held",
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    resume?.();
    const outcomes = [await slow, other];
    expect(outcomes.filter((o) => o === "held")).toHaveLength(1);
    const holder = outcomes[0] === "held" ? 200 : 201;
    expect(outcomes.find((o) => o !== "held")).toMatch(/another coc command/);
    expect(JSON.parse(readFileSync(lock, "utf8"))).toEqual({ pid: holder, token: `t${holder}` });
    expect(readdirSync(dir)).toEqual(["lock"]);
  });

  it("a lock left by a dead process is taken over by exactly one of many contenders", async () => {
    const lock = join(dir, "lock");
    for (let round = 0; round < 20; round++) {
      writeFileSync(lock, dead);
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => acquireLock(lock, owner(200 + i))));
      expect(results.filter((r) => r.status === "fulfilled").length, `round ${round}`).toBe(1);
      rmSync(lock, { force: true });
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a process killed while taking a lock over leaves nothing in the way of the next; one taking it over now is left to it", async () => {
    const lock = join(dir, "lock");
    writeFileSync(lock, dead);
    writeFileSync(`${lock}.takeover`, JSON.stringify({ pid: 101, token: "t101" }));
    await acquireLock(lock, owner(200));
    expect(JSON.parse(readFileSync(lock, "utf8"))).toEqual({ pid: 200, token: "t200" });
    expect(readdirSync(dir)).toEqual(["lock"]);
    writeFileSync(lock, dead);
    writeFileSync(`${lock}.takeover`, JSON.stringify({ pid: 250, token: "t250" }));
    await expect(acquireLock(lock, owner(201))).rejects.toThrow(/another coc command/);
    expect(readFileSync(lock, "utf8")).toBe(dead);
  });

  it("without hard links, the lock is created with O_EXCL: one holder, named in it, nothing else left", async () => {
    hooks.noLinks = true;
    const lock = join(dir, "lock");
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acquireLock(lock, owner(200 + i))));
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    const holder = results.findIndex((r) => r.status === "fulfilled");
    expect(JSON.parse(readFileSync(lock, "utf8"))).toEqual({ pid: 200 + holder, token: `t${200 + holder}` });
    expect(readdirSync(dir)).toEqual(["lock"]);
    // A dead process's lock is taken over there too.
    writeFileSync(lock, dead);
    await acquireLock(lock, owner(300));
    expect(JSON.parse(readFileSync(lock, "utf8"))).toEqual({ pid: 300, token: "t300" });
    expect(readdirSync(dir)).toEqual(["lock"]);
  });
});

describe("a lock file that is not one", () => {
  const kinds: [string, (lock: string) => void][] = [
    ["a directory", (lock) => mkdirSync(join(lock, "inside"), { recursive: true })],
    ["a symbolic link", (lock) => {
      writeFileSync(join(dir, "elsewhere"), dead);
      symlinkSync(join(dir, "elsewhere"), lock);
    }],
    ["a dangling symbolic link", (lock) => symlinkSync(join(dir, "nowhere"), lock)],
  ];
  for (const [what, make] of kinds) {
    it(`is refused with a clear error when it is ${what}, even an old one, and left as it is`, async () => {
      const lock = join(dir, "lock");
      make(lock);
      const old = new Date(Date.now() - 120_000);
      lutimesSync(lock, old, old);
      const before = readdirSync(dir).sort();
      const e = await acquireLock(lock, owner(200)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserErrorType).message).toMatch(/is not a file/);
      expect((e as UserErrorType).message).not.toMatch(/\n/);
      expect(readdirSync(dir).sort()).toEqual(before);
    });
  }
});

describe("a lock file coc may not read, or naming no process", () => {
  it("is refused with a clear error when coc may not read it (mode 000, another user's), and left as it is", async () => {
    const lock = join(dir, "lock");
    writeFileSync(lock, dead, { mode: 0o000 });
    const old = new Date(Date.now() - 120_000);
    lutimesSync(lock, old, old);
    hooks.unreadable = true;
    const e = await acquireLock(lock, owner(200)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserErrorType).message).toMatch(/may not read the lock .*permission denied/);
    expect(readdirSync(dir)).toEqual(["lock"]);
  });

  it("a lock naming process 0 or -1 (which stand for groups of processes, always running) is one naming no process", async () => {
    const lock = join(dir, "lock");
    for (const pid of [0, -1, 1.5, "200"]) {
      writeFileSync(lock, JSON.stringify({ pid }));
      const old = new Date(Date.now() - 120_000);
      lutimesSync(lock, old, old);
      // Every process runs here, even 0 and -1: only one naming no process at all is taken over.
      await acquireLock(lock, { pid: 300, token: "t300", alive: () => true });
      expect(JSON.parse(readFileSync(lock, "utf8"))).toEqual({ pid: 300, token: "t300" });
    }
  });
});

describe("what a process killed while taking the lock over leaves", () => {
  it("is swept by the next process that takes the lock, unless it is recent", async () => {
    const lock = join(dir, "lock");
    const old = new Date(Date.now() - 120_000);
    for (const f of ["lock.0a1b2c3d.stale", "lock.takeover.0a1b2c3d.stale", "lock.0a1b2c3e.new"]) {
      writeFileSync(join(dir, f), dead);
      lutimesSync(join(dir, f), old, old);
    }
    writeFileSync(join(dir, "lock.0a1b2c3f.stale"), dead);
    await acquireLock(lock, owner(200));
    expect(readdirSync(dir).sort()).toEqual(["lock", "lock.0a1b2c3f.stale"]);
  });
});

describe("a lock naming this very process id", () => {
  it("was left by an earlier process that had the same id (where processes carry no start time), and is taken over", async () => {
    const lock = join(dir, "lock");
    writeFileSync(lock, JSON.stringify({ pid: 200 }));
    await acquireLock(lock, { pid: 200, alive: () => true });
    expect(JSON.parse(readFileSync(lock, "utf8"))).toEqual({ pid: 200 });
    expect(readdirSync(dir)).toEqual(["lock"]);
  });
});
