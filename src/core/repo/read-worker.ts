/**
 * The reading worker (./read-pool.ts): a thread that decrypts batches of
 * record files with the native age path (../crypto/native.ts) and, for
 * records in coc's JSON style or plain block-style YAML (../records/fast-yaml.ts),
 * checks the author's signature against the confirmed roster it was started
 * with. It imports no schema library and not the full YAML parser, so it
 * starts in a few milliseconds. It touches the disk only for its last job, if
 * given: writing the user's read cache (already JSON, sealed here) in the
 * background. What it says is only a hint the main thread checks (see
 * ./read-pool.ts). It also encrypts batches of new files for a large write
 * (./encrypt-pool.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import { decryptNative, encryptNative } from "../crypto/native.js";
import { NativeX25519Identity, x25519Recipient } from "../crypto/x25519.js";
import { canonicalText } from "../records/canonical.js";
import { fastYaml } from "../records/fast-yaml.js";
import { RECORD_NAMESPACE } from "../records/signature.js";
import { signingKeyFor } from "../records/verification.js";
import { sshverify } from "../crypto/sshsig.js";
import {
  NOT_A_RECIPIENT,
  TYPAGE,
  checkedHash,
  pack,
  unpackParts,
  type EncryptRequest,
  type EncryptResponse,
  type PoolData,
  type PoolRequest,
  type PoolResponse,
  type SaveRequest,
  type SignatureCheck,
} from "./read-wire.js";
import { sealCache, writeCacheFile } from "./cache-file.js";

const data = workerData as PoolData & { identities: string[] };
const identities = data.identities.map((s) => new NativeX25519Identity(s));
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The record's value as the main thread would parse it, as far as a hint needs: JSON, or plain block-style YAML; undefined otherwise. */
function parse(text: string): unknown {
  if (text.startsWith("{")) return JSON.parse(text) as unknown;
  return fastYaml(text);
}

/** Checks the signature of a record the worker can parse; undefined when it cannot (the main thread decides). */
function checkSignature(plaintext: Uint8Array): SignatureCheck | undefined {
  try {
    const value = parse(utf8.decode(plaintext));
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const { author, created_at, signature } = value as Record<string, unknown>;
    if (typeof author !== "string" || typeof created_at !== "string" || typeof signature !== "string") return undefined;
    const key = signingKeyFor({ author, created_at }, data.members);
    if (!key) return undefined;
    const canonical = canonicalText(value);
    const ok = sshverify(signature, Buffer.from(canonical, "utf8"), key, RECORD_NAMESPACE);
    return { checked: checkedHash(canonical, key, signature), ok };
  } catch {
    return undefined;
  }
}

/** Encrypts a batch (./encrypt-pool.ts); any failure fails the whole batch, which the main thread then encrypts itself. */
function encryptBatch({ encrypt: job }: EncryptRequest): EncryptResponse {
  try {
    const files = unpackParts(job.data, job.ends).map((plaintext, i) => encryptNative(plaintext, job.recipients[i]!.map(x25519Recipient)));
    const { data, ends } = pack(files);
    return { encrypted: { id: job.id, data, ends } };
  } catch {
    return { encrypted: { id: job.id, data: new ArrayBuffer(0), ends: [] } };
  }
}

parentPort?.on("message", (request: PoolRequest | SaveRequest | EncryptRequest) => {
  if ("encrypt" in request) {
    const response = encryptBatch(request);
    parentPort?.postMessage(response, [response.encrypted.data]);
    return;
  }
  if ("save" in request) {
    // The last job: write the cache, then end this thread (the process waits for it).
    const { path, json, key, seal } = request.save;
    void writeCacheFile(path, sealCache(json, key, seal))
      .catch(() => undefined)
      .finally(() => parentPort?.close());
    return;
  }
  const plaintexts: Uint8Array[] = [];
  const response: PoolResponse = { id: request.id, data: new ArrayBuffer(0), ends: [], checked: [], ok: [] };
  let end = 0;
  let start = 0;
  for (const fileEnd of request.ends) {
    const file = new Uint8Array(request.data, start, fileEnd - start);
    start = fileEnd;
    let sig: SignatureCheck | undefined;
    try {
      const v = decryptNative(file, identities);
      if (v.kind === "plaintext") {
        plaintexts.push(v.plaintext);
        end += v.plaintext.length;
        sig = checkSignature(v.plaintext);
      }
      response.ends.push(v.kind === "plaintext" ? end : v.kind === "not-a-recipient" ? NOT_A_RECIPIENT : TYPAGE);
    } catch {
      response.ends.push(TYPAGE);
    }
    response.checked.push(sig?.checked ?? null);
    response.ok.push(sig?.ok === true);
  }
  response.data = pack(plaintexts).data;
  parentPort?.postMessage(response, [response.data]);
});
