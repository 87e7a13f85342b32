/**
 * Test-only: writes an Ed25519 private key in OpenSSH's own file format
 * (PROTOCOL.key: `openssh-key-v1`, cipher and KDF "none", unencrypted), so
 * the real ssh-keygen can sign with a key coc derived. Deliberately written
 * without coc's own SSH encoding code, so the interop tests check that code
 * against an independent one.
 */
import type { KeyObject } from "node:crypto";

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function str(value: Buffer | string): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value) : value;
  return Buffer.concat([u32(bytes.length), bytes]);
}

/** The `-----BEGIN OPENSSH PRIVATE KEY-----` file text of an Ed25519 private key. */
export function opensshPrivateKey(privateKey: KeyObject, comment = "coc-test"): string {
  const jwk = privateKey.export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || typeof jwk.d !== "string" || typeof jwk.x !== "string") throw new Error("not an Ed25519 private key");
  const seed = Buffer.from(jwk.d, "base64url");
  const pub = Buffer.from(jwk.x, "base64url");
  const publicBlob = Buffer.concat([str("ssh-ed25519"), str(pub)]);
  const check = u32(0x636f6321); // any value, the same twice: "coc!"
  let section = Buffer.concat([check, check, str("ssh-ed25519"), str(pub), str(Buffer.concat([seed, pub])), str(comment)]);
  const pad: number[] = [];
  for (let i = 1; (section.length + pad.length) % 8 !== 0; i++) pad.push(i);
  section = Buffer.concat([section, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), str("none"), str("none"), str(""), u32(1), str(publicBlob), str(section)]);
  const b64 = body.toString("base64").replace(/.{70}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
