/**
 * The store's checks on files under cases/, below the CLI: the stanza counter,
 * the caps, the safe reader, and the write path refusing to write through or
 * over a link (DESIGN.md §7 "Files under cases/").
 */
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { armor } from "age-encryption";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CorruptFileError, RecordDecrypter, countStanzas, encrypt, generateIdentity } from "../../src/core/crypto/age.js";
import { makeRecord } from "../../src/core/records/record.js";
import { newRecordId } from "../../src/core/repo/codes.js";
import { repoPaths, type RepoPaths } from "../../src/core/repo/layout.js";
import { MAX_RECORD_BYTES, readLimits, readRecordFile } from "../../src/core/repo/read.js";
import { rename } from "node:fs/promises";
import { listCaseCodes, readCases, type PendingWrite } from "../../src/core/repo/store.js";
import { stageRecords } from "../../src/core/repo/record-writes.js";
import { UserError } from "../../src/core/errors.js";

/** Writes records as the write path does: encrypted into temp files, then renamed into place. */
async function writeRecords(paths: RepoPaths, writes: readonly PendingWrite[]): Promise<string[]> {
  const staged = await stageRecords(paths, writes);
  for (const s of staged) await rename(s.temp, s.final);
  return staged.map((s) => s.rel);
}

const NOW = new Date("2026-06-01T14:05:00Z");
const me = generateIdentity();

let dir: string;
let paths: RepoPaths;
let elsewhere: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "coc-untrusted-"));
  paths = repoPaths(join(dir, "repo"));
  mkdirSync(paths.root);
  elsewhere = join(dir, "elsewhere");
  mkdirSync(elsewhere);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function note(code: string, text = "a note"): PendingWrite {
  const record = makeRecord({ type: "note", case: code, id: newRecordId("note", NOW), author: "alice", created_at: NOW, recipients: ["alice"], body: { kind: "other", text, participants: [], attendees: [] } });
  return { record, keys: [me.recipient] };
}

describe("countStanzas", () => {
  it("counts the recipient stanzas of binary and armored files, with no key", async () => {
    const keys = [generateIdentity(), generateIdentity(), generateIdentity()].map((k) => k.recipient);
    const file = await encrypt("hello", keys);
    expect(countStanzas(file)).toBe(3);
    expect(countStanzas(new TextEncoder().encode(armor.encode(file)))).toBe(3);
  });

  it("stops once the limit is passed", async () => {
    const header = `age-encryption.org/v1\n${"-> X25519 AAAA\nBBBB\n".repeat(1000)}--- CCCC\n`;
    expect(countStanzas(new TextEncoder().encode(header))).toBe(1000);
    expect(countStanzas(new TextEncoder().encode(header), 10)).toBe(11);
  });

  it("refuses what is not an age file or has no end to its header", () => {
    expect(() => countStanzas(new TextEncoder().encode("hello\n"))).toThrow(CorruptFileError);
    expect(() => countStanzas(new TextEncoder().encode("age-encryption.org/v1\n-> X25519 AAAA\nBBBB\n"))).toThrow(/invalid header/);
  });
});

describe("readLimits", () => {
  it("allows the roster plus 16 stanzas, at least 32 and at most 256, and 1 MiB per file", () => {
    expect(readLimits(3)).toEqual({ maxBytes: 1024 * 1024, maxStanzas: 32, roster: 3 });
    expect(readLimits(20).maxStanzas).toBe(36);
    expect(readLimits(100_000).maxStanzas).toBe(256);
  });
});

describe("readRecordFile", () => {
  it("reads a regular file, and refuses a symlink, a FIFO, a directory and an oversized file without reading them", () => {
    writeFileSync(join(dir, "ok.age"), "age");
    const ok = readRecordFile(join(dir, "ok.age"));
    expect("bytes" in ok && Buffer.from(ok.bytes).toString()).toBe("age");
    symlinkSync(join(dir, "ok.age"), join(dir, "link.age"));
    expect(readRecordFile(join(dir, "link.age"))).toEqual({ problem: "a symbolic link; coc reads only regular files" });
    execFileSync("mkfifo", [join(dir, "fifo.age")]);
    expect(readRecordFile(join(dir, "fifo.age"))).toEqual({ problem: "a FIFO; coc reads only regular files" });
    expect(readRecordFile(elsewhere)).toEqual({ problem: "a directory; coc reads only regular files" });
    writeFileSync(join(dir, "big.age"), Buffer.alloc(MAX_RECORD_BYTES + 1));
    expect(readRecordFile(join(dir, "big.age"))).toEqual({ problem: "1.1 MiB, over the 1 MiB limit for a record file (a record is a few KB); not decrypted" });
    writeFileSync(join(dir, "small.age"), Buffer.alloc(100));
    expect(readRecordFile(join(dir, "small.age"), 99)).toMatchObject({ problem: expect.stringMatching(/^100 bytes, over the 99 bytes limit/) });
  });
});

describe("the write path", () => {
  it("writes and reads back a record in a real case directory", async () => {
    const w = note("quiet-otter-42");
    const [rel] = await writeRecords(paths, [w]);
    const [files] = await readCases(paths, ["quiet-otter-42"], await RecordDecrypter.fromIdentities([me.identity]), readLimits(1));
    expect(files!.records.map((r) => r.file)).toEqual([rel]);
  });

  it("never writes into a symlinked case directory", async () => {
    mkdirSync(paths.cases);
    symlinkSync(elsewhere, join(paths.cases, "quiet-otter-42"));
    const err = await writeRecords(paths, [note("quiet-otter-42")]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe("cases/quiet-otter-42: a symbolic link; coc writes records only into real directories (nothing was written)");
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("never writes through a symlinked cases/ directory, and lists it as a problem", async () => {
    mkdirSync(join(elsewhere, "quiet-otter-42"));
    symlinkSync(elsewhere, paths.cases);
    expect(await listCaseCodes(paths)).toEqual({ codes: [], problems: [{ file: "cases", message: "a symbolic link; coc reads only real directories" }] });
    await expect(writeRecords(paths, [note("quiet-otter-42")])).rejects.toThrow(/^cases: a symbolic link; coc writes records only into real directories/);
    expect(readdirSync(join(elsewhere, "quiet-otter-42"))).toEqual([]);
    const [files] = await readCases(paths, ["quiet-otter-42"], await RecordDecrypter.fromIdentities([me.identity]), readLimits(1));
    expect(files!.problems).toEqual([{ file: "cases", message: "a symbolic link; coc reads only real directories" }]);
  });

  it("never replaces a symlink at a record's place", async () => {
    const w = note("quiet-otter-42");
    mkdirSync(join(paths.cases, "quiet-otter-42"), { recursive: true });
    const place = join(paths.cases, "quiet-otter-42", `${w.record.id}.age`);
    symlinkSync(join(elsewhere, "target.age"), place);
    await expect(writeRecords(paths, [w])).rejects.toThrow(/a symbolic link; coc writes only over regular files/);
    expect(lstatSync(place).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(paths.cases, "quiet-otter-42"))).toEqual([`${w.record.id}.age`]);
  });

  it("refuses to write a record larger than every clone will read", async () => {
    const big = note("quiet-otter-42", "x".repeat(MAX_RECORD_BYTES));
    await expect(writeRecords(paths, [big])).rejects.toThrow(/over the 1 MiB limit for a record file; shorten the text \(nothing was written\)$/);
    // Nothing was written (the empty case directory made for it is removed again).
    expect(existsSync(join(paths.cases, "quiet-otter-42")) ? readdirSync(join(paths.cases, "quiet-otter-42")) : []).toEqual([]);
  });
});
