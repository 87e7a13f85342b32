/**
 * The narrow interface behind which every question is asked. The real one
 * wraps @inquirer/prompts (the only importer of it); tests use a scripted fake
 * that fails on any unexpected question. Every question has an `id` (the
 * field it fills), so scripts and fakes do not depend on wording.
 */
export interface Choice<T extends string> {
  value: T;
  name?: string;
  description?: string;
  checked?: boolean;
}

export interface InputQuestion {
  id: string;
  message: string;
  default?: string | undefined;
  /** Refuse an empty answer. */
  required?: boolean;
  /** Returns an error message for a bad answer, or true. */
  validate?: (value: string) => true | string;
}

export interface Prompter {
  input(q: InputQuestion): Promise<string>;
  confirm(q: { id: string; message: string; default?: boolean }): Promise<boolean>;
  select<T extends string>(q: { id: string; message: string; choices: readonly Choice<T>[]; default?: T | undefined }): Promise<T>;
  checkbox<T extends string>(q: { id: string; message: string; choices: readonly Choice<T>[] }): Promise<T[]>;
  password(q: { id: string; message: string }): Promise<string>;
  /**
   * Long text: typed inline, or written in $EDITOR on a private RAM file when
   * the answer is left empty and an editor is available.
   */
  longText(q: InputQuestion): Promise<string>;
  /** Shows text to the person being asked (the care checklist, warnings). */
  say(text: string): void;
}
