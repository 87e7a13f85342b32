/**
 * The community age test vectors (C2SP CCTV, the `cctv-age` package) through
 * coc's native path and through typage: both must give each vector's
 * expected verdict (success with the payload's SHA-256, or failure), and so
 * agree with each other. The native path may answer "typage" (no verdict of
 * its own); when it does give one, it must be the expected one.
 */
import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { Decrypter, armor } from "age-encryption";
import * as testkit from "cctv-age";
import { RecordDecrypter, decryptWithPassphrase } from "../../src/core/crypto/age.js";
import { decryptNative } from "../../src/core/crypto/native.js";
import { NativeX25519Identity } from "../../src/core/crypto/x25519.js";

interface Vector {
  name: string;
  meta: Record<string, string>;
  body: Uint8Array;
}

function vectors(): Vector[] {
  const out: Vector[] = [];
  for (const [name, contents] of Object.entries(testkit as Record<string, Uint8Array>)) {
    const bytes = Buffer.from(contents);
    const sep = bytes.indexOf("\n\n");
    const meta: Record<string, string> = {};
    for (const line of bytes.toString("utf8", 0, sep).split("\n")) {
      const i = line.indexOf(": ");
      meta[line.slice(0, i)] = line.slice(i + 2);
    }
    let body: Uint8Array = bytes.subarray(sep + 2);
    if (meta["compressed"] === "zlib") body = inflateSync(body);
    else if (meta["compressed"]) throw new Error(`unknown compression in ${name}`);
    out.push({ name, meta, body: new Uint8Array(body) });
  }
  return out;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
type Verdict = string; // "fail" or the payload's SHA-256

async function viaTypage(v: Vector): Promise<Verdict> {
  try {
    const d = new Decrypter();
    if (v.meta["passphrase"]) d.addPassphrase(v.meta["passphrase"]);
    if (v.meta["identity"]) d.addIdentity(v.meta["identity"]);
    const body = v.meta["armored"] ? armor.decode(new TextDecoder().decode(v.body)) : v.body;
    return sha256(await d.decrypt(body));
  } catch {
    return "fail";
  }
}

async function viaCoc(v: Vector): Promise<Verdict> {
  try {
    if (v.meta["passphrase"]) return sha256(await decryptWithPassphrase(v.body, v.meta["passphrase"]));
    const d = await RecordDecrypter.fromIdentities([v.meta["identity"]!]);
    return sha256(await d.decrypt(v.body));
  } catch {
    return "fail";
  }
}

/** The native path alone: a verdict, or undefined when it leaves the file to typage. */
function viaNative(v: Vector): Verdict | undefined {
  const identity = v.meta["identity"];
  if (!identity?.startsWith("AGE-SECRET-KEY-1") || v.meta["armored"]) return undefined;
  const r = decryptNative(v.body, [new NativeX25519Identity(identity)]);
  if (r.kind === "plaintext") return sha256(r.plaintext);
  if (r.kind === "not-a-recipient") return "fail";
  return undefined;
}

const all = vectors();

describe("CCTV age vectors: coc's native path and typage agree", () => {
  it("has the vectors", () => {
    expect(all.length).toBeGreaterThan(100);
  });

  it.each(all.map((v) => [v.name, v] as const))("%s", async (_name, v) => {
    const expected = v.meta["expect"] === "success" ? v.meta["payload"] : "fail";
    const typage = await viaTypage(v);
    const coc = await viaCoc(v);
    const native = viaNative(v);
    expect(typage).toBe(expected);
    expect(coc).toBe(typage);
    if (native !== undefined) expect(native).toBe(expected);
  });

  it("decides every binary X25519-only success vector natively (none falls back to typage)", () => {
    const x25519Only = all.filter((v) => v.meta["expect"] === "success" && v.meta["identity"]?.startsWith("AGE-SECRET-KEY-1") && !v.meta["armored"]);
    const stanzaTypes = (v: Vector) => [...Buffer.from(v.body).toString("latin1").matchAll(/^-> (\S+)/gm)].map((m) => m[1]);
    const plain = x25519Only.filter((v) => stanzaTypes(v).every((t) => t === "X25519"));
    expect(plain.length).toBeGreaterThan(5);
    for (const v of plain) expect({ name: v.name, verdict: viaNative(v) }).toEqual({ name: v.name, verdict: v.meta["payload"] });
  });
});
