/** `coc team list | add | remove | trust`: the roster. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { TeamAddOptions } from "./add.js";

export function define(program: Command, r: Runner): void {
  const team = program.command("team").description("the team roster: who records are encrypted to");

  const list = team
    .command("list")
    .description("list the members, their roles and public keys")
    .addHelpText("after", "\nExample:\n  coc team list --json");
  list.action(r.action(list, () => ({}), () => import("./list.js")));

  const trust = team
    .command("trust")
    .description("confirm the current roster after someone else changed it (nothing is encrypted to an unconfirmed roster)")
    .addHelpText("after", "\nExamples:\n  coc team trust          # shows what changed and asks\n  coc team trust --yes    # confirm without asking (scripts)");
  trust.action(r.action(trust, () => ({ command: "team trust" }), () => import("../trust/run.js")));

  const remove = team
    .command("remove")
    .description("take a member off the roster and re-encrypt every record they could read without them (one commit)")
    .argument("<name>", "the member to remove")
    .addHelpText("after", "\nExamples:\n  coc team remove bob\n  coc team remove bob --yes     # without asking (scripts)");
  remove.action(r.action(remove, ([name]) => ({ name: name as string }), () => import("./remove.js")));

  const add = team
    .command("add")
    .description("add a member; new records are encrypted to them (existing cases are not re-shared)")
    .argument("<name>", "their name on the team")
    .argument("<member-key...>", "their member key: the line coc keygen or coc whoami printed (age1... ssh-ed25519 AAAA...), quoted or not")
    .option("--role <role...>", "responder, lead or safety-officer (repeatable)", ["responder"])
    .addHelpText(
      "after",
      "\nExample:\n  coc team add bob \"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIANNVu2NtHBYSxkFQ/6VJdHloZ41+ZKfb84K1+yPEA2P\" --role responder\n\nFor a member already on the roster without a signing key (a roster from before\nsigned records), the same command sets their signing key.",
    );
  add.action(
    r.action(add, ([name, key]): TeamAddOptions => ({ name: name as string, memberKey: key as string[], roles: add.opts<{ role: string[] }>().role }), () => import("./add.js")),
  );
}
