/**
 * Setting a clone's config (the guard's `core.hooksPath`) while another git
 * process writes it: several coc commands starting at once in a fresh clone
 * all set it, and git refuses all but one ("could not lock config file").
 * coc waits and tries again, stops when another process has set the same
 * value, and otherwise ends in one line, never an internal error.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { Git } from "../../src/core/git/client.js";
import { World } from "../helpers/env.js";

let world: World;
let repo: string;
beforeEach(() => {
  world = new World();
  repo = join(world.root, "clone");
  execFileSync("git", ["init", "-q", repo], { env: world.env });
});
afterEach(() => world.cleanup());

const lock = () => join(repo, ".git", "config.lock");

describe("Git.setConfig", () => {
  it("waits for another git writing the config, then sets the value", async () => {
    writeFileSync(lock(), "");
    setTimeout(() => rmSync(lock(), { force: true }), 120);
    await new Git(repo, world.env).setConfig("core.hooksPath", "/somewhere/hooks");
    expect(world.git(repo, ["config", "--local", "core.hooksPath"]).trim()).toBe("/somewhere/hooks");
  });

  it("is done when the other writer set the same value", async () => {
    world.git(repo, ["config", "core.hooksPath", "/somewhere/hooks"]);
    writeFileSync(lock(), "");
    try {
      await new Git(repo, world.env).setConfig("core.hooksPath", "/somewhere/hooks");
    } finally {
      rmSync(lock(), { force: true });
    }
  });

  it("ends in one line naming the lock when the config stays locked", async () => {
    writeFileSync(lock(), "");
    try {
      const e = await new Git(repo, world.env).setConfig("core.hooksPath", "/elsewhere/hooks").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).toMatch(/could not lock config file/);
      expect((e as Error).message.split("\n")).toHaveLength(1);
    } finally {
      rmSync(lock(), { force: true });
    }
  });
});
