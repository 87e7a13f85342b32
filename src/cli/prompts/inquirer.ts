/**
 * The real Prompter, over @inquirer/prompts (the only module importing it).
 * Questions are drawn on stderr so stdout stays clean for data. Ctrl+C
 * becomes a CancelledError (exit 130, no stack trace). This is where every
 * question meets the terminal, so every text shown (messages, choices,
 * defaults, what is said) has its control characters escaped here, whatever
 * case content or repository value the question flow put in it.
 */
import { checkbox, confirm, input, password, select } from "@inquirer/prompts";
import { CancelledError } from "../errors.js";
import { escapeTerminal, escapeTerminalLine as line } from "../output/escape.js";
import { editInRam, editorCommand, ramDir } from "./editor.js";
import type { Choice, InputQuestion, Prompter } from "./prompter.js";

function cancelled(e: unknown): never {
  const name = (e as Error)?.name;
  if (name === "ExitPromptError" || name === "AbortPromptError") throw new CancelledError();
  throw e;
}

export class InquirerPrompter implements Prompter {
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #context = { input: process.stdin, output: process.stderr };

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.#env = env;
  }

  input(q: InputQuestion): Promise<string> {
    const validate = (v: string): true | string => {
      if (q.required && v.trim() === "") return "Please enter a value.";
      return q.validate ? q.validate(v) : true;
    };
    // A default is shown, and returned when accepted: show it escaped, return it exact.
    const shown = q.default === undefined ? undefined : line(q.default);
    return input({ message: line(q.message), default: shown, validate: (v) => validate(v === shown ? q.default! : v) }, this.#context).then(
      (v) => (v === shown ? q.default! : v).trim(),
      cancelled,
    );
  }

  confirm(q: { id: string; message: string; default?: boolean }): Promise<boolean> {
    return confirm({ message: line(q.message), default: q.default }, this.#context).catch(cancelled);
  }

  select<T extends string>(q: { id: string; message: string; choices: readonly Choice<T>[]; default?: T | undefined }): Promise<T> {
    const choices = q.choices.map((c) => ({ value: c.value, name: line(c.name ?? c.value), description: c.description === undefined ? undefined : line(c.description) }));
    return select<T>({ message: line(q.message), choices, default: q.default }, this.#context).catch(cancelled);
  }

  checkbox<T extends string>(q: { id: string; message: string; choices: readonly Choice<T>[] }): Promise<T[]> {
    const choices = q.choices.map((c) => ({ value: c.value, name: line(c.name ?? c.value), checked: c.checked ?? false }));
    return checkbox<T>({ message: line(q.message), choices }, this.#context).catch(cancelled);
  }

  password(q: { id: string; message: string }): Promise<string> {
    return password({ message: line(q.message), mask: true }, this.#context).catch(cancelled);
  }

  async longText(q: InputQuestion): Promise<string> {
    const canEdit = Boolean(editorCommand(this.#env) && ramDir(this.#env));
    const hint = canEdit ? " (type it here, or leave empty to open $EDITOR on a RAM file)" : "";
    const typed = await this.input({ ...q, required: false, message: `${q.message}${hint}` });
    if (typed !== "" || !canEdit) {
      if (q.required && typed === "") return this.input({ ...q, required: true });
      return typed;
    }
    for (;;) {
      const text = editInRam(q.default ?? "", this.#env).trim();
      if (text !== "" || !q.required) return text;
      const again = await this.confirm({ id: `${q.id}.retry`, message: "The text is empty. Open the editor again?", default: true });
      if (!again) throw new CancelledError();
    }
  }

  say(text: string): void {
    process.stderr.write(`${escapeTerminal(text)}\n`);
  }
}
