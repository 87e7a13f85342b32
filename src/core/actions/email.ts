/**
 * A report that arrived by e-mail (`coc new-report --from-eml`): the message
 * as a mail client saves it (.eml), parsed with postal-mime into a draft
 * report body and its attachments.
 */
import { UserError } from "../errors.js";
import { formatUtc } from "../records/schema.js";
import type { EvidenceInput } from "./evidence.js";

/** The largest message read (a report with a few photos attached). */
export const MAX_EML_BYTES = 100 * 1024 * 1024;

/**
 * The most attachments a message may bring (a report comes with a few
 * screenshots): each becomes an evidence file every member syncs, so a message
 * of thousands of empty parts must not become thousands of files.
 */
const MAX_EML_ATTACHMENTS = 100;

/** What a message gives: a draft report body (to confirm, correct and validate) and its attachments. */
export interface EmailReport {
  /** The sender, the date, and the text, in the shape of a report body (channel: email). */
  draft: {
    received_at?: string;
    channel: "email";
    reporter: { name?: string; contact?: string; anonymous: false };
    incident: { summary: string; description: string };
  };
  /** When the message says it was sent. */
  date: Date | undefined;
  attachments: EvidenceInput[];
}

/**
 * Parses a message: From to the reporter's name and contact, Date to
 * `received_at`, the text part (or the HTML part as text, when there is no
 * text part) to the description, the Subject to the summary; attachments
 * (also inline images) become evidence files.
 * @throws UserError naming `source` for an oversized or unparsable message.
 */
export async function parseEmailReport(bytes: Uint8Array, source: string): Promise<EmailReport> {
  if (bytes.length > MAX_EML_BYTES) throw new UserError(`${source} is larger than ${MAX_EML_BYTES / 1024 / 1024} MiB; not read`);
  let email;
  try {
    email = await (await import("postal-mime")).default.parse(bytes, { attachmentEncoding: "arraybuffer" });
  } catch (e) {
    throw new UserError(`${source}: not a readable e-mail message (${(e as Error).message})`);
  }
  const from = email.from && "address" in email.from ? email.from : undefined;
  if (!from && !email.subject && !email.text && !email.html) throw new UserError(`${source}: not an e-mail message (no sender, subject or text); save the message as .eml from your mail client`);
  const parsedDate = email.date ? new Date(email.date) : undefined;
  const date = parsedDate && !Number.isNaN(parsedDate.getTime()) ? parsedDate : undefined;
  // The text part; without one, the HTML part as text (links kept as [url], images dropped).
  const text = (email.text?.trim() ? email.text : (await import("html-to-text")).convert(email.html ?? "", { wordwrap: false, selectors: [{ selector: "img", format: "skip" }] })).replace(/\r\n/g, "\n").trim();
  const description = text || "(the message has no text; see its attachments)";
  const reporter: EmailReport["draft"]["reporter"] = { anonymous: false };
  if (from?.name?.trim()) reporter.name = from.name.trim();
  if (from?.address?.trim()) reporter.contact = from.address.trim();
  if (email.attachments.length > MAX_EML_ATTACHMENTS) {
    throw new UserError(`${source} has ${email.attachments.length} attachments, more than the ${MAX_EML_ATTACHMENTS} a report brings; nothing was recorded (save the files you need and add them with coc attach)`);
  }
  const attachments = email.attachments.map((a, i) => ({
    // The name without any directory part; a name that is only a directory ("evil/") gets one made up.
    name: a.filename?.replace(/^.*[\\/]/, "").trim() || `attachment-${i + 1}${extensionFor(a.mimeType)}`,
    bytes: new Uint8Array(a.content as ArrayBuffer),
  }));
  return {
    draft: { ...(date ? { received_at: formatUtc(date) } : {}), channel: "email", reporter, incident: { summary: email.subject?.trim() || "(no subject)", description } },
    date,
    attachments,
  };
}

function extensionFor(mimeType: string): string {
  const sub = /^[a-z]+\/([a-z0-9]{1,8})$/i.exec(mimeType)?.[1]?.toLowerCase();
  return sub === "jpeg" ? ".jpg" : sub === "plain" ? ".txt" : sub ? `.${sub}` : "";
}
