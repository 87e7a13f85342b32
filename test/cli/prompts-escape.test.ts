/**
 * The real prompter is where questions meet the terminal: whatever case
 * content a question flow puts in a message, a choice, a default or a text it
 * says, the terminal gets it escaped; an accepted default comes back exact.
 * @inquirer/prompts is replaced by a recorder of what it was asked to draw.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

type Config = { message: string; default?: unknown; choices?: { name: string; description?: string }[]; validate?: (v: string) => unknown };
const drawn = vi.hoisted(() => ({ calls: [] as { kind: string; config: Config }[], answers: [] as ((c: Config) => unknown)[] }));
vi.mock("@inquirer/prompts", () => {
  const fake = (kind: string) => async (config: Config) => {
    drawn.calls.push({ kind, config });
    const answer = drawn.answers.shift();
    if (!answer) throw new Error(`unexpected ${kind} prompt: ${config.message}`);
    return answer(config);
  };
  return { input: fake("input"), confirm: fake("confirm"), select: fake("select"), checkbox: fake("checkbox"), password: fake("password") };
});

const { InquirerPrompter } = await import("../../src/cli/prompts/inquirer.js");
const { askConflicts } = await import("../../src/cli/prompts/review.js");

const HOSTILE = "\u001b]0;owned\u0007\u001b[2K\u009b1A\u202e";
const SHOWN = String.raw`\x1b]0;owned\x07\x1b[2K\x9b1A\u202e`;
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

afterEach(() => {
  drawn.calls.length = 0;
  drawn.answers.length = 0;
  vi.restoreAllMocks();
});

function stderrWrites(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}

describe("InquirerPrompter", () => {
  const p = new InquirerPrompter({});

  it("escapes messages and defaults, and returns an accepted default exactly", async () => {
    drawn.answers.push((c) => c.default);
    const value = await p.input({ id: "x", message: `Name of ${HOSTILE}?`, default: `Pat${HOSTILE}` });
    expect(value).toBe(`Pat${HOSTILE}`);
    const { config } = drawn.calls[0]!;
    expect(config.message).toBe(`Name of ${SHOWN}?`);
    expect(config.default).toBe(`Pat${SHOWN}`);
    expect(config.validate?.(String(config.default))).toBe(true);

    drawn.answers.push(() => "typed");
    expect(await p.input({ id: "y", message: "plain", default: "plain default" })).toBe("typed");
    expect(drawn.calls[1]!.config.default).toBe("plain default");
  });

  it("escapes choice names and descriptions, and confirm, checkbox and password messages; one-line slots escape newlines", async () => {
    drawn.answers.push(() => "0", () => true, () => ["0"], () => "secret");
    await p.select({ id: "s", message: `Which action?${HOSTILE}`, choices: [{ value: "0", name: `0: warn${HOSTILE}\nfake line`, description: HOSTILE }] });
    await p.confirm({ id: "c", message: `Does ${HOSTILE} have a conflict?` });
    await p.checkbox({ id: "b", message: "Who?", choices: [{ value: "0", name: HOSTILE }] });
    await p.password({ id: "p", message: `Passphrase for ${HOSTILE}` });
    const [select, confirm, checkbox, password] = drawn.calls.map((c) => c.config);
    expect(select!.message).toBe(`Which action?${SHOWN}`);
    expect(select!.choices![0]).toMatchObject({ name: String.raw`0: warn${SHOWN}\x0afake line`, description: SHOWN });
    expect(confirm!.message).toBe(`Does ${SHOWN} have a conflict?`);
    expect(checkbox!.choices![0]!.name).toBe(SHOWN);
    expect(password!.message).toBe(`Passphrase for ${SHOWN}`);
  });

  it("says text escaped, keeping its lines", () => {
    const written = stderrWrites();
    p.say(`one${HOSTILE}\ntwo`);
    expect(written.join("")).toBe(`one${SHOWN}\ntwo\n`);
  });

  it("a question flow built from case content (the review's conflict check naming the parties) reaches the terminal escaped", async () => {
    const written = stderrWrites();
    drawn.answers.push(() => false);
    await askConflicts(p, { me: "alice", present: ["alice"], parties: [`Pat${HOSTILE} (reported)`] });
    const text = written.join("") + drawn.calls.map((c) => c.config.message).join("\n");
    expect(text).toContain(`Pat${SHOWN} (reported)`);
    expect(text).not.toMatch(RAW);
  });
});
