/**
 * Identity files: the age-keygen format (comments starting with `#`, one
 * `AGE-SECRET-KEY-…` per line), optionally wrapped in passphrase encryption
 * (`age -p`). Loaded once per process into a {@link RecordDecrypter}.
 */
import { constants } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import { flushPath } from "../flush.js";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { CorruptFileError, RecordDecrypter, decryptWithPassphrase, generateIdentity, isAgeFile, isArmoredAgeFile } from "./age.js";
import { signingKeyFromIdentity } from "./signing.js";

/** Where the identity is read from, in order: flag, COC_IDENTITY, the default path. */
export function resolveIdentityPath(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const chosen = flag ?? env["COC_IDENTITY"];
  if (chosen) return resolve(cwd, chosen);
  return defaultIdentityPath(env);
}

/** `$XDG_CONFIG_HOME/coc/identity.txt`, with XDG_CONFIG_HOME defaulting to `~/.config`. */
export function defaultIdentityPath(env: Readonly<Record<string, string | undefined>>): string {
  return join(configHome(env), "coc", "identity.txt");
}

/** The user's configuration directory (XDG). @throws UserError when neither XDG_CONFIG_HOME nor HOME is set. */
export function configHome(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env["XDG_CONFIG_HOME"];
  if (xdg) return xdg;
  const home = env["HOME"] ?? env["USERPROFILE"];
  if (!home) throw new UserError("neither XDG_CONFIG_HOME nor HOME is set", [], "identity");
  return join(home, ".config");
}

/** Extracts the secret keys of an age-keygen style identity file. */
export function parseIdentityText(text: string, source: string): string[] {
  const keys: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (!line.startsWith("AGE-SECRET-KEY-")) {
      throw new UserError(`${source}:${i + 1}: not an age identity (expected a line starting with AGE-SECRET-KEY-)`);
    }
    keys.push(line);
  }
  if (keys.length === 0) throw new UserError(`${source}: no identity found (expected a line starting with AGE-SECRET-KEY-)`);
  return keys;
}

/** An identity file is a few lines (a passphrase-protected one a little more): anything larger is not one. */
const MAX_IDENTITY_BYTES = 1024 * 1024;

/**
 * The bytes of the identity file: a regular file (a symbolic link to one is
 * followed) of at most {@link MAX_IDENTITY_BYTES}, read through one open file
 * so what is checked is what is read. A directory, a FIFO (opened without
 * waiting for a writer) or a device (`/dev/zero`) is refused, never read.
 * @throws UserError when it is missing, not a regular file, too large, or has loose permissions.
 */
async function readIdentityFile(path: string, checkPermissions: boolean): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new UserError(`no identity at ${path}`, [], "identity");
    throw new UserError(`cannot read identity ${path} (${code ?? (e as Error).message})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UserError(`identity ${path} is not a regular file (${info.isDirectory() ? "a directory" : "a device, FIFO or socket"}); give the identity file itself`);
    if (checkPermissions && (info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(3, "0");
      throw new UserError(`identity file ${path} is readable by others (mode ${mode}); fix it with: chmod 600 ${path}`);
    }
    const buffer = new Uint8Array(MAX_IDENTITY_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_IDENTITY_BYTES) throw new UserError(`identity ${path} is larger than ${MAX_IDENTITY_BYTES / 1024} KiB; it is not an age identity file`);
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

export interface LoadIdentityOptions {
  path: string;
  /** Asks for the passphrase of a protected identity; absent when nobody can be asked. */
  askPassphrase?: ((path: string) => Promise<string>) | undefined;
  /** Refuse files readable by group or others (POSIX only). */
  checkPermissions: boolean;
}

/**
 * Reads, unlocks and imports the identity file once.
 * @throws UserError when the file is missing, has loose permissions, is not an
 * identity, or is passphrase-protected and no passphrase can be asked.
 */
export async function loadIdentity(opts: LoadIdentityOptions): Promise<RecordDecrypter> {
  const { path } = opts;
  let bytes: Uint8Array = await readIdentityFile(path, opts.checkPermissions);
  if (isAgeFile(bytes) || isArmoredAgeFile(bytes)) {
    if (!opts.askPassphrase) {
      throw new UserError(`identity ${path} is passphrase-protected; run coc in a terminal to unlock it (there is no passphrase flag, by design)`);
    }
    const passphrase = await opts.askPassphrase(path);
    try {
      bytes = await decryptWithPassphrase(bytes, passphrase);
    } catch (e) {
      if (e instanceof CorruptFileError) throw new UserError(`cannot unlock identity ${path}: ${e.message}`);
      throw e;
    }
  }
  const keys = parseIdentityText(new TextDecoder().decode(bytes), path);
  try {
    // The member's signing key is derived from their first identity (./signing.ts).
    return await RecordDecrypter.fromIdentities(keys, () => signingKeyFromIdentity(keys[0]!));
  } catch {
    throw new UserError(`${path}: not a valid age identity`);
  }
}

/** The text of an identity file in the age-keygen format. */
export function identityFileText(identity: string, recipient: string, createdAt: Date): string {
  const created = createdAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `# created: ${created}\n# public key: ${recipient}\n${identity}\n`;
}

/**
 * Creates a new identity file (mode 0600, parent directories 0700).
 * @returns the public recipient and the public signing key derived from it.
 * @throws UserError when the file already exists.
 */
export async function writeNewIdentity(path: string, now: Date): Promise<{ recipient: string; signingKey: string }> {
  const { identity, recipient } = generateIdentity();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let handle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      throw new UserError(`${path} already exists; coc never overwrites an identity`, [], "identity-exists");
    }
    throw new UserError(`cannot create ${path}: ${(e as Error).message}`);
  }
  // Written and flushed before its member key is printed (the key is what the team encrypts to from
  // then on); a write the disk cuts short leaves no file behind, or the next keygen would refuse to
  // replace an empty or half identity that opens nothing.
  try {
    await handle.writeFile(identityFileText(identity, recipient, now));
    // A file system that cannot flush at all (EINVAL) leaves it to its own timing; a failed flush (EIO, ENOSPC) is a failed write.
    await handle.sync().catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "EINVAL" && e.code !== "ENOTSUP") throw e;
    });
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot write ${path} (${code === "ENOSPC" ? "the disk is full" : (code ?? (e as Error).message)}); no identity was made`);
  }
  await handle.close();
  await flushPath(dirname(path));
  return { recipient, signingKey: signingKeyFromIdentity(identity).publicKey };
}
