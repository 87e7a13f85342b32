/**
 * config.yaml, team.yaml and oversight.yaml are validated once per process,
 * with zod's interpreted path (no compiled fast path): the verdicts and the
 * one-line errors are exactly those of the compiled path that records use.
 */
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { configSchema, parseConfig, teamSchema } from "../../src/core/repo/config.js";
import { parseYaml, validate } from "../../src/core/records/document.js";

const KEY = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

const CONFIGS = [
  "coc: 1\nevent:\n  name: Conf\n",
  "coc: 1\nevent:\n  name: Conf\n  starts_on: 2026-06-01\nladder: cc3\ndeadlines:\n  outcome_days: 3\nplatforms: [Discord]\n",
  "coc: 2\nevent:\n  name: Conf\n",
  "coc: 1\nevent:\n  name: '  '\n",
  "coc: 1\nevent:\n  name: Conf\nladder: harsh\n",
  "coc: 1\nevent:\n  name: Conf\n  starts_on: June\n",
  "coc: 1\nevent:\n  name: Conf\ndeadlines:\n  outcome_days: -1\n",
  "coc: 1\nevent:\n  name: Conf\ncolour: blue\nsize: 3\n",
  "coc: 1\nevent:\n  name: Conf\nmatrix:\n  low_impact_low_risk: {example: a}\n",
  "coc: 1\nevent:\n  name: Conf\nevidence:\n  max_file_mb: 500\nappeal_grounds: []\n",
  "coc: 1\n",
  "[]\n",
];

const TEAMS = [
  `coc: 1\nmembers:\n  - name: alice\n    recipient: ${KEY}\n    signing_key: ${SSH}\n`,
  `coc: 1\nmembers: []\n`,
  `coc: 1\nmembers:\n  - name: alice\n    recipient: age1nope\n`,
  `coc: 1\nmembers:\n  - name: alice\n    recipient: ${KEY}\n  - name: alice\n    recipient: ${KEY}\n`,
  `coc: 1\nmembers:\n  - name: "a b"\n    recipient: ${KEY}\n    roles: [boss]\n`,
  `coc: 1\nmembers:\n  - name: alice\n    recipient: ${KEY}\n    signing_key: nope\nformer:\n  - name: bob\n    removed_at: yesterday\n`,
  `coc: 1\nmembers:\n  - name: alice\n    recipient: ${KEY}\n    extra: 1\n`,
];

/** The outcome of one validation: the value, or the error's message and details. */
function outcome(schema: Parameters<typeof validate>[0], text: string, once: boolean): unknown {
  try {
    return { value: validate(schema, parseYaml(text, "f.yaml"), "f.yaml", "", once) };
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return { message: (e as UserError).message, details: (e as UserError).details };
  }
}

describe("validating config.yaml and team.yaml once, without zod's compiled fast path", () => {
  it("gives the same value or the same one-line error as the compiled path, for good and bad files", () => {
    for (const text of CONFIGS) expect(outcome(configSchema, text, true), text).toEqual(outcome(configSchema, text, false));
    for (const text of TEAMS) expect(outcome(teamSchema, text, true), text).toEqual(outcome(teamSchema, text, false));
  });

  it("still names the file and the field", () => {
    expect(() => parseConfig("coc: 1\nevent:\n  name: Conf\nladder: harsh\n", ".coc/config.yaml")).toThrow(/^\.coc\/config\.yaml: ladder: ladder must be one of care, cc2\.1, cc3$/);
    expect(() => parseConfig("coc: 1\nevent:\n  name: Conf\ncolour: blue\n", ".coc/config.yaml")).toThrow('.coc/config.yaml: unknown field "colour"');
  });
});
