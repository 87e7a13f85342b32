/** Attacks on image metadata removal: metadata hidden where a first reading stops, and malformed images. */
import { describe, expect, it } from "vitest";
import { stripJpeg, stripMetadata } from "../../src/core/evidence/metadata.js";
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
});
