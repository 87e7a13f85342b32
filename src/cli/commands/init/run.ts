/** `coc init [dir]`: scaffold an incident repository with the caller as first member. */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { initRepo, isCocRepo, LADDERS, LADDER_NAMES, loadPrevious, type LadderName } from "../../../core/index.js";
import { UserError } from "../../errors.js";
import type { Io } from "../../io.js";
import { openRepo, unlock } from "../../open.js";
import { templatesDir } from "../../paths.js";

export interface InitOptions {
  dir: string;
  event?: string | undefined;
  member?: string | undefined;
  contact?: string | undefined;
  policyUrl?: string | undefined;
  ladder?: LadderName | undefined;
  from?: string | undefined;
}

export async function run(o: InitOptions, io: Io): Promise<void> {
  const dir = resolve(io.ctx.cwd, o.dir);
  // Refuse early, before asking anything, when there is already a repository.
  if (await isCocRepo(dir)) throw new UserError(`${dir} already holds a coc repository; nothing was changed`);
  const previous = o.from ? await loadPrevious(resolve(io.ctx.cwd, o.from)) : undefined;
  const decrypter = await unlock(io);

  const missing = [!o.event && "--event", !o.member && "--member"].filter(Boolean) as string[];
  if (missing.length > 0) io.requirePrompting("init", missing);
  const p = io.ctx.prompter;
  const event = o.event ?? (await p.input({ id: "event", message: "Event or community name", required: true }));
  const member =
    o.member ??
    (await p.input({
      id: "member",
      message: "Your name on the team",
      default: io.ctx.env["USER"],
      required: true,
      validate: (v) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v) || "letters, digits, '.', '_' or '-'",
    }));
  let { contact, policyUrl, ladder } = o;
  if (missing.length > 0 && !previous) {
    contact ??= (await p.input({ id: "contact", message: "How do people reach the team? (public, optional)" })) || undefined;
    policyUrl ??= (await p.input({ id: "policy_url", message: "Where is the code of conduct published? (URL, optional)" })) || undefined;
    ladder ??= await p.select<LadderName>({
      id: "ladder",
      message: "Resolution ladder",
      choices: LADDER_NAMES.map((k) => ({ value: k, name: k, description: LADDERS[k].map((l) => l.level).join("; ") })),
      default: "care",
    });
  }
  await mkdir(dir, { recursive: true });
  const { config } = await initRepo({ dir, env: io.ctx.env, event, member, recipient: decrypter.recipients[0]!, signingKey: decrypter.signingKey().publicKey, contact, policyUrl, ladder, templatesDir: templatesDir(), previous });
  // The roster, settings and templates you just created are the ones you trust.
  await (await openRepo(io, { root: dir })).confirmTrust();
  if (io.json) io.printJson({ repo: dir, event: config.event.name, member });
  else io.print(dir);
  io.info(`Created the incident repository for ${config.event.name} in ${dir}, with ${member} as its first member.`);
  if (previous) {
    io.info(`Started from the settings and templates of ${previous.config.event.name} (${o.from}); none of its cases and not its roster. Set this year's event.starts_on and ends_on in .coc/config.yaml.`);
  }
  io.info("Next: add the team (coc team add <name> <member key>), set a private git remote, then take reports with coc new-report.");
}
