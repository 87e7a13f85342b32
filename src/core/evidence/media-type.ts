/** The media type of an evidence file: from its first bytes when they say, else from its name's extension. */

const BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  pdf: "application/pdf",
  txt: "text/plain",
  log: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  json: "application/json",
  html: "text/html",
  htm: "text/html",
  eml: "message/rfc822",
  mp4: "video/mp4",
  mov: "video/quicktime",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  zip: "application/zip",
};

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The media type the first bytes say, with the extension a viewer knows it by. */
function sniffed(bytes: Uint8Array): { type: string; ext: string } | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { type: "image/jpeg", ext: "jpg" };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return { type: "image/png", ext: "png" };
  if (startsWith(bytes, ascii("GIF8"))) return { type: "image/gif", ext: "gif" };
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return { type: "image/webp", ext: "webp" };
  if (startsWith(bytes, ascii("%PDF-"))) return { type: "application/pdf", ext: "pdf" };
  return undefined;
}

const extensionOf = (name: string) => /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase();

/** The media type of `bytes` named `name` (application/octet-stream when unknown). */
export function mediaType(name: string, bytes: Uint8Array): string {
  const ext = extensionOf(name);
  return sniffed(bytes)?.type ?? (ext && BY_EXTENSION[ext]) ?? "application/octet-stream";
}

/**
 * The extension for a decrypted copy handed to a viewer: what the bytes say
 * when they say it (an image named .html must not open as a web page), else
 * the name's; undefined when neither says.
 */
export function viewerExtension(name: string, bytes: Uint8Array): string | undefined {
  return sniffed(bytes)?.ext ?? extensionOf(name);
}

/**
 * Extensions a desktop opens in a viewer that only shows the file (images,
 * PDF, text, audio, video, office documents, archives). Any other is not
 * given to xdg-open or open: a Java archive, a .desktop launcher, a Windows
 * program (Wine), a macOS .terminal or .command file would run; a web page
 * or an SVG, opened in a browser, could fetch remote content and tell its
 * author it was opened.
 */
const VIEWABLE = new Set(["jpg", "jpeg", "png", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff", "pdf", "txt", "log", "md", "csv", "json", "eml", "mp4", "mov", "m4v", "webm", "mkv", "avi", "mp3", "m4a", "ogg", "oga", "opus", "wav", "flac", "aac", "zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "rtf"]);

/** Whether a decrypted copy may reach the desktop's viewer with extension `ext` (see VIEWABLE). */
export function viewableExtension(ext: string): boolean {
  return VIEWABLE.has(ext.toLowerCase());
}
