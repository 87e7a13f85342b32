/**
 * `coc init`: scaffolds an incident repository (DESIGN.md §2) in one commit.
 */
import { appendFile, copyFile, lstat, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { Git, type Env } from "../git/client.js";
import { installGuard } from "../git/guard.js";
import { validate } from "../records/document.js";
import { configSchema, configText, loadConfig, memberSchema, teamText, type Config, type LadderName, type Team } from "../repo/config.js";
import { isCocRepo, repoPaths, type RepoPaths } from "../repo/layout.js";

export interface InitOptions {
  dir: string;
  env: Env;
  event: string;
  member: string;
  recipient: string;
  /** The caller's public signing key (`ssh-ed25519 AAAA…`). */
  signingKey: string;
  contact?: string | undefined;
  policyUrl?: string | undefined;
  ladder?: LadderName | undefined;
  /** The online platforms consequences can apply to (`platforms` in config.yaml). */
  platforms?: readonly string[] | undefined;
  /** Where the built-in templates live (the package's templates/). */
  templatesDir: string;
  /** `coc init --from`: last year's settings and templates to start from (see `loadPrevious`). */
  previous?: PreviousRepo | undefined;
}

/** What a new repository takes from a previous one: its settings and templates, never its cases or roster. */
export interface PreviousRepo {
  config: Config;
  /** Its templates/ directory. */
  templatesDir: string;
}

/**
 * Reads a previous incident repository's settings (read-only: nothing in it
 * is changed, and its roster and cases are never read).
 * @throws UserError when `dir` is not a coc repository or its config is invalid.
 */
export async function loadPrevious(dir: string): Promise<PreviousRepo> {
  const paths = repoPaths(dir);
  if (!(await isCocRepo(dir))) throw new UserError(`${dir} is not a coc repository (no .coc/config.yaml)`, [], "init-from");
  return { config: await loadConfig(paths.config), templatesDir: paths.templates };
}

const GITATTRIBUTES = `# coc records are binary age files: never diff, merge or normalise them.
*.age binary
`;

function teamReadme(config: Config): string {
  return `# ${config.event.name}: Code of Conduct incident records

This repository is managed with **coc**. It holds the Code of Conduct reports of
this team as age-encrypted files; only the team members each case is encrypted to
can read them. Nothing in this README, in file names or in commit messages is
about any case.

- \`.coc/config.yaml\`: public settings (event, policy, contact, deadlines, ladder).
- \`.coc/team.yaml\`: the roster: member names and age public keys.
- \`cases/<code>/\`: one directory per case, one encrypted record per file.
- \`templates/\`: this team's copy of the templates (edit freely).

Everyday use:

    coc new-report          # take a report
    coc list                # cases, state, what is overdue
    coc show <case>         # read a whole case

Never add files under \`cases/\` by hand, never paste case details into commit
messages or issues, and keep this repository's remote private.
`;
}

/**
 * Scaffolds the repository and commits it.
 * @throws UserError when `dir` already holds a coc repository (nothing is touched) or a value is invalid.
 */
export async function initRepo(opts: InitOptions): Promise<{ paths: RepoPaths; config: Config; team: Team }> {
  const paths = repoPaths(opts.dir);
  if (await isCocRepo(opts.dir)) throw new UserError(`${opts.dir} already holds a coc repository; nothing was changed`);
  if (await exists(paths.cocDir)) throw new UserError(`${paths.cocDir} already exists; nothing was changed (remove it or choose another directory)`);
  // What init writes into or appends to in a directory that already has files (a clone, say): never
  // through a symbolic link, which could point anywhere (a dangling one too: writing would create its target).
  for (const p of [paths.cocDir, paths.gitattributes, paths.readme, paths.templates, paths.cases]) {
    if ((await lstat(p).catch(() => undefined))?.isSymbolicLink()) {
      throw new UserError(`${p} is a symbolic link; coc init writes nothing through a link; nothing was changed (remove it or choose another directory)`);
    }
  }

  // From a previous repository: everything but the event (its name and dates are this year's).
  const { event: _previousEvent, ...kept } = opts.previous?.config ?? { event: undefined };
  const config = validate(
    configSchema,
    {
      ...kept,
      coc: 1,
      event: { name: opts.event },
      ...(opts.policyUrl ? { policy_url: opts.policyUrl } : {}),
      ...(opts.contact ? { contact: opts.contact } : {}),
      ladder: opts.ladder ?? opts.previous?.config.ladder ?? "care",
      ...(opts.platforms ? { platforms: [...opts.platforms] } : {}),
    },
    "coc init",
  );
  const member = validate(memberSchema, { name: opts.member, recipient: opts.recipient, roles: ["lead", "responder"], signing_key: opts.signingKey }, "coc init --member");
  const team: Team = { coc: 1, members: [member] };

  // Remember what we create, so a failure (git missing, a hook refusing) leaves the directory as it was.
  const created: string[] = [];
  const alreadyGit = await exists(join(opts.dir, ".git"));
  for (const p of [paths.cocDir, paths.gitattributes, paths.readme, paths.templates, ...(alreadyGit ? [] : [join(opts.dir, ".git")])]) {
    if (!(await exists(p))) created.push(p);
  }
  try {
    await mkdir(paths.cocDir, { recursive: true });
    const git = new Git(opts.dir, opts.env);
    await git.init(alreadyGit);
    // coc's own guard, in .git/coc/hooks: never a tracked hook.
    await installGuard(git);
    await writeFile(paths.config, configText(config));
    await writeFile(paths.team, teamText(team));
    if (created.includes(paths.gitattributes)) await writeFile(paths.gitattributes, GITATTRIBUTES);
    else await appendFile(paths.gitattributes, `\n${GITATTRIBUTES}`);
    if (created.includes(paths.readme)) await writeFile(paths.readme, teamReadme(config));
    await mkdir(paths.templates, { recursive: true });
    // The previous team's templates first (their edits carry over), then any built-in one they lack.
    const sources = [...(opts.previous ? [opts.previous.templatesDir] : []), opts.templatesDir];
    const templates: string[] = [];
    for (const dir of sources) {
      // A previous repository without templates/ is fine; the built-in directory must exist.
      const listed = dir === opts.templatesDir ? await readdir(dir) : await readdir(dir).catch(() => [] as string[]);
      const names = listed.filter((f) => f.endsWith(".hbs") && !templates.includes(f));
      for (const t of names) {
        const target = join(paths.templates, t);
        if (!(await exists(target))) await copyFile(join(dir, t), target);
        templates.push(t);
      }
    }
    await git.commitPaths(
      [".coc/config.yaml", ".coc/team.yaml", ".gitattributes", "README.md", ...templates.map((t) => `templates/${t}`)],
      "coc: initialise incident repository",
      { member: member.name },
    );
  } catch (e) {
    await Promise.all(created.map((p) => rm(p, { recursive: true, force: true })));
    throw e;
  }
  return { paths, config, team };
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
