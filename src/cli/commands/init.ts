/** `coc init [dir]`: scaffold an incident repository with the caller as first member. */
import type { Command } from "commander";
import { Option } from "commander";
import type { Registrar } from "../program.js";

interface InitFlags {
  event?: string;
  member?: string;
  contact?: string;
  policyUrl?: string;
  ladder?: "care" | "cc2.1" | "cc3";
  from?: string;
}

export function register(program: Command, r: Registrar): void {
  const cmd = program
    .command("init")
    .description("create an incident repository (git, .coc/ settings, roster, pre-commit guard, templates) in one commit")
    .argument("[dir]", "directory to create it in", ".")
    .option("--event <name>", "event or community name")
    .option("--member <name>", "your name on the team (you become its first member and lead)")
    .option("--contact <text>", "how people reach the team (public)")
    .option("--policy-url <url>", "where the code of conduct is published")
    .addOption(new Option("--ladder <name>", "resolution ladder").choices(["care", "cc2.1", "cc3"]))
    .option("--from <previous repo>", "start from last year's repository: its config (all but the event) and templates, never its cases or roster")
    .addHelpText(
      "after",
      '\nExamples:\n  coc init care-2026 --event "PyExample 2026" --member alice --contact care@example.org\n  coc init care-2027 --from ../care-2026 --event "PyExample 2027" --member alice',
    );
  cmd.action(
    r.action(cmd, async (s, dirArg: string) => {
      const { resolve } = await import("node:path");
      const { mkdir } = await import("node:fs/promises");
      const { initRepo } = await import("../../core/repo/init.js");
      const { isCocRepo } = await import("../../core/repo/layout.js");
      const { LADDERS } = await import("../../core/repo/config.js");
      const { UserError } = await import("../errors.js");
      const { templatesDir } = await import("../paths.js");
      const flags = cmd.opts<InitFlags>();
      const dir = resolve(s.ctx.cwd, dirArg);
      // Refuse early, before asking anything, when there is already a repository.
      if (await isCocRepo(dir)) throw new UserError(`${dir} already holds a coc repository; nothing was changed`);
      const { loadPrevious } = await import("../../core/repo/init.js");
      const previous = flags.from ? await loadPrevious(resolve(s.ctx.cwd, flags.from)) : undefined;
      const decrypter = await s.unlock();

      const missing = [!flags.event && "--event", !flags.member && "--member"].filter(Boolean) as string[];
      if (missing.length > 0) s.requirePrompting("init", missing);
      const p = s.ctx.prompter;
      const event = flags.event ?? (await p.input({ id: "event", message: "Event or community name", required: true }));
      const member =
        flags.member ??
        (await p.input({
          id: "member",
          message: "Your name on the team",
          default: s.ctx.env["USER"],
          required: true,
          validate: (v) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v) || "letters, digits, '.', '_' or '-'",
        }));
      let { contact, policyUrl, ladder } = flags;
      if (missing.length > 0 && !previous) {
        contact ??= (await p.input({ id: "contact", message: "How do people reach the team? (public, optional)" })) || undefined;
        policyUrl ??= (await p.input({ id: "policy_url", message: "Where is the code of conduct published? (URL, optional)" })) || undefined;
        ladder ??= await p.select<"care" | "cc2.1" | "cc3">({
          id: "ladder",
          message: "Resolution ladder",
          choices: (Object.keys(LADDERS) as (keyof typeof LADDERS)[]).map((k) => ({
            value: k,
            name: k,
            description: LADDERS[k].map((l) => l.level).join("; "),
          })),
          default: "care",
        });
      }
      await mkdir(dir, { recursive: true });
      const { config } = await initRepo({
        dir,
        env: s.ctx.env,
        event,
        member,
        recipient: decrypter.recipients[0]!,
        contact,
        policyUrl,
        ladder,
        templatesDir: templatesDir(),
        previous,
      });
      // The roster you just created is the one you trust.
      await (await s.workspace(dir)).trustRoster();
      if (s.json) s.printJson({ repo: dir, event: config.event.name, member });
      else s.print(dir);
      s.info(`Created the incident repository for ${config.event.name} in ${dir}, with ${member} as its first member.`);
      if (previous) {
        s.info(`Started from the settings and templates of ${previous.config.event.name} (${flags.from}); none of its cases and not its roster. Set this year's event.starts_on and ends_on in .coc/config.yaml.`);
      }
      s.info("Next: add the team (coc team add <name> <recipient>), set a private git remote, then take reports with coc new-report.");
    }),
  );
}
