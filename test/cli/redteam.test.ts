/**
 * Attacks on evidence, intake and oversight (issues 15 and 16), each through
 * the real CLI: what someone with push access, a member named in or recused
 * from a case, or a reporter's adversary could try.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jpegWithGps } from "../helpers/images.js";
import { World, ageDecrypts, fromTemplate, hasAgeCli, reportYaml, teamRepo, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let bob: Person;
let carol: Person;
let liaison: Person;
let repo: string;

async function ok(argv: string[], who: Person, opts: { stdin?: string; now?: Date; cwd?: string } = {}): Promise<{ stdout: string; stderr: string }> {
  const r = await world.run(argv, { as: who, cwd: opts.cwd ?? repo, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}), ...(opts.now ? { now: opts.now } : {}) });
  expect(r.code, `${argv.join(" ")}: ${r.stderr}`).toBe(0);
  return r;
}

/** alice (lead), bob and carol, with a board liaison on the oversight list since 2026-05-01. */
async function withLiaison(t: World): Promise<{ repo: string }> {
  const [alice, bob, carol, liaison] = [t.person("alice"), t.person("bob"), t.person("carol"), t.person("liaison")];
  const repo = await teamRepo(t, [alice, bob, carol]);
  const r = await t.run(["oversight", "add", "liaison", liaison.memberKey, "--role", "board-liaison"], { as: alice, cwd: repo, now: new Date("2026-05-01T10:00:00Z") });
  if (r.code !== 0) throw new Error(r.stderr);
  return { repo };
}

const files = (code: string) => readdirSync(join(repo, "cases", code)).map((f) => join(repo, "cases", code, f));
const caseCodes = () => (existsSync(join(repo, "cases")) ? readdirSync(join(repo, "cases")) : []);
const git = (dir: string, args: string[]) => world.git(dir, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=m", "-c", "user.email=m@x", ...args]);

beforeEach(async () => {
  world = new World();
  [alice, bob, carol, liaison] = [world.person("alice"), world.person("bob"), world.person("carol"), world.person("liaison")];
  ({ repo } = await fromTemplate(world, "redteam.test: a team with a board liaison", withLiaison));
});
afterEach(() => world.cleanup());

describe("attacks on escalation", () => {
  it.skipIf(!hasAgeCli())("an escalation dated before the oversight person was added gives them nothing", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, { stdin: reportYaml("early"), now: new Date("2026-04-01T10:00:00Z") })).stdout.trim();
    const r = await world.run(["escalate", code, "--to", "liaison", "--yes"], { as: bob, cwd: repo, now: new Date("2026-04-02T10:00:00Z") });
    await ok(["note", code, "--from", "-"], carol, { stdin: "kind: other\ntext: later\n", now: new Date("2026-06-02T10:00:00Z") });
    for (const f of files(code)) expect(ageDecrypts(f, liaison, world.env), `${f} ${r.stderr}`).toBe(false);
  });

  it.skipIf(!hasAgeCli())("removing the member who escalated a case from the team does not take the case back from the oversight person", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, { stdin: reportYaml("escalated by bob") })).stdout.trim();
    await ok(["escalate", code, "--to", "liaison", "--yes"], bob);
    for (const f of files(code)) expect(ageDecrypts(f, liaison, world.env), f).toBe(true);
    await ok(["team", "remove", "bob", "--yes"], alice);
    for (const f of files(code)) {
      expect(ageDecrypts(f, bob, world.env), f).toBe(false);
      expect(ageDecrypts(f, liaison, world.env), f).toBe(true);
    }
    await ok(["note", code, "--from", "-"], carol, { stdin: "kind: other\ntext: after bob left\n" });
    for (const f of files(code)) expect(ageDecrypts(f, liaison, world.env), f).toBe(true);
    const v = await world.run(["verify"], { as: carol, cwd: repo });
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });

  it("a hand-edit back-dating an oversight person's added_at says so where it waits for confirmation", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, { stdin: reportYaml() })).stdout.trim();
    const path = join(repo, ".coc", "oversight.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace("added_at: 2026-05-01T10:00:00Z", "added_at: 2020-01-01T00:00:00Z"));
    const r = await world.run(["note", code, "--from", "-", "--no-input"], { as: bob, cwd: repo, stdin: "kind: other\ntext: x\n" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/oversight.yaml liaison \(board-liaison\): added_at 2020-01-01T00:00:00Z \(was 2026-05-01T10:00:00Z\): escalations dated from then on count/);
  });

  it.skipIf(!hasAgeCli())("a recused member's escalation, back-dated to before the recusal, gives the liaison nothing", async () => {
    const code = (await ok(["new-report", "--from", "-"], carol, { stdin: reportYaml("bob's friend"), now: new Date("2026-06-01T10:00:00Z") })).stdout.trim();
    const beforeRecusal = git(repo, ["rev-parse", "HEAD"]).trim();
    await ok(["recuse", code, "bob"], alice, { now: new Date("2026-06-03T10:00:00Z") });
    // bob goes back to a commit he could still read, escalates with his clock set back, and carries the record over with plain git.
    git(repo, ["checkout", "--quiet", "-b", "evil", beforeRecusal]);
    await ok(["escalate", code, "--to", "liaison", "--yes"], bob, { now: new Date("2026-06-02T10:00:00Z") });
    const record = git(repo, ["diff", "--name-only", "--diff-filter=A", "HEAD~1", "HEAD"]).trim();
    expect(record).toMatch(/-escalation-/);
    git(repo, ["checkout", "--quiet", "main"]);
    writeFileSync(join(repo, record), world.gitBytes(repo, ["cat-file", "blob", `evil:${record}`]));
    git(repo, ["add", record]);
    git(repo, ["commit", "--quiet", "-m", "coc: escalate"]);
    // The next write by a member who reads the case re-encrypts it to its audience.
    await ok(["note", code, "--from", "-"], carol, { stdin: "kind: other\ntext: after bob's record\n", now: new Date("2026-06-04T10:00:00Z") });
    for (const f of files(code)) expect(ageDecrypts(f, liaison, world.env), f).toBe(false);
  });
});

/** An armored age submission of `text` to `to`, as the form makes it. */
function submission(text: string, to: Person[]): string {
  const r = spawnSync("age", ["-a", ...to.flatMap((p) => ["-r", p.recipient])], { input: text, env: world.env, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const formBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    channel: "online-form",
    reporter: { name: "Kim", contact: "kim@example.net", anonymous: false },
    incident: { summary: "Comments in the chat", description: "Repeated comments about my looks." },
    ...extra,
  });

describe("attacks on a form submission", () => {
  it.skipIf(!hasAgeCli())("a submission also encrypted to an outsider is stored encrypted to the team only", async () => {
    const outsider = world.person("outsider");
    const code = (await ok(["new-report", "--from-age", "-"], alice, { stdin: submission(formBody(), [alice, bob, carol, outsider]) })).stdout.trim();
    for (const f of files(code)) {
      expect(ageDecrypts(f, outsider, world.env), f).toBe(false);
      expect(ageDecrypts(f, bob, world.env), f).toBe(true);
    }
  });

  it.skipIf(!hasAgeCli())("a submission may keep members out (never all of them) but cannot name who received it", async () => {
    const all = await world.run(["new-report", "--from-age", "-"], { as: alice, cwd: repo, stdin: submission(formBody({ exclude: ["alice", "bob", "carol"] }), [alice, bob, carol]) });
    expect(all.code).toBe(1);
    expect(all.stderr.trim().split("\n"), all.stderr).toHaveLength(1);
    expect(caseCodes()).toEqual([]);
    // The reporter's wish to keep the importer out is honoured; received_by is the importer, whatever the body says.
    const code = (await ok(["new-report", "--from-age", "-"], alice, { stdin: submission(formBody({ exclude: ["alice"], received_by: "mallory" }), [alice, bob, carol]) })).stdout.trim();
    for (const f of files(code)) expect(ageDecrypts(f, alice, world.env), f).toBe(false);
    const shown = JSON.parse((await ok(["show", code, "--json"], bob)).stdout) as { records: { body: { received_by?: string } }[] };
    expect(shown.records[0]!.body.received_by).toBe("alice");
  });

  it.skipIf(!hasAgeCli())("an armored submission with garbage after it, or cut short, is refused in one line", async () => {
    const good = submission(formBody(), [alice, bob, carol]);
    for (const text of [`${good}\n<script>alert(1)</script>\n`, good.slice(0, good.length - 80)]) {
      const r = await world.run(["new-report", "--from-age", "-"], { as: alice, cwd: repo, stdin: text });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
    }
    expect(caseCodes()).toEqual([]);
  });

  it.skipIf(!hasAgeCli())("a YAML alias bomb or a __proto__ key is refused in one line, storing nothing", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    for (const text of [bomb, `{"__proto__": {"exclude": ["bob"]}, ${formBody().slice(1)}`]) {
      const r = await world.run(["new-report", "--from-age", "-"], { as: alice, cwd: repo, stdin: submission(text, [alice, bob, carol]) });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split("\n"), r.stderr).toHaveLength(1);
    }
    expect(caseCodes()).toEqual([]);
  });
});

/** A hostile message: a team member's name as sender, escapes in the subject, and attachments named to escape or to mislead. */
function hostileEml(): string {
  const esc = (s: string) => Buffer.from(s, "utf8").toString("base64");
  return [
    "From: Bob <robin@example.net>",
    "To: care@example.org",
    `Subject: =?utf-8?B?${esc("Help \u001b[2J\u001b]52;c;cHduZWQ=\u0007 now")}?=`,
    "Date: Sun, 31 May 2026 21:14:09 +0200",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=iso-8859-1",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    "Caf=E9 incident, see attached.",
    "--b1",
    'Content-Type: application/octet-stream; name="../../.git/hooks/pre-commit"',
    'Content-Disposition: attachment; filename="../../.git/hooks/pre-commit"',
    "Content-Transfer-Encoding: base64",
    "",
    esc("#!/bin/sh\necho pwned > /tmp/pwned\n"),
    "--b1",
    "Content-Type: text/plain",
    "Content-Disposition: attachment; filename*=utf-8''%1B%5B31mred%0Aevidence%201%3A%20fake.txt",
    "Content-Transfer-Encoding: base64",
    "",
    "!!!not base64 at all ***",
    "--b1--",
    "",
  ].join("\r\n");
}

describe("attacks through an e-mail", () => {
  it("a message or submission that never ends (a device, a huge file) is refused after its size cap, in one line", async () => {
    for (const [flag, message] of [["--from-eml", /\/dev\/zero is larger than 100 MiB; not read/], ["--from-age", /\/dev\/zero: more than \d+ bytes, far larger than a report/], ["--from", /\/dev\/zero: larger than 4 MiB, the limit for a --from file/]] as const) {
      const r = await world.run(["new-report", flag, "/dev/zero", "--no-input"], { as: alice, cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(caseCodes()).toEqual([]);
  });

  it.skipIf(!hasAgeCli())("a hostile message: the named member is kept out, escapes never reach the terminal, attachment names never become paths", async () => {
    const r = await world.run(["new-report", "--from-eml", "-", "--no-input"], { as: alice, cwd: repo, stdin: hostileEml() });
    expect(r.code, r.stderr).toBe(0);
    const code = r.stdout.trim();
    expect(r.stderr).toMatch(/names team member bob \(reporter/);
    expect(r.stderr).not.toMatch(/\u001b\[31m|\u001b\]52|\u001b\[2J/);
    expect(existsSync(join(repo, ".git", "hooks", "pre-commit"))).toBe(false);
    expect(readdirSync(join(repo, "cases", code)).every((f) => /^[0-9TZ]+-(report|evidence)-[a-z0-9]+(\.file)?\.age$/.test(f))).toBe(true);
    for (const f of files(code)) expect(ageDecrypts(f, bob, world.env), f).toBe(false);
    const show = await ok(["show", code], carol);
    expect(show.stdout + show.stderr).not.toMatch(/\u001b\[31m|\u001b\]52|\u001b\[2J/);
    expect(show.stdout).toMatch(/Caf\u00e9 incident/);
    const list = await ok(["list"], carol);
    expect(list.stdout + list.stderr).not.toMatch(/\u001b\]52|\u001b\[2J/);
    const json = JSON.parse((await ok(["show", code, "--json"], carol)).stdout) as { records: { type: string; body: { name?: string } }[] };
    expect(json.records.filter((x) => x.type === "evidence").map((x) => x.body.name)).toContain("pre-commit");
  });
});

describe("attacks on the audit bundle", () => {
  it.skipIf(!hasAgeCli())("the reporter's name is withheld however the other records spell it: case, accents, decomposed letters", async () => {
    const report = reportYaml("audit").replace("name: Sam Reporter", "name: Zo\u00eb Lef\u00e8vre").replace("contact: sam@example.org", "contact: zoe.l@example.org");
    const code = (await ok(["new-report", "--from", "-"], bob, { stdin: report })).stdout.trim();
    await ok(["note", code, "--from", "-"], bob, { stdin: "kind: other\ntext: Called ZOE LEFEVRE back; Zoe\u0308 (as she signs) and Mrs Lefevre agree.\n" });
    await ok(["escalate", code, "--to", "liaison", "--yes"], bob);
    const out = join(world.root, "bundle.age");
    await ok(["export", "--audit", code, "--to", "liaison", "--out", out], bob);
    const plain = spawnSync("age", ["-d", "-i", liaison.identityFile, out], { env: world.env, encoding: "utf8" });
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/Called \[reporter withheld\] back/);
    expect(plain.stdout.normalize("NFD").replace(/\p{M}/gu, "")).not.toMatch(/zoe|lefevre/i);
  });
});

describe("oversight and evidence files", () => {
  it.skipIf(!hasAgeCli())("a summary gives no evidence file; oversight remove takes every evidence file back from them", async () => {
    const other = (await ok(["new-report", "--from", "-"], carol, { stdin: reportYaml("another case") })).stdout.trim();
    const code = (await ok(["new-report", "--from", "-"], bob, { stdin: reportYaml("with a photo") })).stdout.trim();
    const photo = join(world.root, "photo.txt");
    writeFileSync(photo, "a screenshot, in words");
    await ok(["attach", code, photo], bob);
    const everything = () => readdirSync(join(repo, "cases")).flatMap((c) => readdirSync(join(repo, "cases", c)).map((f) => join(repo, "cases", c, f)));
    await ok(["escalate", code, "--to", "liaison", "--summary-only", "--text", "One report, with a photo, handled by two members."], bob);
    expect(everything().filter((f) => ageDecrypts(f, liaison, world.env)).map((f) => f.replace(/^.*\//, ""))).toEqual([expect.stringMatching(/-summary-/)]);
    await ok(["escalate", code, "--to", "liaison", "--yes"], bob);
    const evidence = files(code).filter((f) => f.endsWith(".file.age"));
    expect(evidence).toHaveLength(1);
    expect(ageDecrypts(evidence[0]!, liaison, world.env)).toBe(true);
    expect(files(other).some((f) => ageDecrypts(f, liaison, world.env))).toBe(false);
    await ok(["oversight", "remove", "liaison", "--yes"], alice);
    await ok(["trust", "--yes"], bob);
    expect(everything().filter((f) => ageDecrypts(f, liaison, world.env))).toEqual([]);
    const v = await world.run(["verify"], { as: bob, cwd: repo });
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});

describe("attacks on the reporting form", () => {
  it("hostile settings stay text: one script, a CSP that forbids every request, no attribute injected", async () => {
    const dir = join(world.root, "hostile");
    const event = `</title></script><script>alert(1)</script><img src=https://evil.example/x>`;
    const contact = `" onmouseover="alert(2)" x='`;
    const init = await world.run(["init", dir, "--event", event, "--member", "alice", "--contact", contact, "--policy-url", `https://example.org/"onclick="alert(3)`], { as: alice });
    expect(init.code, init.stderr).toBe(0);
    const r = await world.run(["form"], { as: alice, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const html = r.stdout;
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toMatch(/<img|onmouseover="|onclick=|evil\.example\/x>/);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'">/);
    expect(html).not.toMatch(/\b(src|href)="(?!https:\/\/example)/);
  });
});

describe("who may change the oversight list", () => {
  it("a member who is not a lead cannot add or remove oversight people, and a name with path characters is refused", async () => {
    const mallory = world.person("mallory");
    for (const argv of [["oversight", "add", "mallory", mallory.memberKey, "--role", "mediator"], ["oversight", "remove", "liaison", "--yes"]]) {
      const r = await world.run(argv, { as: bob, cwd: repo });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^coc: only a lead can change the oversight list; bob is not a lead$/m);
    }
    const bad = await world.run(["oversight", "add", "../../x", mallory.memberKey, "--role", "mediator"], { as: alice, cwd: repo });
    expect(bad.code).toBe(1);
    expect(readFileSync(join(repo, ".coc", "oversight.yaml"), "utf8")).not.toMatch(/mallory|\.\.\//);
  });
});

describe("attacks through an evidence file's name", () => {
  it.skipIf(!hasAgeCli())("open names the copy after what the bytes are, not after a misleading name (an image called .html never opens as a page)", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, { stdin: reportYaml() })).stdout.trim();
    const file = join(world.root, "invitation.html");
    writeFileSync(file, jpegWithGps());
    await ok(["attach", code, file], bob);
    const ram = world.ram();
    const seen = join(world.root, "seen.txt");
    const viewer = join(world.root, "viewer.sh");
    writeFileSync(viewer, `#!/bin/sh\nbasename "$1" > "${seen}"\n`);
    chmodSync(viewer, 0o755);
    const r = await world.run(["open", code, "1"], { as: bob, cwd: repo, env: { COC_VIEWER: viewer, COC_RAM_DIR: ram } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(seen, "utf8").trim()).toBe("evidence-1.jpg");
    expect(readdirSync(ram)).toEqual([]);
  });

  it.skipIf(!hasAgeCli())("a web page given as evidence opens as plain text, so a browser never fetches what it links to", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, { stdin: reportYaml() })).stdout.trim();
    const file = join(world.root, "saved-thread.html");
    writeFileSync(file, '<!doctype html><html><body><img src="https://tracker.example/seen.png">the thread</body></html>');
    await ok(["attach", code, file], bob);
    const ram = world.ram();
    const seen = join(world.root, "seen.txt");
    const viewer = join(world.root, "viewer.sh");
    writeFileSync(viewer, `#!/bin/sh\nbasename "$1" > "${seen}"\n`);
    chmodSync(viewer, 0o755);
    const r = await world.run(["open", code, "1"], { as: bob, cwd: repo, env: { COC_VIEWER: viewer, COC_RAM_DIR: ram } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(seen, "utf8").trim()).toBe("evidence-1.txt");
    expect(r.stderr).toMatch(/is a web page \(html\); it opens as plain text/);
    expect(readdirSync(ram)).toEqual([]);
  });

  it.skipIf(!hasAgeCli())("open removes the plaintext an earlier open left behind when it was killed outright, and nothing of a live one", async () => {
    const code = (await ok(["new-report", "--from", "-"], bob, { stdin: reportYaml() })).stdout.trim();
    const file = join(world.root, "chat.txt");
    writeFileSync(file, "the messages");
    await ok(["attach", code, file], bob);
    const ram = world.ram();
    // What a SIGKILLed open leaves (its process is gone), and the directory of an open still running (pid 1 is alive).
    for (const dir of ["coc-open-999999999-abc", "coc-open-1-live"]) {
      mkdirSync(join(ram, dir), { recursive: true });
      writeFileSync(join(ram, dir, "evidence-1.txt"), "plaintext");
    }
    const r = await world.run(["open", code, "1"], { as: bob, cwd: repo, env: { COC_VIEWER: "true", COC_RAM_DIR: ram } });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(ram)).toEqual(["coc-open-1-live"]);
  });
});

describe("attacks on an appeal", () => {
  it("a member the case excludes (the reported person) cannot be recorded as deciding its appeal", async () => {
    const day = (d: number) => new Date(Date.UTC(2026, 5, 1 + d, 12));
    const aboutCarol = reportYaml("appealed").replace("name: Pat Example", "name: carol");
    const code = (await ok(["new-report", "--from", "-"], alice, { stdin: aboutCarol, now: day(0) })).stdout.trim();
    await ok(["decide", code, "--from", "-"], alice, { stdin: "stage: final\nviolation: yes\nfinding: Repeated unwanted comments.\nactions: [{ level: demand the behaviour stops }]\ndecided_by: [alice, bob]\n", now: day(0) });
    await ok(["appeal", code, "--by", "reported", "--ground", "New information", "--text", "I was not there."], alice, { now: day(2) });
    const r = await world.run(["appeal", "decide", code, "--result", "overturned", "--decided-by", "carol", "--reasoning", "Not me."], { as: alice, cwd: repo, now: day(3) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/carol/);
    const shown = JSON.parse((await ok(["show", code, "--json"], alice, { now: day(3) })).stdout) as { records: { type: string }[] };
    expect(shown.records.map((x) => x.type)).not.toContain("appeal_outcome");
  });
});
