/**
 * Case code names (`quiet-otter-42`) and record ids. Codes are random, never
 * derived from content, and validated before they become paths.
 */
import { randomInt } from "node:crypto";
import { CASE_CODE, type RecordType } from "../records/schema.js";
import { UserError } from "../errors.js";

// Neutral words only: a code is said aloud in meetings and must not sound like a judgement.
const ADJECTIVES = [
  "amber", "bold", "brave", "bright", "calm", "clear", "cool", "crisp", "eager", "early", "fair", "fancy",
  "fine", "fresh", "gentle", "glad", "golden", "grand", "green", "happy", "humble", "jolly", "keen", "kind",
  "light", "little", "lively", "lucky", "merry", "mild", "misty", "modest", "noble", "patient", "plain", "polite",
  "proud", "quick", "quiet", "rapid", "rosy", "round", "shiny", "silver", "simple", "sleek", "smooth", "snowy",
  "solid", "steady", "sunny", "swift", "tidy", "tiny", "vivid", "warm", "wise", "witty", "young", "zesty",
];
const ANIMALS = [
  "badger", "beaver", "bison", "crane", "cricket", "deer", "dolphin", "eagle", "falcon", "finch", "fox", "gecko",
  "gull", "hare", "hawk", "heron", "ibis", "jay", "koala", "lark", "lemur", "lion", "llama", "lynx",
  "marten", "mole", "moose", "newt", "okapi", "orca", "osprey", "otter", "owl", "panda", "pelican", "penguin",
  "puffin", "quail", "rabbit", "raven", "robin", "salmon", "seal", "sparrow", "squid", "stork", "swan", "tapir",
  "tern", "tiger", "toucan", "trout", "turtle", "walrus", "whale", "wombat", "wren", "yak", "zebra", "ibex",
];

/** A random case code such as `quiet-otter-42` (about 350,000 possibilities). */
export function randomCaseCode(): string {
  const adjective = ADJECTIVES[randomInt(ADJECTIVES.length)]!;
  const animal = ANIMALS[randomInt(ANIMALS.length)]!;
  return `${adjective}-${animal}-${randomInt(10, 100)}`;
}

/** True when `code` is shaped like a case code (and so is safe as a directory name). */
export function isCaseCode(code: string): boolean {
  return CASE_CODE.test(code);
}

/** @throws UserError when `code` is not shaped like a case code. */
export function assertCaseCode(code: string): string {
  if (!isCaseCode(code)) throw new UserError(`"${code}" is not a case code (expected something like quiet-otter-42)`);
  return code;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A record id: `<utc-timestamp>-<type>-<rand>`, e.g. 20260601T140500Z-report-k3f9. */
export function newRecordId(type: RecordType, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  let rand = "";
  for (let i = 0; i < 6; i++) rand += ALPHABET[randomInt(ALPHABET.length)];
  return `${stamp}-${type}-${rand}`;
}
