import { readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encryptWithPassphrase } from "../../src/core/crypto/age.js";
import { editInRam } from "../../src/cli/prompts/editor.js";
import { World, reportYaml, teamRepo, teamRepoThroughCli, type Person } from "../helpers/env.js";
import { ScriptedPrompter } from "../helpers/prompter.js";

let world: World;
let alice: Person;
beforeEach(() => {
  world = new World();
  alice = world.person("alice");
});
afterEach(() => world.cleanup());

describe("keygen", () => {
  it("writes the default identity (0600, age-keygen format), prints the member key, never overwrites", async () => {
    const r = await world.run(["keygen"]);
    expect(r.code).toBe(0);
    const path = join(world.home, ".config", "coc", "identity.txt");
    const text = readFileSync(path, "utf8");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(text).toMatch(/^# created: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\n# public key: age1[a-z0-9]{58}\nAGE-SECRET-KEY-1[A-Z0-9]{58}\n$/);
    // The member key: the recipient, then the signing key derived from the identity.
    const recipient = text.split("\n")[1]!.replace("# public key: ", "");
    expect(r.stdout.trim()).toBe(`${recipient} ${signingKeyFromIdentity(text.split("\n")[2]!).publicKey}`);
    const whoami = await world.run(["whoami"]);
    expect(whoami.stdout).toBe(r.stdout);
    const again = await world.run(["keygen"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; coc never overwrites/);
    expect(readFileSync(path, "utf8")).toBe(text);
    const json = await world.run(["keygen", "--out", "other.txt", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      member_key: expect.stringMatching(/^age1[a-z0-9]+ ssh-ed25519 AAAA/),
      recipient: expect.stringMatching(/^age1/),
      signing_key: expect.stringMatching(/^ssh-ed25519 AAAA/),
      path: join(world.root, "other.txt"),
    });
  });
});

describe("init", () => {
  it("asks for what is missing in a terminal and scaffolds the repository in one commit", async () => {
    const prompter = new ScriptedPrompter({ event: "Prompted Conf", member: "alice", contact: "care@example.org", policy_url: "", ladder: "cc3" });
    const repo = join(world.root, "care");
    const r = await world.run(["init", repo], { as: alice, tty: true, prompter });
    expect(r.code).toBe(0);
    expect(prompter.unused()).toEqual([]);
    expect(readFileSync(join(repo, ".coc", "config.yaml"), "utf8")).toMatch(/name: Prompted Conf[\s\S]*contact: care@example.org[\s\S]*ladder: cc3/);
    expect(readFileSync(join(repo, ".coc", "team.yaml"), "utf8")).toContain(alice.recipient);
    // coc's own guard, in .git/coc/hooks (never a tracked hook).
    expect(world.git(repo, ["config", "core.hooksPath"]).trim()).toBe(".git/coc/hooks");
    expect(statSync(join(repo, ".git", "coc", "hooks", "pre-commit")).mode & 0o111).not.toBe(0);
    expect(existsSync(join(repo, ".coc", "hooks"))).toBe(false);
    expect(readFileSync(join(repo, ".gitattributes"), "utf8")).toContain("*.age binary");
    expect(readdirSync(join(repo, "templates")).sort()).toEqual(readdirSync(join(import.meta.dirname, "..", "..", "templates")).sort());
    expect(world.git(repo, ["log", "--format=%s"]).trim()).toBe("coc: initialise incident repository");
    expect(world.git(repo, ["status", "--porcelain"]).trim()).toBe("");
  });

  it("without a terminal names the missing flags and touches nothing", async () => {
    const dir = join(world.root, "nothing");
    const r = await world.run(["init", dir, "--event", "X"], { as: alice });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--member");
    expect(r.stderr).not.toContain("--event");
    expect(existsSync(join(dir, ".coc"))).toBe(false);
  });

  it("needs an identity first, and says how to make one", async () => {
    const r = await world.run(["init", join(world.root, "x"), "--event", "X", "--member", "alice"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no identity at .*coc keygen/);
  });

  it("the pre-commit guard refuses a plaintext file under cases/", async () => {
    const repo = await teamRepo(world, [alice]);
    await world.run(["new-report", "--from", "-"], { as: alice, cwd: repo, stdin: reportYaml() });
    writeFileSync(join(repo, "cases", "leak.yaml"), "incident: plaintext\n");
    world.git(repo, ["add", "cases/leak.yaml"]);
    expect(() => world.git(repo, ["-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "oops"])).toThrow(/refusing to commit files under cases\/ that are not age-encrypted/);
  });
});

describe("team", () => {
  it("lists the roster as a table and as JSON", async () => {
    const bob = world.person("bob");
    // Through the CLI in this test (not a template's copy): the last commit checked below is this test's own team add.
    const repo = await teamRepoThroughCli(world, [alice, bob]);
    const t = await world.run(["team", "list"], { cwd: repo });
    expect(t.stdout).toMatch(/NAME\s+ROLES\s+RECIPIENT\s+SIGNING KEY\nalice\s+lead, responder\s+age1\S+\s+ssh-ed25519 /);
    const j = await world.run(["team", "list", "--json"], { cwd: repo });
    expect(JSON.parse(j.stdout)).toEqual([
      { name: "alice", recipient: alice.recipient, roles: ["lead", "responder"], signing_key: alice.signingKey },
      { name: "bob", recipient: bob.recipient, roles: ["responder"], signing_key: bob.signingKey },
    ]);
    expect(world.git(repo, ["log", "-1", "--format=%s"]).trim()).toBe("coc: add team member bob");
  });
});

describe("a passphrase-protected identity", () => {
  it("is unlocked once with a prompt in a terminal, and refused without one", async () => {
    const repo = await teamRepo(world, [alice]);
    const locked = join(world.root, "keys", "alice.age");
    writeFileSync(locked, await encryptWithPassphrase(readFileSync(alice.identityFile), "correct horse", 10), { mode: 0o600 });
    chmodSync(locked, 0o600);
    const prompter = new ScriptedPrompter({ passphrase: "correct horse" });
    writeFileSync(join(world.root, "report.yaml"), reportYaml());
    const r = await world.run(["new-report", "--from", join(world.root, "report.yaml"), "--identity", locked], { cwd: repo, tty: true, prompter });
    expect(r.code).toBe(0);
    expect(prompter.asked).toEqual(["passphrase"]);
    const no = await world.run(["list", "--identity", locked], { cwd: repo });
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/passphrase-protected; run coc in a terminal/);
    const wrong = await world.run(["list", "--identity", locked], { cwd: repo, tty: true, prompter: new ScriptedPrompter({ passphrase: "nope" }) });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cannot unlock identity .*wrong passphrase/);
  });
});

describe("long text in $EDITOR", () => {
  it("lives in a private RAM directory (0700, file 0600) that is removed afterwards", () => {
    const ram = world.ram();
    const log = join(world.root, "editor.log");
    const editor = join(world.root, "fake-editor.sh");
    writeFileSync(editor, `#!/bin/sh\nstat -c '%a %n' "$(dirname "$1")" "$1" > '${log}'\nprintf 'typed in the editor\\n' >> "$1"\n`, { mode: 0o755 });
    const text = editInRam("start\n", { EDITOR: editor, COC_RAM_DIR: ram, PATH: "/usr/bin:/bin" });
    expect(text).toBe("start\ntyped in the editor\n");
    const [dirLine, fileLine] = readFileSync(log, "utf8").trim().split("\n");
    expect(dirLine).toMatch(new RegExp(`^700 ${ram}/coc-`));
    expect(fileLine).toMatch(/^600 .*\/text\.md$/);
    expect(readdirSync(ram)).toEqual([]);
    rmSync(ram, { recursive: true });
  });

  it("is removed too when the editor fails", () => {
    const ram = world.ram();
    expect(() => editInRam("", { EDITOR: "false", COC_RAM_DIR: ram, PATH: "/usr/bin:/bin" })).toThrow(/exited with status 1; nothing was saved/);
    expect(readdirSync(ram)).toEqual([]);
  });
});
