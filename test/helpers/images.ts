/** Image fixtures built in the tests: a real JPEG (jpeg-js) with an EXIF block that holds GPS data, a comment and IPTC. */
import jpeg from "jpeg-js";

/** What the metadata of {@link jpegWithGps} holds, to look for afterwards. */
export const GPS_MARKER = "GPS-51.5007N-0.1246W-CAMERA-SN-4242";

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0xff;
  head[1] = marker;
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A TIFF/EXIF block: IFD0 with a GPS IFD pointer, the GPS IFD with GPSLatitudeRef "N" and a maker note text holding the marker. */
function exifPayload(): Buffer {
  const tiff = Buffer.alloc(64);
  tiff.write("MM", 0, "latin1");
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  // IFD0: one entry, GPSInfo (0x8825) -> offset 26
  tiff.writeUInt16BE(1, 8);
  tiff.writeUInt16BE(0x8825, 10);
  tiff.writeUInt16BE(4, 12);
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt32BE(26, 18);
  tiff.writeUInt32BE(0, 22);
  // GPS IFD: GPSLatitudeRef = "N"
  tiff.writeUInt16BE(1, 26);
  tiff.writeUInt16BE(0x0001, 28);
  tiff.writeUInt16BE(2, 30);
  tiff.writeUInt32BE(2, 32);
  tiff.write("N\0", 36, "latin1");
  tiff.writeUInt32BE(0, 40);
  return Buffer.concat([Buffer.from("Exif\0\0", "latin1"), tiff, Buffer.from(GPS_MARKER, "latin1")]);
}

/** A 64x48 JPEG with APP1 (EXIF with GPS), APP13 (IPTC) and a COM segment, all holding {@link GPS_MARKER}. */
export function jpegWithGps(): Buffer {
  const width = 64;
  const height = 48;
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([(i * 7) % 256, (i * 3) % 256, 128, 255], i * 4);
  const plain = jpeg.encode({ data, width, height }, 80).data;
  const extra = Buffer.concat([
    segment(0xe1, exifPayload()),
    segment(0xed, Buffer.from(`Photoshop 3.0\0 8BIM IPTC ${GPS_MARKER}`, "latin1")),
    segment(0xfe, Buffer.from(`comment ${GPS_MARKER}`, "latin1")),
  ]);
  // After SOI (and jpeg-js's APP0 JFIF, which is kept).
  const app0End = 2 + 2 + plain.readUInt16BE(4);
  return Buffer.concat([plain.subarray(0, app0End), extra, plain.subarray(app0End)]);
}

/** True when jpeg-js decodes the bytes to an image of the given size. */
export function decodesAsJpeg(bytes: Uint8Array, width = 64, height = 48): boolean {
  try {
    const img = jpeg.decode(Buffer.from(bytes), { useTArray: true });
    return img.width === width && img.height === height;
  } catch {
    return false;
  }
}
