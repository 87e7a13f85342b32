/** `coc attach <case> <file>...`: evidence files, each encrypted to the case's readers. */
import type { Command } from "commander";
import type { Runner } from "../../command.js";
import type { AttachOptions } from "./run.js";

export function define(program: Command, r: Runner): void {
  const cmd = program
    .command("attach")
    .description("add evidence files to a case, each encrypted to the case's readers (image metadata removed)")
    .argument("<case>", "the case code, e.g. quiet-otter-42")
    .argument("<file...>", "the files (screenshots, photos, chat logs, PDFs…)")
    .option("--description <text>", "what the files show (stored encrypted with each)")
    .option("--keep-metadata", "keep image metadata (EXIF, GPS, XMP, IPTC, comments) instead of removing it")
    .addHelpText(
      "after",
      `
Each file is encrypted to exactly the case's readers as its own file under
cases/<code>/, named by a random record id; its original name, media type,
size and SHA-256 are kept only inside the signed, encrypted evidence record.
Metadata of JPEG and PNG images (where and with what a photo was taken) is
removed before encryption unless --keep-metadata is given. The largest file
accepted is config.yaml's evidence.max_file_mb (default 25 MB).

Examples:
  coc attach quiet-otter-42 screenshot.png
  coc attach quiet-otter-42 chat-1.png chat-2.png --description "the DMs the reporter received"`,
    );
  cmd.action(
    r.action(
      cmd,
      ([code, files]): AttachOptions => ({ code: code as string, files: files as string[], ...cmd.opts<{ description?: string; keepMetadata?: boolean }>() }),
      () => import("./run.js"),
    ),
  );
}
