/** `coc team list | add`: the roster. */
import type { Command } from "commander";
import type { Registrar } from "../program.js";

export function register(program: Command, r: Registrar): void {
  const team = program.command("team").description("the team roster: who records are encrypted to");

  const list = team
    .command("list")
    .description("list the members, their roles and public keys")
    .addHelpText("after", "\nExample:\n  coc team list --json");
  list.action(
    r.action(list, async (s) => {
      const { table } = await import("../output/format.js");
      const ws = await s.workspace();
      if (s.json) {
        s.printJson(ws.team.members);
        return;
      }
      s.print(table(["NAME", "ROLES", "RECIPIENT"], ws.team.members.map((m) => [s.out.bold(m.name), m.roles.join(", "), m.recipient])));
    }),
  );

  const trust = team
    .command("trust")
    .description("confirm the current roster after someone else changed it (nothing is encrypted to an unconfirmed roster)")
    .addHelpText("after", "\nExamples:\n  coc team trust          # shows what changed and asks\n  coc team trust --yes    # confirm without asking (scripts)");
  trust.action(
    r.action(trust, async (s) => {
      const { describeDiff } = await import("../../core/repo/trust.js");
      const { CancelledError, UsageError } = await import("../errors.js");
      const ws = await s.workspace();
      const state = await ws.rosterTrust();
      if (state.kind === "same") {
        s.info("The roster is the one you last confirmed; nothing to do.");
        return;
      }
      if (state.kind === "changed") {
        s.info("The roster changed since you last confirmed it:");
        for (const line of describeDiff(state.diff)) s.info(`  ${line}`);
        if (!s.opts.yes) {
          if (!s.canPrompt) throw new UsageError("team trust: --yes required to confirm the roster when not running interactively");
          const ok = await s.ctx.prompter.confirm({ id: "trust_roster", message: "Did your team make this change? Trust this roster?", default: false });
          if (!ok) throw new CancelledError("roster not confirmed; nothing will be encrypted to it");
        }
      }
      await ws.trustRoster();
      s.info(`Confirmed the roster: ${ws.team.members.map((m) => m.name).join(", ")}.`);
    }),
  );

  const remove = team
    .command("remove")
    .description("take a member off the roster and re-encrypt every record they could read without them (one commit)")
    .argument("<name>", "the member to remove")
    .addHelpText("after", "\nExamples:\n  coc team remove bob\n  coc team remove bob --yes     # without asking (scripts)");
  remove.action(
    r.action(remove, async (s, name: string) => {
      const ws = await s.workspace();
      // Someone already off the roster only needs their leftover records re-encrypted: nothing to confirm.
      if (ws.member(name)) await s.confirmWarnings([`removing ${name} re-encrypts every record they could read; what they already pulled stays readable to them`], `Remove ${name}?`);
      const result = await ws.removeMember(name);
      if (s.json) s.printJson(result);
      const what = `re-encrypted ${result.files} record(s) in ${result.reencrypted.length} case(s) without them`;
      s.info(result.onRoster ? `Removed ${name} from the roster and ${what}, in one commit.` : `${name} was already off the roster; ${what}.`);
      s.info(
        `What coc cannot undo: ${name} keeps everything they already received. Git history and their own clones still hold the old ciphertexts, readable with their key. Run coc sync so the rest of the team stops encrypting to them.`,
      );
      if (result.unreadable.length > 0) {
        s.warn(`${result.unreadable.length} case(s) are not encrypted to you and may still be encrypted to ${name} (${result.unreadable.join(", ")}): ask a member who can read them to run coc team remove ${name}.`);
      }
    }),
  );

  const add = team
    .command("add")
    .description("add a member; new records are encrypted to them (existing cases are not re-shared)")
    .argument("<name>", "their name on the team")
    .argument("<recipient>", "their age public key (age1..., printed by coc keygen or age-keygen)")
    .option("--role <role...>", "responder, lead or safety-officer (repeatable)", ["responder"])
    .addHelpText("after", "\nExample:\n  coc team add bob age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p --role responder");
  add.action(
    r.action(add, async (s, name: string, recipient: string) => {
      const ws = await s.workspace();
      const me = await ws.me();
      const roles = add.opts<{ role: string[] }>().role.flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);
      const member = await ws.addMember({ name, recipient, roles }, me.name);
      if (s.json) s.printJson(member);
      s.info(`Added ${member.name} (${member.roles.join(", ")}). New records are encrypted to them; existing cases are not shared with them.`);
      const pending = await ws.casesToShare(member.name, s.ctx.now());
      if (pending.open.length > 0) {
        s.info(`${pending.open.length} open case(s) are not shared with ${member.name}. Ask them about each by its code only (never its content) whether they have a conflict; if not, share it:`);
        for (const code of pending.open) s.info(`  coc share ${code} ${member.name}`);
        s.info(`If they have a conflict, record it instead: coc recuse <case> ${member.name}.`);
      }
      if (pending.closed.length > 0) s.info(`${pending.closed.length} closed case(s) stay unshared unless asked per case (coc share <case> ${member.name} --closed).`);
      if (pending.notYours.length > 0) s.info(`${pending.notYours.length} case(s) are not encrypted to you; a member who can read them must share them.`);
    }),
  );
}
