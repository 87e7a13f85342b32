/**
 * Removing identifying metadata from images before they are encrypted as
 * evidence: a photo's EXIF block holds where (GPS) and with what (camera,
 * serial number) it was taken, XMP and IPTC hold authors and places, and
 * comments anything at all. This walks the file's own structure (JPEG
 * segments, PNG chunks) and copies every part the image needs, dropping the
 * rest; the pixels are never decoded or re-encoded.
 */

/** The result: the bytes to keep, and what was removed (empty when nothing was). */
export interface Stripped {
  bytes: Uint8Array;
  removed: string[];
}

const JPEG_APP_NAMES: Record<number, string> = { 0xe1: "EXIF/XMP", 0xed: "IPTC", 0xfe: "comment" };

/**
 * Removes APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), COM (comments) and every
 * other APPn segment except JFIF (APP0), an ICC colour profile (APP2) and
 * Adobe's colour transform (APP14), and anything after the end of the image.
 * @throws Error("not a well-formed JPEG ...") when the segments do not add up.
 */
export function stripJpeg(input: Uint8Array): Stripped {
  const out: Uint8Array[] = [input.subarray(0, 2)];
  const removed = new Set<string>();
  let pos = 2;
  for (;;) {
    if (pos + 2 > input.length || input[pos] !== 0xff) throw new Error("not a well-formed JPEG (a segment is cut short)");
    let marker = input[pos + 1]!;
    while (marker === 0xff && pos + 2 < input.length) marker = input[++pos + 1]!; // fill bytes
    if (marker === 0xd9) {
      // End of image: anything after it (appended files, a second image with its own EXIF) is dropped.
      out.push(input.subarray(pos, pos + 2));
      if (pos + 2 < input.length) removed.add("data after the image");
      break;
    }
    if (pos + 4 > input.length) throw new Error("not a well-formed JPEG (a segment is cut short)");
    const len = (input[pos + 2]! << 8) | input[pos + 3]!;
    const end = pos + 2 + len;
    if (len < 2 || end > input.length) throw new Error("not a well-formed JPEG (a segment runs past the end)");
    const segment = input.subarray(pos, end);
    if (marker === 0xda) {
      // Start of scan: the entropy-coded data follows. A 0xFF inside it is always followed by 0x00, a
      // restart marker (D0-D7) or fill bytes, so the next other marker ends the scan: the segments after
      // it (another scan, tables, or an APPn/COM hidden between scans) are read like the ones before.
      let next = end;
      while (next + 1 < input.length && !(input[next] === 0xff && input[next + 1] !== 0x00 && input[next + 1] !== 0xff && (input[next + 1]! < 0xd0 || input[next + 1]! > 0xd7))) next++;
      if (next + 1 >= input.length) throw new Error("not a well-formed JPEG (no end of image)");
      out.push(input.subarray(pos, next));
      pos = next;
      continue;
    }
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const label = (offset: number, text: string) => new TextDecoder("latin1").decode(segment.subarray(4 + offset, 4 + offset + text.length)) === text;
    const keep = !isApp && marker !== 0xfe ? true : marker === 0xe0 ? label(0, "JFIF") : marker === 0xe2 ? label(0, "ICC_PROFILE") : marker === 0xee ? label(0, "Adobe") : false;
    if (keep) out.push(segment);
    else removed.add(JPEG_APP_NAMES[marker] ?? `APP${marker - 0xe0}`);
    pos = end;
  }
  return { bytes: concat(out), removed: [...removed] };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_DROP: Record<string, string> = { tEXt: "text", iTXt: "text", zTXt: "text", eXIf: "EXIF", tIME: "time" };
/** The chunks that make the picture (critical ones, colour, pixel size, animation); any other is dropped. */
const PNG_KEEP = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB", "cICP", "mDCv", "cLLi", "bKGD", "hIST", "pHYs", "sPLT", "acTL", "fcTL", "fdAT"]);

/**
 * Keeps only the chunks that make the picture: removes the text (tEXt, iTXt,
 * zTXt: XMP lives there too), EXIF (eXIf) and time (tIME) chunks, every
 * other chunk (content credentials, private chunks), and anything after IEND.
 * @throws Error("not a well-formed PNG ...") when the chunks do not add up.
 */
export function stripPng(input: Uint8Array): Stripped {
  const out: Uint8Array[] = [input.subarray(0, 8)];
  const removed = new Set<string>();
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  let pos = 8;
  for (;;) {
    if (pos + 12 > input.length) throw new Error("not a well-formed PNG (a chunk is cut short)");
    const len = view.getUint32(pos);
    const type = new TextDecoder("latin1").decode(input.subarray(pos + 4, pos + 8));
    const end = pos + 12 + len;
    if (end > input.length) throw new Error("not a well-formed PNG (a chunk runs past the end)");
    if (PNG_KEEP.has(type)) out.push(input.subarray(pos, end));
    else removed.add(PNG_DROP[type] ?? type.replace(/[^A-Za-z]/g, "?"));
    pos = end;
    if (type === "IEND") {
      if (pos < input.length) removed.add("data after the image");
      break;
    }
  }
  return { bytes: concat(out), removed: [...removed] };
}

/** True when the bytes start as a JPEG. */
export const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
/** True when the bytes start as a PNG. */
export const isPng = (b: Uint8Array) => PNG_SIGNATURE.every((v, i) => b[i] === v);

/**
 * Removes metadata from a JPEG or PNG (see {@link stripJpeg}, {@link stripPng}).
 * @returns undefined for any other kind of file (nothing is removed from it).
 * @throws Error when a JPEG or PNG is malformed.
 */
export function stripMetadata(bytes: Uint8Array): Stripped | undefined {
  if (isJpeg(bytes)) return stripJpeg(bytes);
  if (isPng(bytes)) return stripPng(bytes);
  return undefined;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
