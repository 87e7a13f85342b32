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
    }),
  );
}
