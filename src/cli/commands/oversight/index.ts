/** `coc oversight list | add | remove`: people outside the team a case can be escalated to. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { OversightAddOptions } from "./add.js";

export function define(program: Command, r: Runner): void {
  const oversight = program.command("oversight").description("people outside the team (board liaison, contingent moderators, mediator) for cases the team cannot handle alone");

  const list = oversight
    .command("list")
    .description("list the oversight people, their roles and keys")
    .addHelpText("after", "\nExample:\n  coc oversight list --json");
  list.action(r.action(list, () => ({}), () => import("./list.js")));

  const add = oversight
    .command("add")
    .description("add an oversight person (a lead only); nothing is encrypted to them until a case is escalated to them")
    .argument("<name>", "their name (must differ from every team member's)")
    .argument("<member-key...>", "their member key: the line coc keygen or coc whoami printed (age1... ssh-ed25519 AAAA...), quoted or not")
    .option("--role <role>", "board-liaison, contingent-moderator, mediator or other", "other")
    .addHelpText(
      "after",
      '\nExamples:\n  coc oversight add board-liaison-kim "age1... ssh-ed25519 AAAA..." --role board-liaison\n  coc oversight add mod-rin "age1... ssh-ed25519 AAAA..." --role contingent-moderator\n\nA person added later reads nothing written before: only what a case escalated\nto them (coc escalate) gives them, from then on.',
    );
  add.action(r.action(add, ([name, key]): OversightAddOptions => ({ name: name as string, memberKey: key as string[], role: add.opts<{ role: string }>().role }), () => import("./add.js")));

  const remove = oversight
    .command("remove")
    .description("take someone off the oversight list (a lead only) and re-encrypt every record escalated to them without them (one commit)")
    .argument("<name>", "the oversight person")
    .addHelpText("after", "\nExamples:\n  coc oversight remove mod-rin\n  coc oversight remove mod-rin --yes     # without asking (scripts)");
  remove.action(r.action(remove, ([name]) => ({ name: name as string }), () => import("./remove.js")));
}
