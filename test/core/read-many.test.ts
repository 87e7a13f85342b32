/**
 * Reading many record files (src/core/repo/read-many.ts, store.ts) while
 * another coc command changes the clone: a file (or a case directory)
 * removed between the listing of its directory and its reading (a killed
 * change being undone, say) is a problem, "removed while it was being read",
 * unless the caller knows another coc command is changing the clone (and has
 * said so): then it is left out, as if listed a moment later. `coc verify`
 * never leaves anything out. A file that is there but unreadable is always a
 * problem.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RecordDecrypter, encrypt, generateIdentity } from "../../src/core/crypto/age.js";
import { readMany } from "../../src/core/repo/read-many.js";
import { repoPaths } from "../../src/core/repo/layout.js";
import { readCases } from "../../src/core/repo/store.js";
import { readLimits, type ReadJob } from "../../src/core/repo/read.js";

const scratch = mkdtempSync(join(tmpdir(), "coc-read-many-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const me = generateIdentity();
const code = "calm-otter-12";
const record = (id: string) => ({ coc: 1, type: "note", case: code, id, author: "alice", created_at: "2026-06-01T14:05:00Z", readers: ["alice"], recipients: ["alice"], body: { kind: "meeting", text: "x" } });

async function job(id: string, write = true): Promise<ReadJob> {
  const file = `cases/${code}/${id}.age`;
  const abs = join(scratch, file);
  mkdirSync(join(scratch, "cases", code), { recursive: true });
  if (write) writeFileSync(abs, await encrypt(`${JSON.stringify(record(id), null, 2)}\n`, [me.recipient]));
  return { file, abs, code, id };
}

describe("readMany", () => {
  it("marks a file gone since it was listed, and reads the others in order", async () => {
    const jobs = [await job("20260601T140500Z-note-aaaa"), await job("20260601T140501Z-note-bbbb", false), await job("20260601T140502Z-note-cccc")];
    const out = await readMany(jobs, await RecordDecrypter.fromIdentities([me.identity]), readLimits(1));
    expect(out.map((o) => [o.file, o.kind])).toEqual([
      [jobs[0]!.file, "record"],
      [jobs[1]!.file, "problem"],
      [jobs[2]!.file, "record"],
    ]);
    expect(out[1]).toEqual({ file: jobs[1]!.file, code, kind: "problem", message: "removed while it was being read", gone: true });
  });

  it.skipIf(process.getuid?.() === 0)("still names a file that is there but cannot be read", async () => {
    const j = await job("20260601T140503Z-note-dddd");
    chmodSync(j.abs, 0o000);
    try {
      const out = await readMany([j], await RecordDecrypter.fromIdentities([me.identity]), readLimits(1));
      expect(out).toEqual([{ file: j.file, code, kind: "problem", message: "cannot read: EACCES" }]);
    } finally {
      chmodSync(j.abs, 0o644);
    }
  });

  it("still names a case directory's entry that is a directory, not a record file", async () => {
    const j = await job("20260601T140504Z-note-eeee", false);
    mkdirSync(j.abs);
    const out = await readMany([j], await RecordDecrypter.fromIdentities([me.identity]), readLimits(1));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ file: j.file, kind: "problem" });
  });
});

describe("readCases", () => {
  // A case listed in cases/ whose directory is gone when its files are listed (a new case being undone).
  const read = async (changing?: () => Promise<boolean>) => {
    await job("20260601T140505Z-note-ffff");
    return readCases(repoPaths(scratch), [code, "quiet-heron-7"], await RecordDecrypter.fromIdentities([me.identity]), readLimits(1), undefined, changing ? { changing } : {});
  };

  it("reports a case directory removed while being read, when no other coc command is changing the clone (or nobody says)", async () => {
    for (const cases of [await read(), await read(async () => false)]) {
      expect(cases.map((c) => c.code)).toEqual([code, "quiet-heron-7"]);
      expect(cases[1]!.problems).toEqual([{ file: "cases/quiet-heron-7", message: "removed while it was being read" }]);
      expect(cases[0]!.records.length).toBeGreaterThan(0);
    }
  });

  it("leaves it out while another coc command is changing the clone", async () => {
    const cases = await read(async () => true);
    expect(cases.map((c) => c.code)).toEqual([code]);
    expect(cases[0]!.problems.map((p) => p.message)).not.toContain("removed while it was being read");
  });
});
