/**
 * Two clones pushing to one remote at the same moment: the remote takes one
 * push and refuses the other's update of the branch. `coc sync` must take that
 * refusal for "the remote moved meanwhile" (fetch, merge and push again), as
 * it does a non-fast-forward, not fail with git's error.
 */
import { describe, expect, it } from "vitest";
import { pushHead, type SyncTarget } from "../../src/core/git/sync.js";

/** A target whose push fails with `stderr`, as git prints it. */
const failing = (stderr: string): SyncTarget =>
  ({
    git: {
      raw: async () => {
        throw new Error(stderr);
      },
    },
    remote: "origin",
    branch: "main",
    upstream: true,
  }) as unknown as SyncTarget;

describe("a push the remote refuses because another one landed at the same moment", () => {
  it("is a rejection to fetch and retry, when the remote could not update the branch (git's message over several lines)", async () => {
    const stderr = [
      "remote: error: cannot lock ref 'refs/heads/main': is at c71b521d12f374dec08a79404a6924a8d8d62e0b but expected ace96e9474316eb7b3757bc6ecf7e4846cfde70d",
      "To /tmp/pr/o.git",
      " ! [remote rejected] HEAD -> main (failed to update ref)",
      "error: failed to push some refs to '/tmp/pr/o.git'",
    ].join("\n");
    expect(await pushHead(failing(stderr))).toBe("rejected");
  });

  it("a non-fast-forward is one too; any other failure is an error", async () => {
    expect(await pushHead(failing(" ! [rejected]        HEAD -> main (fetch first)\nerror: failed to push some refs to 'x'"))).toBe("rejected");
    await expect(pushHead(failing("fatal: 'origin' does not appear to be a git repository"))).rejects.toThrow(/git failed while pushing to origin/);
  });
});
