import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
const D = "/work/main/dist/core/";
const { decryptNative } = await import(D + "crypto/native.js");
const { NativeX25519Identity } = await import(D + "crypto/x25519.js");
const { readRecordFile } = await import(D + "repo/read.js");
const { canonicalText } = await import(D + "records/canonical.js");
const { sshverify } = await import(D + "crypto/sshsig.js");
const { checkedHash } = await import(D + "repo/read-wire.js");
const repo = "/tmp/me/s/repo/cases";
const files = [];
for (const c of readdirSync(repo)) for (const f of readdirSync(join(repo, c))) files.push(join(repo, c, f));
const idl = readFileSync("/tmp/me/s/keys/erin.txt", "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET"));
const ids = [new NativeX25519Identity(idl)];
const yaml = await import("yaml");
const team = yaml.parse(readFileSync("/tmp/me/s/repo/.coc/team.yaml", "utf8"));
const keyOf = Object.fromEntries(team.members.map((m) => [m.name, m.signing_key]));
const bytes = files.map((f) => readRecordFile(f).bytes);
const td = new TextDecoder("utf-8", { fatal: true });
for (let pass = 0; pass < 2; pass++) {
  let tDec = 0, tParse = 0, tCanon = 0, tVer = 0, tHash = 0;
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (const b of bytes) {
    let t = performance.now();
    const v = decryptNative(b, ids); tDec += performance.now() - t; t = performance.now();
    const o = JSON.parse(td.decode(v.plaintext)); tParse += performance.now() - t; t = performance.now();
    const key = keyOf[o.author]; if (!key) continue;
    const c = canonicalText(o); tCanon += performance.now() - t; t = performance.now();
    sshverify(o.signature, Buffer.from(c, "utf8"), key, "coc-record"); tVer += performance.now() - t; t = performance.now();
    checkedHash(c, key, o.signature); tHash += performance.now() - t;
  }
  const cu = process.cpuUsage(c0);
  console.log(`pass ${pass}: wall ${(performance.now() - t0).toFixed(0)} cpu ${((cu.user + cu.system) / 1000).toFixed(0)} | dec ${tDec.toFixed(0)} parse ${tParse.toFixed(0)} canon ${tCanon.toFixed(0)} verify ${tVer.toFixed(0)} hash ${tHash.toFixed(0)}`);
}
