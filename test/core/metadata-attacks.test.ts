/** Attacks on image metadata removal: metadata hidden where a first reading stops, and malformed images. */
import { describe, expect, it } from "vitest";
import { deflateSync } from "node:zlib";
import { stripJpeg, stripMetadata, stripPng } from "../../src/core/evidence/metadata.js";
import { GPS_MARKER, decodesAsJpeg, jpegWithGps } from "../helpers/images.js";

const has = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, "latin1"));

function segment(marker: number, payload: string): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, Buffer.from(payload, "latin1")]);
}

describe("metadata removal under attack", () => {
  it("drops an EXIF block and a comment placed after the scan, before the end of the image", () => {
    const plain = stripJpeg(jpegWithGps()).bytes;
    const eoi = plain.length - 2;
    const input = Buffer.concat([plain.subarray(0, eoi), segment(0xe1, `Exif\0\0${GPS_MARKER}`), segment(0xfe, `late ${GPS_MARKER}`), plain.subarray(eoi)]);
    const { bytes, removed } = stripJpeg(input);
    expect(has(bytes, GPS_MARKER)).toBe(false);
    expect(removed).toEqual(expect.arrayContaining(["EXIF/XMP", "comment"]));
    expect(decodesAsJpeg(bytes)).toBe(true);
  });

  it("drops a second APP1 (XMP after EXIF)", () => {
    const input = jpegWithGps();
    const withXmp = Buffer.concat([input.subarray(0, 2), segment(0xe1, `http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${GPS_MARKER}</x:xmpmeta>`), input.subarray(2)]);
    const { bytes } = stripJpeg(withXmp);
    expect(has(bytes, GPS_MARKER)).toBe(false);
    expect(decodesAsJpeg(bytes)).toBe(true);
  });

  it("refuses, never crashes on, truncated and overlong segments at every cut", () => {
    const input = jpegWithGps();
    for (let cut = 3; cut < input.length; cut += 7) {
      let out: Uint8Array | undefined;
      try {
        out = stripJpeg(input.subarray(0, cut)).bytes;
      } catch (e) {
        expect((e as Error).message).toMatch(/^not a well-formed JPEG/);
      }
      if (out) expect(has(out, GPS_MARKER)).toBe(false);
    }
    const overlong = Buffer.from(input);
    overlong.writeUInt16BE(0xffff, 4);
    expect(() => stripMetadata(overlong)).toThrow(/not a well-formed JPEG/);
  });

  it("drops PNG chunks it does not know to be part of the picture: content credentials (caBX) and private chunks", () => {
    const crc = (bytes: Buffer) => {
      let c = ~0;
      for (const b of bytes) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      }
      return ~c >>> 0;
    };
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
      const head = Buffer.alloc(4);
      head.writeUInt32BE(data.length);
      const tail = Buffer.alloc(4);
      tail.writeUInt32BE(crc(body));
      return Buffer.concat([head, body, tail]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])),
      chunk("pHYs", Buffer.from([0, 0, 11, 19, 0, 0, 11, 19, 1])),
      chunk("caBX", Buffer.from(`jumb c2pa ${GPS_MARKER}`, "latin1")),
      chunk("prVt", Buffer.from(`private ${GPS_MARKER}`, "latin1")),
      chunk("IDAT", deflateSync(Buffer.from([0, 128]))),
      chunk("IEND", Buffer.alloc(0)),
    ]);
    const { bytes, removed } = stripPng(png);
    expect(has(bytes, GPS_MARKER)).toBe(false);
    expect(removed).toEqual(expect.arrayContaining(["caBX", "prVt"]));
    for (const keep of ["IHDR", "pHYs", "IDAT", "IEND"]) expect(has(bytes, keep)).toBe(true);
  });
});
