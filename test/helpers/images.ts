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

/** A multipart e-mail as a mail client saves it: a text part, an HTML part, and the JPEG of {@link jpegWithGps} attached. */
export function emlWithPhoto(opts: { text?: boolean; marker?: string } = {}): string {
  const marker = opts.marker ?? "eml-marker-5521";
  const photo = jpegWithGps().toString("base64").replace(/.{76}/g, "$&\r\n");
  const text = `Hello team,\r\n\r\nAt the evening social a man in a red jacket kept touching my shoulder after I asked him to stop. ${marker}\r\n\r\nThe photo shows where it happened.\r\n\r\nRobin`;
  const html = `<html><body><p>Hello team,</p><p>At the evening social a man in a <b>red jacket</b> kept touching my shoulder after I asked him to stop. ${marker}</p><p>The photo shows where it happened.</p><p>Robin</p></body></html>`;
  const alternative = [
    ...(opts.text === false ? [] : ["--alt-7", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", text]),
    "--alt-7",
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    html,
    "--alt-7--",
  ];
  return [
    "From: Robin Reporter <robin@example.net>",
    "To: care@example.org",
    "Subject: Unwanted touching at the evening social",
    "Date: Sun, 31 May 2026 21:14:09 +0200",
    "Message-ID: <abc123@example.net>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="mix-3"',
    "",
    "--mix-3",
    'Content-Type: multipart/alternative; boundary="alt-7"',
    "",
    ...alternative,
    "--mix-3",
    'Content-Type: image/jpeg; name="hallway.jpg"',
    'Content-Disposition: attachment; filename="hallway.jpg"',
    "Content-Transfer-Encoding: base64",
    "",
    photo,
    "--mix-3--",
    "",
  ].join("\r\n");
}
