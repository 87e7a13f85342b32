import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
const D = "/work/main/dist/core/";
const { RecordDecrypter } = await import(D + "crypto/age.js");
const { readRecordFile } = await import(D + "repo/read.js");
const { ReadPool } = await import(D + "repo/read-pool.js");
const { verifyRecord } = await import(D + "records/signature.js");
const { parseRecord } = await import(D + "records/record.js");
const repo = "/tmp/me/s/repo/cases";
const files = [];
for (const c of readdirSync(repo)) for (const f of readdirSync(join(repo, c))) files.push(join(repo, c, f));
const id = readFileSync("/tmp/me/s/keys/erin.txt", "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET"));
const dec = await RecordDecrypter.fromIdentities([id]);
const yaml = await import("yaml");
const team = yaml.parse(readFileSync("/tmp/me/s/repo/.coc/team.yaml", "utf8"));
const members = team.members.map((m) => ({ name: m.name, roles: m.roles ?? [], signing_key: m.signing_key }));
const bytes = files.map((f) => readRecordFile(f).bytes);
const mode = process.argv[2];
const c0 = process.cpuUsage(); const t0 = performance.now();
if (mode === "single") {
  const td = new TextDecoder();
  for (const b of bytes) { const p = await dec.decrypt(b); const r = parseRecord(td.decode(p), "x"); verifyRecord(r, r.signature, members.find((m) => m.name === r.author).signing_key); }
} else {
  const n = Number(mode);
  const url = new URL("file:///work/main/dist/bundle/read-worker.cjs");
  const pools = Array.from({ length: n }, () => ReadPool.start(dec, { members }, url));
  let next = 0; let ok = 0;
  const lane = async (p) => { while (next < bytes.length) { const b = bytes.slice(next, next += 32); const v = await p.decrypt(b); for (const x of v) if (x.sig?.ok) ok++; } };
  await Promise.all(pools.flatMap((p) => [lane(p), lane(p)]));
  await Promise.all(pools.map((p) => p.close()));
  if (ok !== bytes.length) console.log("ok", ok);
}
const c = process.cpuUsage(c0);
console.log(mode, "wall", (performance.now() - t0).toFixed(0), "ms cpu", ((c.user + c.system) / 1000).toFixed(0), "ms");
