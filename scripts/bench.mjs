#!/usr/bin/env node
/**
 * `npm run bench`: how long `coc list --json` takes over 1,000 cases (5,000
 * records) encrypted to a team of 5, against the `age` CLI decrypting the same
 * files one process each. Target: `coc list --json` under 2 s.
 *
 * Everything happens in a scratch directory under the OS temp dir (removed at
 * the end unless --keep), with a scratch HOME and an environment built from
 * scratch: nothing of the developer's environment, identity or git config is
 * used. Plain Node ESM: Node built-ins and the built dist/ modules only.
 *
 *   node scripts/bench.mjs [--keep] [--cases N]
 *
 * Exits 1 when a check fails or when `coc list --json` misses the target.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
const BIN = join(ROOT, "bin", "coc.js");
const TARGET_SECONDS = 2;

const args = process.argv.slice(2);
const keep = args.includes("--keep");
const casesArg = args.indexOf("--cases");
const CASES = casesArg >= 0 ? Number(args[casesArg + 1]) : 1000;
if (!Number.isInteger(CASES) || CASES < 1) {
  console.error("bench: --cases expects a positive integer");
  process.exit(2);
}
const RECORDS_PER_CASE = 5;
const MEMBERS = ["alice", "bob", "carol", "dave", "erin"];
const LIST_RUNS = 3;

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

/** Runs coc (the built binary) with the scratch env; returns the result, failing on a non-zero exit. */
function coc(argv, opts = {}) {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: opts.cwd ?? scratch,
    env: { ...env, ...(opts.env ?? {}) },
    encoding: "utf8",
    maxBuffer: 1 << 28,
    stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    ...(opts.input === undefined ? {} : { input: opts.input }),
  });
  if (r.status !== 0) fail(`coc ${argv.join(" ")} exited ${r.status}: ${(r.stderr || String(r.error)).trim()}`);
  return r;
}

function git(argv) {
  const r = spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@invalid", ...argv], {
    cwd: repo,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) fail(`git ${argv.join(" ")} exited ${r.status}: ${(r.stderr || String(r.error)).trim()}`);
  return r.stdout;
}

const fmt = (s) => `${s.toFixed(3)} s`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

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

// ---------------------------------------------------------------- run

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

async function run() {
  console.log(`coc benchmark: ${CASES} cases x ${RECORDS_PER_CASE} records, team of ${MEMBERS.length}`);
  console.log(`node ${process.version}, scratch ${scratch}\n`);

  // Identities: member 1 through `coc keygen` (the default path in the scratch XDG_CONFIG_HOME), the others with the core.
  const people = [];
  const kg = coc(["keygen"]);
  const aliceFile = join(env.XDG_CONFIG_HOME, "coc", "identity.txt");
  const aliceIdentity = readFileSync(aliceFile, "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-"));
  people.push({ name: MEMBERS[0], recipient: kg.stdout.trim().split(" ")[0], memberKey: kg.stdout.trim(), identityFile: aliceFile, signer: core.signing.signingKeyFromIdentity(aliceIdentity) });
  for (const name of MEMBERS.slice(1)) {
    const { identity, recipient } = core.age.generateIdentity();
    const identityFile = join(keysDir, `${name}.txt`);
    writeFileSync(identityFile, core.identity.identityFileText(identity, recipient, new Date()), { mode: 0o600 });
    chmodSync(identityFile, 0o600);
    const signer = core.signing.signingKeyFromIdentity(identity);
    people.push({ name, recipient, memberKey: core.signing.formatMemberKey(recipient, signer.publicKey), identityFile, signer });
  }
  const reader = people[2]; // member 3 reads in the timings below

  coc(["init", repo, "--event", "Bench Conf 2026", "--member", people[0].name, "--contact", "care@example.org"]);
  for (const p of people.slice(1)) coc(["team", "add", p.name, p.memberKey, "--repo", repo]);
  const signerOf = (name) => people.find((p) => p.name === name).signer;

  // Generation, straight through the core.
  const paths = core.layout.repoPaths(repo);
  const names = people.map((p) => p.name);
  const keys = people.map((p) => p.recipient);
  const codes = new Set();
  while (codes.size < CASES) codes.add(core.codes.randomCaseCode());
  const start = Date.parse("2025-06-01T08:00:00Z");
  const span = 365 * 24 * 3600_000;

  const t0 = performance.now();
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
    for (const s of await core.store.stageRecords(paths, writes)) renameSync(s.temp, s.final);
  });
  const genSeconds = (performance.now() - t0) / 1000;
  const files = [...codes].flatMap((code) => {
    const dir = join(repo, "cases", code);
    return readdirSync(dir).sort().map((f) => join(dir, f));
  });
  if (files.length !== CASES * RECORDS_PER_CASE) fail(`expected ${CASES * RECORDS_PER_CASE} record files, found ${files.length}`);
  console.log(`generated ${files.length} records in ${fmt(genSeconds)} (${((genSeconds * 1000) / files.length).toFixed(2)} ms per record, encrypted to ${keys.length} recipients)`);

  const t1 = performance.now();
  git(["add", "cases"]);
  git(["commit", "--quiet", "-m", "bench: generated cases"]);
  const commitSeconds = (performance.now() - t1) / 1000;
  const tracked = git(["ls-files", "cases"]).trim().split("\n").length;
  if (tracked !== files.length) fail(`git tracks ${tracked} files under cases/, expected ${files.length}`);
  console.log(`git add + commit (with the pre-commit guard) in ${fmt(commitSeconds)}\n`);

  // coc list --json as member 3.
  const listTimes = [];
  for (let i = 0; i < LIST_RUNS; i++) {
    const t = performance.now();
    const r = coc(["list", "--json", "--repo", repo], { env: { COC_IDENTITY: reader.identityFile } });
    listTimes.push((performance.now() - t) / 1000);
    const rows = JSON.parse(r.stdout);
    if (!Array.isArray(rows) || rows.length !== CASES) fail(`list --json returned ${Array.isArray(rows) ? rows.length : typeof rows} entries, expected ${CASES}`);
    const restricted = rows.filter((x) => x.restricted).length;
    if (restricted !== 0) fail(`list --json: ${restricted} cases restricted for ${reader.name}, expected none`);
    const stateless = rows.filter((x) => x.state !== "decided").length;
    if (stateless !== 0) fail(`list --json: ${stateless} cases not in state "decided"`);
  }
  const listMin = Math.min(...listTimes);
  const listMedian = median(listTimes);
  console.log(`coc list --json (as ${reader.name}, ${LIST_RUNS} runs): ${listTimes.map(fmt).join(", ")}`);
  console.log(`  min ${fmt(listMin)}, median ${fmt(listMedian)}; ${CASES} entries, none restricted\n`);

  // The age CLI, one process per file.
  let ageSeconds = null;
  let ageSkipped = null;
  const probe = spawnSync("age", ["--version"], { env, encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    ageSkipped = probe.error ? `\`age\` not found on PATH ${env.PATH} (${probe.error.code})` : `\`age --version\` exited ${probe.status}`;
    console.log(`age CLI: skipped: ${ageSkipped}\n`);
  } else {
    // One sanity check that the output is the record, then the timed loop to /dev/null.
    const check = spawnSync("age", ["-d", "-i", reader.identityFile, files[0]], { env, encoding: "utf8" });
    if (check.status !== 0 || !/"coc": 1,/.test(check.stdout)) fail(`age -d could not read ${files[0]}: ${check.stderr}`);
    const t = performance.now();
    for (const f of files) {
      const r = spawnSync("age", ["-d", "-i", reader.identityFile, f], { env, stdio: ["ignore", "ignore", "pipe"] });
      if (r.status !== 0) fail(`age -d ${f} exited ${r.status}: ${r.stderr}`);
    }
    ageSeconds = (performance.now() - t) / 1000;
    console.log(`age CLI (${probe.stdout.trim()}), age -d -i <${reader.name}> file > /dev/null, sequential:`);
    console.log(`  ${files.length} files in ${fmt(ageSeconds)}, ${((ageSeconds * 1000) / files.length).toFixed(2)} ms per file\n`);
  }

  // Removing a member re-encrypts every record they could read (here: all of them), in one commit.
  const leaving = people[4];
  const tRemove = performance.now();
  const removed = coc(["--repo", repo, "team", "remove", leaving.name, "--yes"], { env: { COC_IDENTITY: reader.identityFile } });
  const removeSeconds = (performance.now() - tRemove) / 1000;
  const match = /re-encrypted (\d+) record/.exec(removed.stderr);
  if (!match || Number(match[1]) !== files.length) fail(`team remove re-encrypted ${match ? match[1] : "?"} records, expected ${files.length}`);
  console.log(`coc team remove ${leaving.name} (re-encrypts ${files.length} records to 4 members, one commit): ${fmt(removeSeconds)}\n`);

  // coc sync with the 1,000 cases on both sides: one new note goes out from this clone, and comes in to a second.
  const remote = join(scratch, "origin.git");
  spawnSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", remote], { env });
  git(["remote", "add", "origin", remote]);
  git(["push", "--quiet", "-u", "origin", "main"]);
  const second = join(scratch, "second");
  spawnSync("git", ["clone", "--quiet", remote, second], { env });
  const asReader = { env: { COC_IDENTITY: reader.identityFile } };
  coc(["--repo", repo, "note", [...codes][0], "--from", "-"], { ...asReader, input: "kind: meeting\ntext: bench\nattendees: [alice, bob]\n" });
  let tSync = performance.now();
  coc(["--repo", repo, "sync"], asReader);
  const syncOut = (performance.now() - tSync) / 1000;
  tSync = performance.now();
  coc(["--repo", second, "sync"], asReader);
  const syncIn = (performance.now() - tSync) / 1000;
  console.log(`coc sync, ${CASES} cases on both sides: one note out ${fmt(syncOut)}, the same note in (a second clone) ${fmt(syncIn)}\n`);

  // Summary.
  const rows = [
    ["what", "seconds", "per record", "vs target"],
    ["coc list --json (median)", listMedian.toFixed(3), `${((listMedian * 1000) / files.length).toFixed(3)} ms`, listMedian < TARGET_SECONDS ? `ok (< ${TARGET_SECONDS} s)` : `MISSED (< ${TARGET_SECONDS} s)`],
    ["coc list --json (min)", listMin.toFixed(3), `${((listMin * 1000) / files.length).toFixed(3)} ms`, ""],
    ["coc sync, one note out", syncOut.toFixed(3), "-", ""],
    ["coc sync, one note in", syncIn.toFixed(3), "-", ""],
    ["coc team remove (re-encrypt all)", removeSeconds.toFixed(3), `${((removeSeconds * 1000) / files.length).toFixed(3)} ms`, removeSeconds < 60 ? "ok (< 60 s)" : "MISSED (< 60 s)"],
    ["age CLI, one process per file", ageSeconds === null ? "skipped" : ageSeconds.toFixed(3), ageSeconds === null ? "-" : `${((ageSeconds * 1000) / files.length).toFixed(3)} ms`, ""],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ").trimEnd();
  console.log(`Summary (${CASES} cases, ${files.length} records):`);
  console.log(line(rows[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows.slice(1)) console.log(line(r));
  if (ageSeconds !== null) console.log(`age CLI time / coc list --json time (median): ${(ageSeconds / listMedian).toFixed(1)}x`);
  if (ageSkipped) console.log(`(age CLI skipped: ${ageSkipped})`);
  if (listMedian >= TARGET_SECONDS || removeSeconds >= 60) failed = true;
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
