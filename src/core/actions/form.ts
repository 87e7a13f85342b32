/**
 * The reporting form (`coc form`) and its submissions (`coc new-report
 * --from-age`): the page encrypts a report body in the reporter's browser to
 * the confirmed roster; a member decrypts it here and records it as a report.
 */
import { CorruptFileError, NotARecipientError } from "../crypto/age.js";
import { UserError } from "../errors.js";
import { parseYaml } from "../records/document.js";
import { MAX_RECORD_BYTES } from "../repo/read.js";
import type { Repo } from "../repo/repo.js";

/** What the page shows and encrypts to. */
export interface FormSettings {
  event: string;
  contact: string | undefined;
  policy_url: string | undefined;
  /** The members it encrypts to (names, for the page's promise). */
  members: string[];
  /** Their age recipients (public keys). */
  recipients: string[];
}

/**
 * The settings of a reporting form: the team's public settings and the keys
 * of the roster this user confirmed.
 * @throws UserError when the roster or settings changed since the user last
 * confirmed them (the page would encrypt to keys nobody checked).
 */
export async function formSettings(repo: Repo): Promise<FormSettings> {
  await repo.ensureTrusted("printed or written");
  const members = repo.roster();
  // Only a web address becomes the page's link (a javascript: or data: URL never does).
  const policy = repo.config.policy_url?.trim();
  const policy_url = policy && /^https?:\/\/[^\s"'<>]+$/i.test(policy) ? policy : undefined;
  return { event: repo.config.event.name, contact: repo.config.contact, policy_url, members, recipients: repo.keysFor(members) };
}

/** The largest submission file read (a report is a few KB). */
export const MAX_SUBMISSION_BYTES = MAX_RECORD_BYTES;

/**
 * Decrypts a form submission (binary or armored age) with the caller's
 * identity and parses it: a YAML/JSON document, to be validated as a report body.
 * @throws UserError naming `source`: too large, not an age file, altered
 * (fails authentication), not encrypted to the caller, or not a document.
 */
export async function openSubmission(repo: Repo, bytes: Uint8Array, source: string): Promise<unknown> {
  if (bytes.length > MAX_SUBMISSION_BYTES) throw new UserError(`${source}: more than ${MAX_SUBMISSION_BYTES} bytes, far larger than a report; not decrypted`);
  let plain: Uint8Array;
  try {
    plain = await (await repo.decrypter()).decrypt(bytes);
  } catch (e) {
    if (e instanceof NotARecipientError) throw new UserError(`${source} is not encrypted to you (it was made with a form for another roster, or you joined after the form was made); ask a member it was encrypted to to import it`);
    if (e instanceof CorruptFileError) throw new UserError(`${source} is not an intact age submission (${e.message}): it was damaged or altered; nothing was recorded`);
    throw e;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(plain);
  } catch {
    throw new UserError(`${source}: the decrypted submission is not text; nothing was recorded`);
  }
  const value = parseYaml(text, source);
  if (value === null || value === undefined) throw new UserError(`${source}: the submission is empty; nothing was recorded`);
  return value;
}
