/**
 * A large rewrite writes each record over its own file (src/core/repo/store.ts,
 * overwriteFile): only over the very file it checked when staging. A case
 * directory swapped for a symlink half-way (by a `git checkout` in another
 * terminal, say) must not let coc write through it into files elsewhere.
 */
import { cpSync, readFileSync, readdirSync, renameSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signingKeyFromIdentity } from "../../src/core/crypto/signing.js";
import { Git } from "../../src/core/git/client.js";
import { makeRecord } from "../../src/core/records/record.js";
import { BODY_SCHEMAS, type CocRecord } from "../../src/core/records/schema.js";
import { signRecord } from "../../src/core/records/signature.js";
import { newRecordId, randomCaseCode } from "../../src/core/repo/codes.js";
import { repoPaths } from "../../src/core/repo/layout.js";
import { NO_OWNER } from "../../src/core/repo/lock.js";
import type { PendingWrite } from "../../src/core/repo/store.js";
import { stageRecords } from "../../src/core/repo/record-writes.js";
import { WriteLog } from "../../src/core/repo/transaction.js";
import { FIXED_NOW, World, type Person } from "../helpers/env.js";

let world: World;
let alice: Person;
let repo: string;
let writes: PendingWrite[];
const codes = [randomCaseCode(), randomCaseCode()];

beforeEach(async () => {
  world = new World();
  alice = world.person("alice");
  repo = join(world.root, "repo");
  world.git(world.root, ["init", "--quiet", "--initial-branch=main", repo]);
  const signer = signingKeyFromIdentity(alice.identity);
  writes = codes.flatMap((code, c) =>
    Array.from({ length: 60 }, (_, i) => {
      const at = new Date(FIXED_NOW.getTime() + (c * 60 + i + 1) * 60_000);
      const record = makeRecord({ type: "note", case: code, id: newRecordId("note", at), author: "alice", created_at: at, recipients: ["alice"], body: BODY_SCHEMAS.note.parse({ text: `note ${i}` }) });
      return { record: { ...record, signature: signRecord(record, signer) } as CocRecord, keys: [alice.recipient] };
    }),
  );
  for (const s of await stageRecords(repoPaths(repo), writes, 0)) renameSync(s.temp, s.final);
  world.git(repo, ["add", "cases"]);
  world.git(repo, ["-c", "user.name=alice", "-c", "user.email=alice@example.org", "commit", "--quiet", "-m", "notes"]);
});
afterEach(() => world.cleanup());

describe("writing records over themselves", () => {
  it("refuses a file reached through a case directory swapped for a symlink after staging; the files there keep their bytes", async () => {
    const second = join(repo, "cases", codes[1]!);
    const elsewhere = join(world.root, "elsewhere");
    cpSync(second, elsewhere, { recursive: true });
    const bytes = () => readdirSync(elsewhere).map((f) => readFileSync(join(elsewhere, f)).toString("base64"));
    const before = bytes();
    const faults = {
      afterMove: (i: number) => {
        if (i !== 0) return;
        renameSync(second, `${second}.moved`);
        symlinkSync(elsewhere, second);
      },
    };
    const log = new WriteLog(new Git(repo, world.env), repoPaths(repo), NO_OWNER, faults);
    await expect(log.locked(() => log.commit({ writes, message: "coc: rewrite", as: { member: "alice" }, threads: 0 }))).rejects.toThrow(/changed while coc was writing/);
    expect(bytes()).toEqual(before);
  });
});
