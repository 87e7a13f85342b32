/** Removing image metadata: JPEG segments and PNG chunks, on bytes built here. */
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { stripJpeg, stripMetadata, stripPng } from "../../src/core/evidence/metadata.js";
import { mediaType } from "../../src/core/evidence/media-type.js";
import { GPS_MARKER, decodesAsJpeg, jpegWithGps } from "../helpers/images.js";

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 2x2 grey PNG with text, international text, compressed text, EXIF and time chunks, and bytes after IEND. */
function pngWithMetadata(): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 128, 128, 0, 128, 128]));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("tEXt", Buffer.from(`Author\0${GPS_MARKER}`, "latin1")),
    chunk("iTXt", Buffer.from(`XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>${GPS_MARKER}</x:xmpmeta>`, "latin1")),
    chunk("zTXt", Buffer.concat([Buffer.from("Comment\0\0", "latin1"), deflateSync(Buffer.from(GPS_MARKER))])),
    chunk("eXIf", Buffer.from(`MM\0*${GPS_MARKER}`, "latin1")),
    chunk("tIME", Buffer.from([7, 234, 6, 1, 12, 0, 0])),
    chunk("IDAT", idat),
    chunk("IEND", Buffer.alloc(0)),
    Buffer.from(`trailing ${GPS_MARKER}`),
  ]);
}

describe("image metadata removal", () => {
  it("a JPEG keeps its image and JFIF header and loses EXIF (with GPS), IPTC and comments", () => {
    const input = jpegWithGps();
    const { bytes, removed } = stripJpeg(input);
    expect(removed).toEqual(["EXIF/XMP", "IPTC", "comment"]);
    expect(decodesAsJpeg(bytes)).toBe(true);
    const out = Buffer.from(bytes);
    expect(out.includes(Buffer.from(GPS_MARKER))).toBe(false);
    expect(out.includes(Buffer.from("Exif"))).toBe(false);
    expect(out.includes(Buffer.from("JFIF"))).toBe(true);
    // Nothing to remove the second time.
    expect(stripJpeg(bytes).removed).toEqual([]);
  });

  it("a JPEG with bytes appended after its end loses them", () => {
    const input = Buffer.concat([jpegWithGps(), Buffer.from(`PK appended ${GPS_MARKER}`)]);
    const { bytes, removed } = stripJpeg(input);
    expect(removed).toContain("data after the image");
    expect(Buffer.from(bytes).includes(Buffer.from(GPS_MARKER))).toBe(false);
    expect(Buffer.from(bytes).subarray(-2).toString("hex")).toBe("ffd9");
  });

  it("a PNG loses its text, XMP, EXIF and time chunks and what follows IEND, and keeps the image chunks", () => {
    const { bytes, removed } = stripPng(pngWithMetadata());
    expect(removed.sort()).toEqual(["EXIF", "data after the image", "text", "time"]);
    const out = Buffer.from(bytes);
    expect(out.includes(Buffer.from(GPS_MARKER))).toBe(false);
    for (const keep of ["IHDR", "IDAT", "IEND"]) expect(out.includes(Buffer.from(keep))).toBe(true);
  });

  it("refuses a cut-off image rather than guessing, and leaves other files alone", () => {
    const jpeg = jpegWithGps();
    expect(() => stripJpeg(jpeg.subarray(0, 40))).toThrow(/not a well-formed JPEG/);
    expect(() => stripPng(pngWithMetadata().subarray(0, 30))).toThrow(/not a well-formed PNG/);
    expect(stripMetadata(Buffer.from("%PDF-1.7\n"))).toBeUndefined();
  });

  it("names the media type from the bytes first, then the extension", () => {
    expect(mediaType("photo.txt", jpegWithGps())).toBe("image/jpeg");
    expect(mediaType("chat.log", Buffer.from("hello"))).toBe("text/plain");
    expect(mediaType("x", Buffer.from("?"))).toBe("application/octet-stream");
  });
});
