/**
 * The per-user read cache (`.git/coc/cache/<id>.age`): what reading the
 * records under `cases/` found, so that a later command decrypts one file
 * plus what changed instead of every record.
 *
 * What it holds, per record file: the SHA-256 of the file's bytes, and what
 * those bytes decrypted to for this user (the parsed, validated record, or
 * "not encrypted to you"), with the verdict of the record's signature. An
 * entry is used only for a file whose bytes hash the same, at the same path:
 * a file re-encrypted (recusal, removal, share), replaced or deleted (purge)
 * no longer matches, so the cache never serves a record the user can no
 * longer read from the files as they are. Entries of files no longer present
 * are dropped whenever the whole repository is read.
 *
 * Signature verdicts are bound to the roster they were checked against (a
 * fingerprint of the confirmed members, their roles, signing keys and
 * removal times): when it changes, every signature is checked again.
 *
 * Entries are bound to the identities they were decrypted with (a hash of
 * every recipient of the identity file, not only the first, which names the
 * cache): when a key is added to or dropped from the identity file, the
 * cache is rebuilt, so it never serves a record only a key no longer there
 * could decrypt.
 *
 * Protection: the file is age-encrypted to the user's own recipient only,
 * and its content carries an HMAC-SHA-256 under a key derived from the
 * user's identity (HKDF), so a cache written by anyone else (even encrypted
 * to this user), or changed in any byte, is ignored. A missing, unreadable,
 * foreign or corrupt cache is silently rebuilt, never an error; deleting it
 * is always safe. It is written atomically (a temp file in the same
 * directory, then rename). `coc verify` never uses it.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { RecordDecrypter } from "../crypto/age.js";
import { keySettledBefore } from "../file-status.js";
import { cacheSeal, openCacheFile, sealCache, sweepTemps, writeCacheFile, type CacheSeal } from "./cache-file.js";
import type { TrustedMember } from "../records/verification.js";
import type { CocRecord } from "../records/schema.js";

const VERSION = 1;
const MAC_LABEL = "coc/read-cache/mac/v1";
const NAME_LABEL = "coc/read-cache/name/v1";

/** A cache file to seal and write: what {@link CacheWriter} is handed. */
export interface CacheWrite {
  path: string;
  json: string;
  key: Uint8Array;
  seal: CacheSeal;
}

/** Something that seals and writes a cache file elsewhere (a worker thread): false when it cannot. */
export interface CacheWriter {
  write(job: CacheWrite): boolean;
}

/** What a file's bytes decrypted to for this user. */
export type CachedOutcome = { kind: "not-for-you" } | { kind: "record"; record: CocRecord };

interface Entry {
  /** SHA-256 of the file's bytes, hex. */
  h: string;
  /** The record, or null for a file not encrypted to this user. */
  r: CocRecord | null;
  /** The signature verdict against the roster of `trust`, when known. */
  s?: boolean;
  /**
   * The file's status when it was read (../file-status.ts statusKey), when it was
   * old enough to trust (see ../file-status.ts): a later read whose `lstat`
   * gives the same need not read the file at all.
   */
  st?: string;
  /** The recipient stanzas its header has (the stanza cap still applies). */
  n?: number;
}

interface Content {
  v: number;
  recipient: string;
  /** {@link identitiesFingerprint} of the identities that decrypted the entries. */
  ids: string;
  trust: string;
  files: Record<string, Entry>;
}

/** The SHA-256 of a record file's bytes, as the cache keys it. */
export function fileHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A fingerprint of the members whose keys check signatures: what a cached verdict is bound to. */
export function trustFingerprint(members: readonly TrustedMember[]): string {
  const canonical = members.map((m) => [m.name, [...m.roles].sort(), m.signing_key ?? null, m.removed_at ?? null]);
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

/** A fingerprint of every recipient the user's identities decrypt for: what the cached outcomes depend on. */
function identitiesFingerprint(recipients: readonly string[]): string {
  return createHash("sha256").update(JSON.stringify([...recipients].sort())).digest("hex");
}

export class ReadCache {
  readonly #path: string | undefined;
  readonly #key: Buffer | undefined;
  readonly #recipient: string;
  readonly #ids: string;
  readonly #trust: string;
  readonly #old: Map<string, Entry>;
  /**
   * When the cache file was written, by the file system's clock (its mtime).
   * An entry's status is trusted only if its file had settled before then
   * (as git checks its entries against the index file's time, ../file-status.ts),
   * and kept at a save only if the file had settled before this read began
   * (`#opened`, this machine's clock): the two clocks may differ (a network
   * share, a virtual machine's shared folder).
   */
  readonly #written: number;
  /** When this read began (this machine's clock): no file is read before it. */
  readonly #opened = Date.now();
  /** Whether the old verdicts were checked against the same roster. */
  readonly #trustMatches: boolean;
  readonly #now = new Map<string, Entry>();
  #changed = false;
  /** Whether a cache file of this user was there (and valid) when opened. */
  readonly #existed: boolean;

  private constructor(path: string | undefined, key: Buffer | undefined, recipient: string, ids: string, trust: string, old: (Content & { written: number }) | undefined) {
    this.#path = path;
    this.#key = key;
    this.#recipient = recipient;
    this.#ids = ids;
    this.#trust = trust;
    this.#old = new Map(Object.entries(old?.files ?? {}));
    this.#written = old?.written ?? 0;
    this.#trustMatches = old?.trust === trust;
    this.#existed = old !== undefined;
    if (!old) this.#changed = true;
  }

  /** A cache that holds nothing and saves nothing (for `coc verify`, or an identity without an X25519 key). */
  static none(): ReadCache {
    return new ReadCache(undefined, undefined, "", "", "", undefined);
  }

  /**
   * Opens the user's cache of this clone (`gitDir`/coc/cache), its signature
   * verdicts valid only for `members`. Never throws: a missing, foreign,
   * tampered or unreadable cache opens empty.
   */
  static async open(gitDir: string, decrypter: RecordDecrypter, members: readonly TrustedMember[] | undefined): Promise<ReadCache> {
    const local = decrypter.localKey(MAC_LABEL);
    const naming = decrypter.localKey(NAME_LABEL);
    if (!local || !naming) return ReadCache.none();
    // The file name says nothing about whose it is to anyone without the identity.
    const name = `${naming.key.subarray(0, 16).toString("hex")}.age`;
    const path = join(gitDir, "coc", "cache", name);
    const ids = identitiesFingerprint(decrypter.recipients);
    const old = await load(path, decrypter, local.key, local.recipient, ids);
    // Without members (forgetting entries), the verdicts keep the roster they were checked against.
    const trust = members ? trustFingerprint(members) : (old?.trust ?? "");
    return new ReadCache(path, local.key, local.recipient, ids, trust, old);
  }

  /** How many files the cache knew when opened. */
  get size(): number {
    return this.#old.size;
  }

  /** What the file at `file` with these bytes decrypted to before, if known. */
  lookup(file: string, hash: string, read?: { stat: string; stanzas: number }): CachedOutcome | undefined {
    const e = this.#old.get(file);
    if (!e || e.h !== hash) return undefined;
    const kept: Entry = this.#trustMatches ? { ...e } : { h: e.h, r: e.r };
    // A status the cache file was written too soon after (by the file system's clock) is kept again, in a newer file.
    if (read && Number.isInteger(read.stanzas) && (kept.st !== read.stat || kept.n !== read.stanzas || !keySettledBefore(read.stat, this.#written))) {
      kept.st = read.stat;
      kept.n = read.stanzas;
      this.#changed = true;
    }
    this.#now.set(file, kept);
    return e.r ? { kind: "record", record: e.r } : { kind: "not-for-you" };
  }

  /**
   * What the file at `file` decrypted to before, known from its status alone
   * (its `lstat` now is what it was when read), with its stanza count.
   */
  lookupStat(file: string, stat: string): { outcome: CachedOutcome; stanzas: number } | undefined {
    const e = this.#old.get(file);
    if (!e || typeof e.st !== "string" || e.st !== stat || !Number.isInteger(e.n) || !keySettledBefore(e.st, this.#written)) return undefined;
    this.#now.set(file, this.#trustMatches ? e : { h: e.h, r: e.r, st: e.st, n: e.n });
    return { outcome: e.r ? { kind: "record", record: e.r } : { kind: "not-for-you" }, stanzas: e.n! };
  }

  /** Whether any entry can be found by status (else there is no point in asking). */
  get knowsStatus(): boolean {
    // Any entry: the first may be a file changed just before the last read (its status not kept).
    for (const e of this.#old.values()) if (e.st !== undefined) return true;
    return false;
  }

  /** Remembers what a file decrypted to (only records and not-for-you files: problems are read again each time). */
  remember(file: string, hash: string, outcome: CachedOutcome, read?: { stat: string; stanzas: number }): void {
    this.#now.set(file, { h: hash, r: outcome.kind === "record" ? outcome.record : null, ...(read && Number.isInteger(read.stanzas) ? { st: read.stat, n: read.stanzas } : {}) });
    this.#changed = true;
  }

  /** The cached signature verdict of the record at `file`, if known for the current roster. */
  signed(file: string): boolean | undefined {
    return this.#now.get(file)?.s;
  }

  /** Remembers a signature verdict for the record at `file` (against the current roster). */
  setSigned(file: string, ok: boolean): void {
    const e = this.#now.get(file);
    if (e && e.s !== ok) {
      e.s = ok;
      this.#changed = true;
    }
  }

  /** Drops the entries of `paths` (files, or directories and all below) and writes the cache if any was there. Never throws. */
  async forget(paths: readonly string[]): Promise<void> {
    let dropped = false;
    for (const f of [...this.#old.keys()]) {
      if (paths.some((p) => f === p || f.startsWith(`${p.replace(/\/+$/, "")}/`))) dropped = this.#old.delete(f) || dropped;
    }
    // A temp file an interrupted write left may hold them too, even when the cache file does not.
    if (!dropped) return this.#path ? sweepTemps(join(this.#path, "..")) : undefined;
    this.#changed = true;
    await this.save(false);
  }

  /**
   * Writes the cache when anything changed. After a read of the whole
   * repository (`complete`), it holds exactly the files just read; after a
   * partial read, the other entries are kept. With `background`, the sealing
   * and writing may be handed to a worker thread, which the process waits
   * for before it exits (./read-pool.ts). Never throws.
   */
  async save(complete: boolean, background?: CacheWriter): Promise<void> {
    if (!this.#path || !this.#key) return;
    // Nothing learnt and nothing dropped: the file on disk is still right.
    if (!this.#changed && (!complete || this.#now.size === this.#old.size)) return;
    const files: Record<string, Entry> = {};
    if (!complete) for (const [f, e] of this.#old) if (!this.#now.has(f)) files[f] = this.#trustMatches ? e : { h: e.h, r: e.r, st: e.st, n: e.n };
    for (const [f, e] of this.#now) {
      // A status too recent to trust is left out: the next read checks the bytes, and keeps the status then.
      // Recent as of when the read began, not now: a change during a long read, in the tick the status
      // shows, would not show.
      if (e.st !== undefined && !keySettledBefore(e.st, this.#opened)) {
        const { st: _recent, ...rest } = e;
        files[f] = rest;
      } else files[f] = e;
    }
    // Nothing read and no cache before (an empty repository): no file to write.
    if (Object.keys(files).length === 0 && !this.#existed) return;
    const content: Content = { v: VERSION, recipient: this.#recipient, ids: this.#ids, trust: this.#trust, files };
    const json = JSON.stringify(content);
    const seal = cacheSeal(this.#recipient);
    if (background?.write({ path: this.#path, json, key: this.#key, seal })) return;
    await writeCacheFile(this.#path, sealCache(json, this.#key, seal)).catch(() => undefined);
  }
}

/**
 * Drops the entries of `paths` (files or directories deleted by a change)
 * from the user's cache of this clone, at once rather than at the next read:
 * after a purge, nothing of a purged record stays. Never throws.
 */
export async function forgetFiles(gitDir: string, decrypter: RecordDecrypter, paths: readonly string[]): Promise<void> {
  const cache = await ReadCache.open(gitDir, decrypter, undefined).catch(() => undefined);
  await cache?.forget(paths);
}

async function load(path: string, decrypter: RecordDecrypter, key: Buffer, recipient: string, ids: string): Promise<(Content & { written: number }) | undefined> {
  const file = await openCacheFile(path, (bytes) => decrypter.decrypt(bytes), key);
  if (!file) return undefined;
  try {
    const content = JSON.parse(file.json) as Content;
    if (content.v !== VERSION || content.recipient !== recipient || content.ids !== ids || typeof content.files !== "object" || content.files === null) return undefined;
    return { ...content, written: file.written };
  } catch {
    return undefined;
  }
}
