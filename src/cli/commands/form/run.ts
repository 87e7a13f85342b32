/** `coc form`: the self-contained reporting page that encrypts a report in the reporter's browser. */
import { createHash } from "node:crypto";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formSettings, render, UserError } from "../../../core/index.js";
import type { Io } from "../../io.js";
import { openRepo } from "../../open.js";
import { formDataDir, formScriptPath } from "../../paths.js";

export interface FormOptions {
  out?: string | undefined;
  force?: boolean | undefined;
}

const hash = (s: string) => `sha256-${createHash("sha256").update(s, "utf8").digest("base64")}`;

/** The page's parts shipped with the package: its style, template, and the browser bundle `npm run build` makes. */
async function parts(): Promise<{ script: string; style: string; dir: string }> {
  const dir = formDataDir();
  const scriptPath = formScriptPath();
  const script = await readFile(scriptPath, "utf8").catch(() => {
    throw new UserError(`the form's script ${scriptPath} is missing: run npm run build`);
  });
  if (/<\/script/i.test(script)) throw new Error("the form's script holds </script");
  return { script, style: await readFile(`${dir}form.css`, "utf8"), dir };
}

export async function run(o: FormOptions, io: Io): Promise<void> {
  const repo = await openRepo(io);
  const s = await formSettings(repo);
  const { script, style, dir } = await parts();
  const settings = JSON.stringify({ recipients: s.recipients }).replace(/</g, "\\u003c");
  const html = await render(
    "form.html.hbs",
    { event: s.event, contact: s.contact ?? "", policy_url: s.policy_url ?? "", team: s.members.join(", "), settings, script, style, script_hash: hash(script), style_hash: hash(style) },
    { dirs: [dir], escape: true },
  );
  if (!o.out) {
    io.print(html);
    return;
  }
  const out = resolve(io.ctx.cwd, o.out);
  if (!o.force && (await stat(out).then(() => true, () => false))) throw new UserError(`${o.out} exists; pass --force to overwrite it`);
  const temp = `${out}.${process.pid}.tmp`;
  await writeFile(temp, html, { flag: "wx" });
  await rename(temp, out);
  io.info(`Wrote the reporting form to ${o.out}: it encrypts to ${s.members.join(", ")} (the roster you confirmed). Make a new one after the roster changes.`);
}
