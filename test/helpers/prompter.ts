/**
 * A scripted Prompter: answers are looked up by question id. `seq(a, b, ...)`
 * gives a repeated question its answers in order (for loops). Any question
 * without an answer fails the test, so an unexpected prompt never goes unnoticed:
 * the prompter throws (coc sees an error) and also records the mismatch, and
 * setup.ts fails the test after it ran, whatever the test checked.
 */
import type { Choice, InputQuestion, Prompter } from "../../src/cli/prompts/prompter.js";

const mismatches: string[] = [];

/** The script mismatches (unexpected questions, unusable answers) since the last call, and forgets them. */
export function takeScriptMismatches(): string[] {
  return mismatches.splice(0);
}

function mismatch(message: string): Error {
  mismatches.push(message);
  return new Error(message);
}

export type Answer = string | boolean | string[] | Error;
export interface Sequence {
  seq: Answer[];
}

/** Answers for a question asked several times, in order. */
export function seq(...answers: Answer[]): Sequence {
  return { seq: answers };
}

export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  readonly said: string[] = [];
  readonly #answers = new Map<string, Answer | Sequence>();
  readonly #used = new Set<string>();

  constructor(answers: Record<string, Answer | Sequence>) {
    for (const [k, v] of Object.entries(answers)) this.#answers.set(k, v);
  }

  #next(id: string, message: string): Answer {
    this.asked.push(id);
    const entry = this.#answers.get(id);
    if (entry === undefined) throw mismatch(`unexpected prompt "${id}": ${message}`);
    this.#used.add(id);
    let answer: Answer;
    if (typeof entry === "object" && !Array.isArray(entry) && !(entry instanceof Error)) {
      const next = entry.seq.shift();
      if (next === undefined) throw mismatch(`prompt "${id}" asked more often than scripted: ${message}`);
      answer = next;
    } else {
      answer = entry;
    }
    if (answer instanceof Error) throw answer;
    return answer;
  }

  /** Ids that were scripted but never asked. */
  unused(): string[] {
    return [...this.#answers.keys()].filter((k) => !this.#used.has(k));
  }

  async input(q: InputQuestion): Promise<string> {
    const a = this.#next(q.id, q.message);
    const value = typeof a === "string" ? a : String(a);
    const resolved = value === "" && q.default !== undefined ? q.default : value;
    const check = q.validate?.(resolved);
    if (typeof check === "string") throw mismatch(`answer for "${q.id}" rejected: ${check}`);
    if (q.required && resolved.trim() === "") throw mismatch(`answer for "${q.id}" is required`);
    return resolved;
  }
  async confirm(q: { id: string; message: string }): Promise<boolean> {
    const a = this.#next(q.id, q.message);
    if (typeof a !== "boolean") throw mismatch(`answer for "${q.id}" must be a boolean`);
    return a;
  }
  async select<T extends string>(q: { id: string; message: string; choices: readonly Choice<T>[] }): Promise<T> {
    const a = this.#next(q.id, q.message);
    if (typeof a !== "string" || !q.choices.some((c) => c.value === a)) throw mismatch(`answer for "${q.id}" is not a choice: ${String(a)}`);
    return a as T;
  }
  async checkbox<T extends string>(q: { id: string; message: string; choices: readonly Choice<T>[] }): Promise<T[]> {
    const a = this.#next(q.id, q.message);
    const list = Array.isArray(a) ? a : [];
    for (const v of list) if (!q.choices.some((c) => c.value === v)) throw mismatch(`answer for "${q.id}" is not a choice: ${v}`);
    return list as T[];
  }
  async password(q: { id: string; message: string }): Promise<string> {
    return String(this.#next(q.id, q.message));
  }
  async longText(q: InputQuestion): Promise<string> {
    return this.input(q);
  }
  say(text: string): void {
    this.said.push(text);
  }
}
