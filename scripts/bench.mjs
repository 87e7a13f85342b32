#!/usr/bin/env node
/**
 * `npm run bench`: every figure of issue 13's goals, measured in one run on
 * this machine, next to `node -e 0` and the `age` CLI measured in the same run.
 *
 * It builds, under a scratch directory:
 * - a repository of 1,000 cases x 5 records for a team of 5, written the way
 *   coc writes them (JSON-compatible style), signed by their authors;
 * - the same content as block-style YAML encrypted with `age -r` (as a member
 *   would write a record by hand), signed the same way;
 * - an empty team repository (for start-up figures).
 * The caller is the last member of the roster. "Cold" means no per-user
 * cache (any `.git/coc/cache*` is deleted first); "warm" a later run with
 * nothing changed (for the listing: the first run after each cold one).
 *
 * Everything runs with a scratch HOME and an environment built from scratch:
 * nothing of the developer's environment, identity or git config is used.
 * Figures are medians of several runs. A missed target prints "over target";
 * the script fails only when a check of what coc printed fails.
 *
 *   node scripts/bench.mjs [--keep] [--cases N] [--runs N]
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const BIN = join(ROOT, "bin", "coc.js");

const args = process.argv.slice(2);
const keep = args.includes("--keep");
function numberArg(name, fallback) {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench: ${name} expects a positive integer`);
    process.exit(2);
  }
  return n;
}
const CASES = numberArg("--cases", 1000);
const RUNS = numberArg("--runs", 3);
const START_RUNS = Math.max(RUNS, 9);
const RECORDS_PER_CASE = 5;
const MEMBERS = ["alice", "bob", "carol", "dave", "erin"];

const imp = (rel) => import(new URL(`file://${join(DIST, rel)}`).href);
let core;
try {
  core = {
    age: await imp("core/crypto/age.js"),
    identity: await imp("core/crypto/identity.js"),
    record: await imp("core/records/record.js"),
    schema: await imp("core/records/schema.js"),
    codes: await imp("core/repo/codes.js"),
    signing: await imp("core/crypto/signing.js"),
    signature: await imp("core/records/signature.js"),
    store: await imp("core/repo/store.js"),
    writes: await imp("core/repo/record-writes.js"),
    layout: await imp("core/repo/layout.js"),
  };
} catch (e) {
  console.error(`bench: cannot load the built modules in ${DIST} (${e.message}); run \`npm run build\` first`);
  process.exit(1);
}

// ---------------------------------------------------------------- scratch world

const scratch = mkdtempSync(join(tmpdir(), "coc-bench-"));
const home = join(scratch, "home");
const keysDir = join(scratch, "keys");
const repo = join(scratch, "repo");
const blockRepo = join(scratch, "repo-block");
const emptyRepo = join(scratch, "repo-empty");
mkdirSync(home, { recursive: true });
mkdirSync(keysDir, { recursive: true, mode: 0o700 });

/** Built from scratch: never process.env. Node's own directory first so `node` and npm-installed tools resolve. */
const env = {
  PATH: [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
  HOME: home,
  XDG_CONFIG_HOME: join(home, ".config"),
  GIT_CONFIG_NOSYSTEM: "1",
  LANG: "C.UTF-8",
  TZ: "UTC",
  NO_COLOR: "1",
};

let failed = false;
function cleanup() {
  if (keep) console.log(`\nkept the scratch directory: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

function fail(message) {
  console.error(`bench: ${message}`);
  failed = true;
  throw new Error(message);
}

/** Runs coc (the built binary, as users run it) with the scratch env; fails on a non-zero exit. @returns the result and the wall time in seconds. */
function coc(argv, opts = {}) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: opts.cwd ?? scratch,
    env: { ...env, ...(opts.env ?? {}) },
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    ...(opts.input === undefined ? {} : { input: opts.input }),
  });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) fail(`coc ${argv.join(" ")} exited ${r.status}: ${(r.stderr || String(r.error)).trim()}`);
  return { ...r, seconds };
}

function git(cwd, argv) {
  const r = spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@invalid", ...argv], { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) fail(`git ${argv.join(" ")} exited ${r.status}: ${(r.stderr || String(r.error)).trim()}`);
  return r.stdout;
}

/** Wall time of a plain process, in seconds. */
function timeProcess(cmd, argv, cwd) {
  const t = performance.now();
  // The same pipes and decoding as coc() above, so the two compare.
  const r = spawnSync(cmd, argv, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) fail(`${cmd} ${argv.join(" ")} exited ${r.status}`);
  return (performance.now() - t) / 1000;
}

/** Removes the per-user cache (anything named cache* in .git/coc/), so the next read is cold. */
function dropCache(dir) {
  const cocDir = join(dir, ".git", "coc");
  for (const name of readdirSync(cocDir)) if (name.startsWith("cache")) rmSync(join(cocDir, name), { recursive: true, force: true });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;

// ---------------------------------------------------------------- realistic content

let seed = 0x2f6b1d;
/** A small deterministic PRNG so runs are comparable (content only; codes and ids stay random). */
function rand() {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return ((seed >>> 0) % 1_000_000) / 1_000_000;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;

const FIRST = ["Sam", "Alex", "Jordan", "Robin", "Kim", "Noor", "Mateo", "Yuki", "Priya", "Lena", "Tomás", "Ada", "Ife", "Chen", "Olu", "Maya"];
const LAST = ["Okafor", "Schmidt", "Nguyen", "Garcia", "Kowalski", "Haddad", "Ivanova", "Silva", "Murphy", "Tanaka", "Rossi", "Larsen"];
const PLACES = ["the evening social", "the hallway outside room B", "the sprint room", "the conference Discord", "the speaker dinner", "the lunch queue", "the project issue tracker", "the after-party venue", "the registration desk", "a lightning talk"];
const BEHAVIOURS = [
  ["Unwanted comments about appearance", "kept commenting on how the reporter looked and would not stop when asked"],
  ["Repeated interruptions and belittling remarks", "talked over the reporter several times and said their question was 'cute for a beginner'"],
  ["Unwelcome physical contact", "put an arm around the reporter twice after being told not to"],
  ["Offensive joke in a talk", "showed a slide with a joke about a nationality that several people found demeaning"],
  ["Harassing direct messages", "sent a series of late-night messages after the reporter stopped replying"],
  ["Following someone around the venue", "followed the reporter between sessions and waited outside the room they were in"],
  ["Photographs taken without consent", "took close-up photos of the reporter and a friend during a break and refused to delete them"],
  ["Hostile review comments", "left comments on a pull request calling the author incompetent and telling them to quit"],
];
const SUPPORT = ["a quiet place", "water", "a trusted friend", "a contact for later", "venue security"];

function person() {
  return `${pick(FIRST)} ${pick(LAST)}`;
}
function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function reportBody(receivedMs, receivedBy) {
  const [summary, what] = pick(BEHAVIOURS);
  const place = pick(PLACES);
  const reporterName = person();
  const reported = person();
  const anonymous = chance(0.1);
  return {
    received_at: iso(receivedMs),
    received_by: receivedBy,
    channel: pick(["in-person", "email", "chat", "online-form", "other-staff"]),
    reporter: {
      ...(anonymous ? {} : { name: reporterName, contact: `${reporterName.split(" ")[0].toLowerCase()}@example.org` }),
      anonymous,
      keep_private: true,
      wants_followup: chance(0.8),
    },
    incident: {
      summary: `${summary} at ${place}`,
      description:
        `The reporter came to the team desk and said that a person they described as ${reported} ${what}. ` +
        `It happened at ${place}, around ${pick(["10:30", "13:15", "16:40", "19:00", "21:30"])}. ` +
        `They said they felt ${pick(["uncomfortable", "unsafe", "embarrassed in front of colleagues", "unable to enjoy the rest of the day"])} ` +
        `and did not want to be alone with this person again.\n\n` +
        `They asked that the team ${pick(["talk to the person", "keep an eye on the person", "not contact the person yet", "make sure it does not happen to anyone else"])}. ` +
        `They do not want their name shared with the reported person.\n`,
      occurred_at: pick(["yesterday evening", "this morning", "during the lunch break", "on the first day", "about an hour ago"]),
      location: place,
      ongoing: chance(0.2),
      people: [
        { name: reported, role: "reported", description: pick(["blue lanyard, speaker badge", "sponsor booth staff", "attendee, red jacket", "handle @" + reported.split(" ")[0].toLowerCase()]) },
        ...(chance(0.3) ? [{ name: person(), role: "affected" }] : []),
      ],
      witnesses: chance(0.5) ? [{ name: person(), contact: "via the volunteer desk" }] : [],
      links: chance(0.3) ? ["https://chat.example.org/archives/C123/p1717250700"] : [],
    },
    safety: {
      immediate_risk: false,
      police_contacted: false,
      support_offered: SUPPORT.filter(() => chance(0.3)),
    },
    exclude: [],
  };
}

function assessmentBody() {
  const risk = pick(["low", "low", "high"]);
  const impact = pick(["low", "high"]);
  return {
    risk,
    impact,
    in_scope: true,
    violation: pick(["yes", "yes", "unclear", "no"]),
    rationale:
      `Risk ${risk}: ${risk === "high" ? "the behaviour continued after being asked to stop and may repeat" : "a single incident with no sign it will repeat"}. ` +
      `Impact ${impact}: ${impact === "high" ? "it happened in public and affected several people" : "it happened in private and the reporter feels able to continue"}.`,
  };
}

function noteBody(members) {
  return {
    kind: "reported-contact",
    text:
      "Two of us spoke to the reported person in a quiet room. We described the behaviour without naming the reporter, " +
      "explained the code of conduct and asked them to stop. They " +
      pick(["apologised and agreed to stay away from the reporter.", "said it was a joke but accepted they had to stop.", "disagreed but agreed to follow the team's request."]),
    participants: members,
    attendees: [],
  };
}

function decisionBody(members, decidedMs) {
  const level = pick(["demand the behaviour stops", "demand no further contact with certain people", "remove from the event without refund"]);
  return {
    stage: "interim",
    violation: "yes",
    finding: "The behaviour described in the report happened and breaches the code of conduct.",
    actions: [{ level, detail: "Tell the reported person in person, with two team members present.", owner: members[0], due: iso(decidedMs + 6 * 3600_000) }],
    reasoning: "Consistent accounts from the reporter and a witness; the reported person did not dispute the facts.",
    decided_by: members,
    lead_agreement: { by: "alice", at: iso(decidedMs) },
  };
}

const REPORT_FROM = `channel: in-person
reporter:
  name: Sam Reporter
  contact: sam@example.org
incident:
  summary: Unwanted comments at the social
  description: |
    The reporter said a person kept commenting on how they looked.
  people:
    - name: Pat Example
      role: reported
`;

// ---------------------------------------------------------------- helpers

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** `age -r ... -o file` with the text on stdin: a record written by hand. */
function ageEncrypt(text, recipients, file) {
  return new Promise((res, rej) => {
    const child = spawn("age", [...recipients.flatMap((r) => ["-r", r]), "-o", file], { env, stdio: ["pipe", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c) => (err += c));
    child.on("error", rej);
    child.on("close", (code) => (code === 0 ? res() : rej(new Error(`age -r exited ${code}: ${err}`))));
    child.stdin.end(text);
  });
}

const results = [];
/** One line of the summary: a figure, its target, and how it compares. */
function report(what, seconds, { target, vs, note } = {}) {
  let verdict = "";
  if (target) verdict = target.ok(seconds) ? `ok (${target.text})` : `over target (${target.text})`;
  results.push({ what, value: seconds === null ? "skipped" : ms(seconds), vs: vs ?? "", verdict, note: note ?? "" });
  console.log(`  ${what}: ${seconds === null ? "skipped" : ms(seconds)}${vs ? `, ${vs}` : ""}${verdict ? `, ${verdict}` : ""}`);
}

// ---------------------------------------------------------------- run

async function run() {
  console.log(`coc benchmark: ${CASES} cases x ${RECORDS_PER_CASE} records, team of ${MEMBERS.length} (caller last in the roster), medians of ${RUNS} runs (${START_RUNS} for start-up)`);
  console.log(`node ${process.version}, ${process.platform}, scratch ${scratch}\n`);

  const ageProbe = spawnSync("age", ["--version"], { env, encoding: "utf8" });
  const hasAge = !ageProbe.error && ageProbe.status === 0;
  if (!hasAge) console.log("age CLI not found: the block-style repository and the age-CLI loop are skipped\n");

  // Identities: the first member through `coc keygen` (the default path in the scratch XDG_CONFIG_HOME), the others with the core.
  const people = [];
  const kg = coc(["keygen"]);
  const aliceFile = join(env.XDG_CONFIG_HOME, "coc", "identity.txt");
  const aliceIdentity = readFileSync(aliceFile, "utf8").split("\n").find((l) => l.trim() !== "" && !l.startsWith("#"));
  people.push({ name: MEMBERS[0], recipient: kg.stdout.trim().split(" ")[0], memberKey: kg.stdout.trim(), identityFile: aliceFile, signer: core.signing.signingKeyFromIdentity(aliceIdentity) });
  for (const name of MEMBERS.slice(1)) {
    const { identity, recipient } = core.age.generateIdentity();
    const identityFile = join(keysDir, `${name}.txt`);
    writeFileSync(identityFile, core.identity.identityFileText(identity, recipient, new Date()), { mode: 0o600 });
    chmodSync(identityFile, 0o600);
    const signer = core.signing.signingKeyFromIdentity(identity);
    people.push({ name, recipient, memberKey: core.signing.formatMemberKey(recipient, signer.publicKey), identityFile, signer });
  }
  const reader = people[people.length - 1]; // the caller: last in the roster
  const asReader = { env: { COC_IDENTITY: reader.identityFile } };

  coc(["init", repo, "--event", "Bench Conf 2026", "--member", people[0].name, "--contact", "care@example.org"]);
  for (const p of people.slice(1)) coc(["team", "add", p.name, p.memberKey, "--repo", repo]);
  cpSync(repo, emptyRepo, { recursive: true });
  cpSync(repo, blockRepo, { recursive: true });
  const signerOf = (name) => people.find((p) => p.name === name).signer;

  // Generation, straight through the core: the same records, coc-written in `repo` and block-style with `age -r` in `blockRepo`.
  const paths = core.layout.repoPaths(repo);
  const names = people.map((p) => p.name);
  const keys = people.map((p) => p.recipient);
  const codes = new Set();
  while (codes.size < CASES) codes.add(core.codes.randomCaseCode());
  const start = Date.parse("2025-06-01T08:00:00Z");
  const span = 365 * 24 * 3600_000;
  const handWritten = [];

  let t = performance.now();
  await mapLimit([...codes], 16, async (code, i) => {
    const received = start + Math.floor((i / CASES) * span) + Math.floor(rand() * 3600_000);
    const [a, b] = [pick(names), pick(names)];
    const second = b === a ? names[(names.indexOf(a) + 1) % names.length] : b;
    const plan = [
      ["report", received + 5 * 60_000, people[0].name, reportBody(received, people[0].name)],
      ["assessment", received + 2 * 3600_000, a, assessmentBody()],
      ["assessment", received + 2 * 3600_000 + 7 * 60_000, second, assessmentBody()],
      ["note", received + 3 * 3600_000, a, noteBody([a, second])],
      ["decision", received + 4 * 3600_000, "alice", decisionBody([a, second], received + 4 * 3600_000)],
    ];
    const writes = plan.map(([type, at, author, body]) => {
      const createdAt = new Date(at);
      // The same validation the CLI applies to a body, so the files are what coc itself would write.
      const parsed = core.schema.BODY_SCHEMAS[type].parse(body);
      const record = core.record.makeRecord({ type, case: code, id: core.codes.newRecordId(type, createdAt), author, created_at: createdAt, recipients: names, body: parsed });
      // Signed by its author, as coc writes every record.
      return { record: { ...record, signature: core.signature.signRecord(record, signerOf(author)) }, keys };
    });
    for (const s of await core.writes.stageRecords(paths, writes)) renameSync(s.temp, s.final);
    for (const w of writes) handWritten.push({ rel: core.store.recordPath(w.record), text: stringify(w.record, { version: "1.2" }) });
  });
  const genSeconds = (performance.now() - t) / 1000;
  const files = [...codes].flatMap((code) => readdirSync(join(repo, "cases", code)).sort().map((f) => join(repo, "cases", code, f)));
  if (files.length !== CASES * RECORDS_PER_CASE) fail(`expected ${CASES * RECORDS_PER_CASE} record files, found ${files.length}`);
  console.log(`generated ${files.length} records in ${ms(genSeconds)} (encrypted to ${keys.length} recipients, signed by their authors)`);
  git(repo, ["add", "cases"]);
  git(repo, ["commit", "--quiet", "-m", "bench: generated cases"]);

  if (hasAge) {
    t = performance.now();
    for (const code of codes) mkdirSync(join(blockRepo, "cases", code), { recursive: true });
    await mapLimit(handWritten, 4, (w) => ageEncrypt(w.text, keys, join(blockRepo, w.rel)));
    git(blockRepo, ["add", "cases"]);
    git(blockRepo, ["commit", "--quiet", "-m", "bench: the same cases, written by hand"]);
    console.log(`wrote the same ${handWritten.length} records as block-style YAML with age -r in ${ms((performance.now() - t) / 1000)}`);
  }
  console.log("");

  // ---- start-up: node -e 0, coc --help and coc list in an empty repository, interleaved.
  const node0 = [];
  const help = [];
  const listEmpty = [];
  for (let i = 0; i < START_RUNS; i++) {
    node0.push(timeProcess(process.execPath, ["-e", "0"], scratch));
    help.push(coc(["--help"]).seconds);
    const r = coc(["list"], { cwd: emptyRepo, ...asReader });
    if (!/No cases yet/.test(r.stderr + r.stdout)) fail(`coc list in an empty repository printed: ${r.stderr}${r.stdout}`);
    listEmpty.push(r.seconds);
  }
  const nodeMedian = median(node0);
  const ratio = (s) => `${(s / nodeMedian).toFixed(2)}x node -e 0`;
  report("node -e 0", nodeMedian);
  report("coc --help", median(help), { vs: ratio(median(help)), target: { text: "<= 1.2x node -e 0", ok: (s) => s <= 1.2 * nodeMedian } });
  report("coc list, empty repository", median(listEmpty), { vs: ratio(median(listEmpty)), target: { text: "<= 2.0x node -e 0", ok: (s) => s <= 2.0 * nodeMedian } });

  // ---- coc list --json over 1,000 cases, cold (no cache) and warm.
  const checkList = (r) => {
    const rows = JSON.parse(r.stdout);
    if (!Array.isArray(rows) || rows.length !== CASES) fail(`list --json returned ${Array.isArray(rows) ? rows.length : typeof rows} entries, expected ${CASES}`);
    const restricted = rows.filter((x) => x.restricted).length;
    if (restricted !== 0) fail(`list --json: ${restricted} cases restricted for ${reader.name}, expected none`);
    // A case is "decided" only when its decision verified (signed by its author): so every record here verified.
    const undecided = rows.filter((x) => x.state !== "decided").length;
    if (undecided !== 0) fail(`list --json: ${undecided} cases not in state "decided" (unverified records?)`);
    return r.stdout;
  };
  const listTimes = (dir) => {
    const cold = [];
    const warm = [];
    let out;
    // Each warm run is the first one after a cold run: the strictest "later run with nothing changed" (a cold
    // listing once left the signature verdicts out of the cache, and only the second warm run was fast).
    for (let i = 0; i < RUNS; i++) {
      dropCache(dir);
      const r = coc(["list", "--json", "--repo", dir], asReader);
      out = checkList(r);
      cold.push(r.seconds);
      const w = coc(["list", "--json", "--repo", dir], asReader);
      if (checkList(w) !== out) fail("a warm list --json differs from the cold one");
      warm.push(w.seconds);
    }
    return { cold: median(cold), warm: median(warm), out };
  };
  const list = listTimes(repo);
  report("coc list --json, cold", list.cold, { target: { text: "<= 1.0 s", ok: (s) => s <= 1.0 } });
  report("coc list --json, warm", list.warm, { target: { text: "<= 0.4 s", ok: (s) => s <= 0.4 } });
  if (hasAge) {
    const block = listTimes(blockRepo);
    if (block.out !== list.out) fail("list --json over the block-style records differs from the coc-written ones");
    const x = (s) => `${(s / list.cold).toFixed(2)}x coc-written cold`;
    report("coc list --json, block-style, cold", block.cold, { vs: x(block.cold), target: { text: "<= 1.5x coc-written", ok: (s) => s <= 1.5 * list.cold } });
    report("coc list --json, block-style, warm", block.warm, { vs: `${(block.warm / list.warm).toFixed(2)}x coc-written warm` });
  } else {
    report("coc list --json, block-style", null, { note: "age CLI not found" });
  }

  // ---- the age CLI, one process per file, sequential.
  if (hasAge) {
    const check = spawnSync("age", ["-d", "-i", reader.identityFile, files[0]], { env, encoding: "utf8" });
    if (check.status !== 0 || !/"coc": 1,/.test(check.stdout)) fail(`age -d could not read ${files[0]}: ${check.stderr}`);
    t = performance.now();
    for (const f of files) {
      const r = spawnSync("age", ["-d", "-i", reader.identityFile, f], { env, stdio: ["ignore", "ignore", "pipe"] });
      if (r.status !== 0) fail(`age -d ${f} exited ${r.status}: ${r.stderr}`);
    }
    const ageSeconds = (performance.now() - t) / 1000;
    report(`age -d loop over ${files.length} files (${ageProbe.stdout.trim()})`, ageSeconds, { note: `${((ageSeconds * 1000) / files.length).toFixed(2)} ms a file` });
    results.find((r) => r.what === "coc list --json, cold").vs = `${(list.cold / ageSeconds).toFixed(3)}x the age loop (target <= 0.08x)${list.cold <= 0.08 * ageSeconds ? "" : " over target"}`;
  } else {
    report("age -d loop", null, { note: "age CLI not found" });
  }

  // ---- show, transparency, verify over the 1,000 cases.
  const someCase = [...codes][Math.floor(CASES / 2)];
  const show = [];
  for (let i = 0; i < RUNS; i++) {
    const r = coc(["show", someCase, "--repo", repo], asReader);
    if (!r.stdout.includes(someCase)) fail(`coc show ${someCase} did not show the case`);
    show.push(r.seconds);
  }
  report("coc show <case>", median(show), { target: { text: "<= 150 ms", ok: (s) => s <= 0.15 } });

  const transparency = (cold) => {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      if (cold) dropCache(repo);
      const r = coc(["transparency", "--format", "json", "--repo", repo], asReader);
      JSON.parse(r.stdout);
      times.push(r.seconds);
    }
    return median(times);
  };
  report("coc transparency, cold", transparency(true));
  report("coc transparency, warm", transparency(false), { target: { text: "<= 0.6 s", ok: (s) => s <= 0.6 } });
  const verify = [];
  for (let i = 0; i < RUNS; i++) {
    const r = coc(["verify", "--repo", repo], asReader);
    if (!/^ok: /m.test(r.stdout + r.stderr)) fail(`coc verify did not say ok: ${r.stdout}${r.stderr}`);
    verify.push(r.seconds);
  }
  report("coc verify", median(verify));

  // ---- writes: new-report --from --no-input, in the 1,000-case repository.
  const fromFile = join(scratch, "report.yaml");
  writeFileSync(fromFile, REPORT_FROM);
  const head = git(repo, ["rev-parse", "HEAD"]).trim();
  const newReport = [];
  for (let i = 0; i < RUNS; i++) {
    const r = coc(["new-report", "--from", fromFile, "--no-input", "--repo", repo], asReader);
    if (!/^[a-z]+-[a-z]+-\d+$/.test(r.stdout.trim())) fail(`new-report printed no case code: ${r.stdout}`);
    newReport.push(r.seconds);
  }
  const commits = git(repo, ["rev-list", "--count", `${head}..HEAD`]).trim();
  if (Number(commits) !== RUNS) fail(`new-report made ${commits} commits, expected ${RUNS}`);
  report("coc new-report --from f --no-input", median(newReport), { target: { text: "<= 250 ms", ok: (s) => s <= 0.25 } });

  // ---- team remove: re-encrypts every record the member could read, in one commit.
  const leaving = people[3];
  const expected = files.length + RUNS;
  const removed = coc(["--repo", repo, "team", "remove", leaving.name, "--yes"], asReader);
  const match = /re-encrypted (\d+) record/.exec(removed.stderr);
  if (!match || Number(match[1]) !== expected) fail(`team remove re-encrypted ${match ? match[1] : "?"} records, expected ${expected}`);
  report(`coc team remove (${expected} records)`, removed.seconds, { target: { text: "<= 3 s", ok: (s) => s <= 3 } });

  // ---- summary
  const rows = [["what", "median", "compared", "target"], ...results.map((r) => [r.what, r.value, r.vs || r.note, r.verdict])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => r.map((cell, c) => (c === 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join("  ").trimEnd();
  console.log(`\nSummary (${CASES} cases, ${files.length} records; node ${process.version}):`);
  console.log(line(rows[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
}

try {
  await run();
} catch (e) {
  if (!failed) console.error(`bench: ${e.stack ?? e}`);
  failed = true;
} finally {
  cleanup();
}
process.exitCode = failed ? 1 : 0;
