/**
 * The fast YAML path (src/core/records/fast-yaml.ts, js-yaml) against the
 * reference reading (`yaml`, as coc configures it): on every text the fast
 * path reads, both give deep-equal values; on every text `yaml` refuses, the
 * fast path gives nothing and parseYaml's one-line error is yaml's.
 */
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { stringify, type ToStringOptions } from "yaml";
import { describe, expect, it } from "vitest";
import { parseWithYaml, parseYaml, toYaml } from "../../src/core/records/document.js";
import { fastYaml } from "../../src/core/records/fast-yaml.js";
import { makeRecord } from "../../src/core/records/record.js";
import { RECORD_TYPES } from "../../src/core/records/schema.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { reportYaml } from "../helpers/env.js";

/** A small seeded generator (mulberry32), so every run checks the same texts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Outcome = { value: unknown } | { error: string };
function reference(text: string): Outcome {
  try {
    return { value: parseWithYaml(text, "f.yaml") };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** @returns why the fast path disagrees with `yaml` on `text`, or null (it agrees, or leaves the text to yaml). */
function disagreement(text: string): string | null {
  let fast: unknown;
  try {
    fast = fastYaml(text);
  } catch (e) {
    return `fast path threw ${(e as Error).message}`;
  }
  if (fast === undefined) return null;
  const ref = reference(text);
  if ("error" in ref) return `fast path read what yaml refuses (${ref.error})`;
  return isDeepStrictEqual(fast, ref.value) ? null : `values differ: ${JSON.stringify(fast)} vs ${JSON.stringify(ref.value)}`;
}

/** The texts the fast path reads differently from yaml (the first few), each with why. */
function disagreements(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const why = disagreement(text);
    if (why !== null && out.length < 12) out.push(`${JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text)}: ${why}`);
  }
  return out;
}

const at = new Date("2026-06-01T14:05:00Z");
const BODIES: Record<string, unknown> = {
  report: {
    received_at: "2026-06-01T14:00:00Z",
    channel: "in-person",
    reporter: { name: "Sam Ünal", contact: "sam@example.org", anonymous: false, wants_followup: true },
    incident: {
      summary: "Comments at the social: \"you people\" # twice",
      description: "Line one.\nLine two: with colon # and hash\n\n  indented line\nlast line without newline",
      occurred_at: "2026-06-01",
      people: [{ name: "Pat", role: "reported", description: "handle @pat" }],
      witnesses: [],
      links: ["https://chat.example.org/archives/C123/p1717250700"],
    },
    safety: { immediate_risk: false, police_contacted: false, support_offered: ["water", "a quiet place"] },
    exclude: ["dave"],
  },
  conflict: { member: "bob", conflict: true, recused: true },
  assessment: { risk: "high", impact: "low", in_scope: true, violation: "yes", rationale: "Risk high: repeated.\nImpact low: 'private'." },
  note: { kind: "meeting", text: "We met.\n\n- one\n- two: three\n", attendees: ["alice", "bob", "carol"] },
  decision: { stage: "interim", violation: "no", actions: [{ level: "warning", owner: "alice", due: "2026-06-02T09:00:00Z", text: "null" }], decided_by: ["alice", "bob"] },
  followup: { action: 0, done_at: "2026-06-02T10:00:00Z", text: "told them" },
  resolution: { reporter_informed_at: "2026-06-03T10:00:00Z", public: { statement: "~" }, transparency: { include: true, title: "A comment", category: "verbal" } },
  vouch: { records: [{ id: "20260601T140500Z-report-k3f9", sha256: "0".repeat(64) }], readers: ["alice"] },
  purge: { records: ["20260601T140500Z-report-k3f9"], reason: "retention" },
  evidence: { name: "screenshot 1.png", media_type: "image/png", size: 1234, sha256: "a".repeat(64), description: "the DMs", added_by: "alice", metadata_removed: ["text"] },
  escalation: { to: [{ name: "kim", recipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", role: "board-liaison" }], reason: "the report names the lead" },
  summary: { to: [{ name: "kim", recipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p" }], text: "handled by two members" },
  appeal: { by: "reported", received_at: "2026-06-05T10:00:00Z", grounds: ["new information"], text: "I was not there." },
  appeal_outcome: { result: "upheld", decided_by: ["carol", "kim"], reasoning: "nothing new", decided_at: "2026-06-10T10:00:00Z" },
  consent: { changes: { contact_reported: "no", share: { police: "no" }, followup: { channel: "e-mail" } }, said_by: "reporter", said_at: "2026-06-02T10:00:00Z", how: "phone" },
};
const SIGNATURE = "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgYBazo3E7duvSuAiS1rjlAhOAIw\n-----END SSH SIGNATURE-----\n";

/** Block-style records of every type, as `yaml` writes them (which is how people write them by hand). */
function records(): string[] {
  return RECORD_TYPES.map((type) => {
    const record = makeRecord({ type, case: "quiet-otter-42", id: newRecordId(type, at), author: "alice", created_at: at, recipients: ["alice", "bob"], body: BODIES[type] as never });
    return toYaml({ ...record, signature: SIGNATURE });
  });
}

/** Hand-written shapes: every scalar style, comments, flow inside block, empty values, look-alike strings and keys. */
const HAND_WRITTEN = [
  "a: >\n  folded\n  text\n\n  new paragraph\n    more indented\n  back\nb: x\n",
  "a: >-\n  folded strip\n\n\nc: |+\n  keep\n\n\nd: |-\n  strip\ne: |2\n    two extra\n",
  "a: |\n  literal: with colon\n  # not a comment\n  - not a list\nb: end # a comment\n",
  'a: "esc \\" \\\\ \\/ \\t \\n \\u00e9 \\x41 \\U0001F600 \\N \\_ \\L \\P \\e \\0 \\a"\nb: \'it\'\'s\'\n',
  'a: "multi\n  line\n\n  double"\nb: \'multi\n  line single\'\nc: plain\n  multi line\n\n  plain\n',
  "a: ünïcödé ✓ 😀 日本語\n\"ключ\": значение\n",
  "# leading comment\n\na: 1 # trailing\n# between\nb:\n  # inside\n  - x # item\n",
  "a: [1, two, \"three\", 'four', {five: 5}]\nb: {x: 1, y: [a, b], z: {}}\nc: []\nd: {}\ne: [a, b, ]\n",
  "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: ''\ng: \"\"\n",
  "a: yes\nb: no\nc: on\nd: off\ne: y\nf: True\ng: FALSE\nh: tRUE\n",
  "a: 1\nb: -2\nc: +3\nd: 0o17\ne: 0x1F\nf: 0b101\ng: 017\nh: 1_000\ni: 1.5\nj: -.5\nk: +.5e3\nl: 1.\nm: 1e3\nn: 6.02E+23\n",
  "a: .inf\nb: -.Inf\nc: +.INF\nd: .nan\ne: .NaN\nf: .NAN\ng: inf\nh: nan\ni: -0\nj: 0.0\nk: -0.0\nl: 99999999999999999999999\nm: 1e999\n",
  "a: 2026-06-01\nb: 2026-06-01T14:05:00Z\nc: 2026-06-01 14:05:00 +02:00\nd: 12:30:45\ne: 1:20\n",
  '"1": one\n"0x10": hex\n"true": t\n"~": tilde\nkey with spaces: v\n"<<": merge-like\n',
  "1: one\n2.5: two\n0x10: hex\ntrue: t\n-3: neg\n.inf: inf\n",
  "__proto__: polluted\nconstructor: c\ntoString: s\nhasOwnProperty: h\n",
  "<<: {a: 1}\nb: 2\n",
  "list:\n- a\n- b:\n    c: d\n- - nested\n  - seq\n-\n- \"\"\n",
  "a:\n  - x\n  -   y\n  - z:   1\n    w: 2\n",
  "a: b:c\nd: e#f\ng: h #i\nj: http://example.org/a#b\nk: -x\nl: ?y\nm: a - b\n",
  "a: 'single with \"double\"'\nb: \"double with 'single'\"\nc: '  spaced  '\nd: \"trailing \\\n  escaped break\"\n",
  "---\na: 1\n",
  "a: 1\n...\n",
  "{a: 1, b: [x, y]}\n",
  "[a, b, c]\n",
  "just a scalar\n",
  '"quoted scalar"\n',
  "- a\n- b\n",
  "a: x\n\n\n\nb: y\n",
  "a: 1",
  "a:    spaced value   \nb:\tx\n",
  "a: |\n  text\n\tb\n",
  "a: 1\r\nb: |\r\n  x\r\n  y\r\n",
  "? complex\n: value\n",
  "? [a, b]\n: value\n",
  "[a, b]: value\n",
  "{a: 1}: value\n",
  ": no key\n",
  "~: null key\n",
  "null: k\n",
  `${"k".repeat(1100)}: long key\n`,
  `a: ${"v".repeat(3000)}\n`,
  `a: "${"q: ".repeat(500)}"\n`,
  "a: b: c\n",
  "a: 'unterminated\n",
  "a: [1, 2\n",
  "  a: 1\n b: 2\n",
  "a:\n  b: 1\n c: 2\n",
  "- a\nb: 1\n",
  "a: @at\n",
  "a: `tick\n",
  'a: "x"y\n',
  "a: 'x' # ok\nb: 'x'#not\n",
  "a: -\nb: - x\n",
  "a: [b\n  c]\n",
  "a: {b: 1\n  , c: 2}\n",
  "a:\n- b\n  - c\n",
  "a: |\nb\n",
  "a: >\n text\n  more\n less\n",
  "a: x\n  y: z\n",
  " >\n\n#",
  "|\n#x\n  y\n",
  "",
  "# only a comment\n",
  "   \n",
  "a: 'x'#not\nb: \"y\"#not\nc: [x]#not\nd: {x: 1}#not\n",
  "a: [x,#c\n  y]\n",
  "a: 'x '#not\nb: \"#general\"\nc: '#random' # ok\n",
  "a:\n  b: 1\n# at column 0\nc: [x]  # ok\n",
];

/** Hostile or special texts: the fast path must leave them to yaml, which decides and words the error. */
const HOSTILE = [
  `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
  "base: &base {a: 1}\nderived:\n  <<: *base\n  b: 2\n",
  "a: *nothing\n",
  "a: &x 1\nb: *x\n",
  "a: !!binary aGVsbG8=\n",
  "a: !!str 123\nb: !!int '7'\n",
  "a: !custom thing\n",
  "a: ! 12\n",
  "!!map {a: 1}\n",
  "a: !<tag:yaml.org,2002:str> 1\n",
  "a: 1\na: 2\n",
  "a: 1\n'a': 2\n",
  "outer:\n  x: 1\n  \"x\": 2\n",
  "1: a\n01: b\n",
  "%YAML 1.1\n---\na: yes\n",
  "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
  "a: 1\n---\nb: 2\n",
  "---\n---\n",
  "\uFEFFa: 1\n",
  "a: x\u0000y\n",
  "a: x\u0007y\n",
  "a: x\u0085y\n",
  "a: x\u2028y\n",
  `${"[".repeat(200)}${"]".repeat(200)}\n`,
  `${Array.from({ length: 150 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")} v\n`,
];

/** Random values whose strings look like every other YAML type, for `yaml`'s stringify in many styles. */
function randomValue(rand: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const strings = ["plain", "two words", "1", "0x10", "0o7", "1e3", ".inf", "-.5", "yes", "no", "null", "~", "true", "False", "", " ", "a: b", "a #b", "- x", "[x]", "{y}", "'q'", '"d"', "\\", "tab\there", "line\nbreak", "trail ", " lead", "\nlead break", "end\n", "two\n\nparas\n", "ünï ✓ 😀", "@x", "`x", "%x", "!x", "&x", "*x", "|x", ">x", "?x", ",x", "#x", "2026-06-01", "12:30", "<<", "__proto__", "=", "-", "---", "...", "x".repeat(90)];
  const r = rand();
  if (depth > 3 || r < 0.45) {
    const s = rand();
    if (s < 0.55) return pick(strings) + (rand() < 0.3 ? ` ${pick(strings)}` : "");
    if (s < 0.7) return Math.floor(rand() * 2000) - 1000;
    if (s < 0.8) return Math.round((rand() - 0.5) * 1e6) / 1000;
    if (s < 0.9) return rand() < 0.5;
    return null;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) {
    const key = rand() < 0.7 ? pick(["name", "role", "text", "people", "summary", "a_b", "with space", "x-y", "k9"]) : pick(strings);
    out[key] = randomValue(rand, depth + 1);
  }
  return out;
}

const STYLES: ToStringOptions[] = [
  {},
  { lineWidth: 0 },
  { lineWidth: 30, minContentWidth: 10 },
  { defaultStringType: "QUOTE_DOUBLE" },
  { defaultStringType: "QUOTE_SINGLE" },
  { defaultStringType: "BLOCK_FOLDED", lineWidth: 25 },
  { defaultStringType: "BLOCK_LITERAL" },
  { defaultKeyType: "PLAIN", defaultStringType: "QUOTE_DOUBLE", doubleQuotedAsJSON: true },
  { indent: 4, indentSeq: false },
  { collectionStyle: "flow" },
  { flowCollectionPadding: false, collectionStyle: "flow", lineWidth: 20 },
  { blockQuote: "folded" },
  { blockQuote: "literal", indentSeq: false },
];

function generated(count: number, seed: number): string[] {
  const rand = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const value = { body: randomValue(rand, 0), more: randomValue(rand, 1) };
    out.push(stringify(value, { version: "1.2", ...STYLES[i % STYLES.length] }));
  }
  return out;
}

/** Small random edits of a text: where parsers usually part ways. */
function mutate(text: string, rand: () => number): string {
  const alphabet = [" ", "  ", "\n", ":", ": ", "-", "- ", "#", " #", "'", '"', "[", "]", "{", "}", ",", "|", ">", "?", "&", "*", "!", "%", "@", "`", "\\", "~", "0", "x", "é", "\t", "\r", "---", "..."];
  const lines = text.split("\n");
  const r = rand();
  const at = Math.floor(rand() * (text.length + 1));
  if (r < 0.35) return text.slice(0, at) + alphabet[Math.floor(rand() * alphabet.length)] + text.slice(at);
  if (r < 0.6) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
  const i = Math.floor(rand() * lines.length);
  if (r < 0.75) lines.splice(i, 0, lines[Math.floor(rand() * lines.length)]!);
  else if (r < 0.9) lines[i] = rand() < 0.5 ? ` ${lines[i]}` : lines[i]!.replace(/^ /, "");
  else lines.splice(i, 1);
  return lines.join("\n");
}

const CORPUS = [
  ...records(),
  readFileSync(new URL("../fixtures/kat-record.yaml", import.meta.url), "utf8"),
  readFileSync(new URL("../../data/demo-cases.yaml", import.meta.url), "utf8"),
  reportYaml(),
  reportYaml("it's \"quoted\" & more: yes", "safety:\n  immediate_risk: true\n"),
  ...HAND_WRITTEN,
];

describe("fast YAML path (js-yaml) against yaml", () => {
  it("reads block-style records of every type, as yaml does", () => {
    for (const text of [...records(), reportYaml(), CORPUS[RECORD_TYPES.length]!]) {
      const fast = fastYaml(text);
      expect(fast, text).not.toBeUndefined();
      expect(fast).toStrictEqual(parseWithYaml(text, "f.yaml"));
    }
  });

  it("gives yaml's value, or leaves the text to yaml, on hand-written shapes and generated styles", () => {
    const texts = [...CORPUS, ...generated(600, 13)];
    expect(disagreements(texts)).toEqual([]);
    // A good part of it is read by the fast path, though the generated strings are full of indicators.
    expect(texts.filter((t) => fastYaml(t) !== undefined).length).toBeGreaterThan(texts.length * 0.3);
  });

  it("agrees with yaml on thousands of small random edits of the corpus", () => {
    const rand = prng(Number(process.env.COC_FUZZ_SEED ?? 2026));
    const texts = [...CORPUS, ...generated(100, Number(process.env.COC_FUZZ_SEED ?? 7))];
    const edited: string[] = [];
    for (let i = 0; i < Number(process.env.COC_FUZZ_RUNS ?? 4000); i++) {
      let text = texts[i % texts.length]!;
      for (let n = 1 + Math.floor(rand() * Number(process.env.COC_FUZZ_EDITS ?? 3)); n > 0; n--) text = mutate(text, rand);
      edited.push(text);
    }
    expect(disagreements(edited)).toEqual([]);
  });

  it("leaves anchors, aliases, merge keys, tags, duplicate keys, directives, markers, special characters and deep nesting to yaml", () => {
    for (const text of HOSTILE) {
      expect(fastYaml(text), JSON.stringify(text)).toBeUndefined();
      const ref = reference(text);
      if ("error" in ref) {
        expect(() => parseYaml(text, "f.yaml")).toThrow(ref.error);
        expect(ref.error.split("\n")).toHaveLength(1);
      } else {
        expect(parseYaml(text, "f.yaml")).toStrictEqual(ref.value);
      }
    }
  });

  it("keeps the error messages that name the file and the line", () => {
    expect(() => parseYaml(HOSTILE[0]!, "stdin")).toThrow(/^stdin: invalid YAML: too many or unresolved aliases \(\*name\); write the values out instead$/);
    expect(() => parseYaml("a: *nothing\n", "f.yaml")).toThrow(/^f\.yaml: invalid YAML: too many or unresolved aliases/);
    expect(() => parseYaml("a: 1\nb:\n  c: 1\n  c: 2\n", "cases/x/r.age")).toThrow(/^cases\/x\/r\.age:4: invalid YAML: Map keys must be unique$/);
    expect(() => parseYaml("a: 1\n---\nb: 2\n", "f.yaml")).toThrow(/^f\.yaml: expected one YAML document, found 2$/);
    expect(() => parseYaml("a: 'open\n", "f.yaml")).toThrow(/^f\.yaml:\d+: invalid YAML: /);
    expect(parseYaml("base: &b {a: 1}\nd:\n  <<: *b\n", "f.yaml")).toEqual({ base: { a: 1 }, d: { "<<": { a: 1 } } });
  });

  it("makes keys own properties, never the prototype", () => {
    const value = parseYaml("__proto__: {polluted: true}\nconstructor: c\n", "f.yaml") as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
