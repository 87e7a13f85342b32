/**
 * What an attacker with push access (a member kept out of a case, a former
 * member) can write without coc: a record signed with their own key (so it
 * verifies), encrypted with the age CLI to whom they choose, and committed
 * with plain git, no hook.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { signRecord } from "../../src/core/records/signature.js";
import type { Person, World } from "./env.js";

/**
 * Writes `record` (with `case` and `id`), signed by `by`, as
 * `<dir>/cases/<case>/<id>.age` encrypted to `to`, and commits it in `dir`
 * with `message`. Its plaintext goes to a file in the world's temporary
 * directory (the age CLI reads it from there), never into `dir`.
 */
export function plantRecord(world: World, dir: string, record: Record<string, unknown> & { case: string; id: string }, by: Person, to: readonly Person[], message: string): void {
  const plain = join(world.root, `${record.id}.json`);
  writeFileSync(plain, JSON.stringify({ ...record, signature: signRecord(record, signingKeyFromIdentity(by.identity)) }));
  mkdirSync(join(dir, "cases", record.case), { recursive: true });
  execFileSync("age", [...to.flatMap((p) => ["-r", p.recipient]), "-o", join(dir, "cases", record.case, `${record.id}.age`), plain], { env: world.env });
  const git = (args: string[]) => world.git(dir, ["-c", "core.hooksPath=/dev/null", "-c", "user.name=d", "-c", "user.email=d@x", ...args]);
  git(["add", "-A"]);
  git(["commit", "--quiet", "-m", message]);
}
