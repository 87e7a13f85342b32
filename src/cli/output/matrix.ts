/** Renders the risk/impact matrix through the team's (or the built-in) templates. */
import { matrixGrid, render, type MatrixData, type Repo } from "../../core/index.js";
import type { Io } from "../io.js";
import { escapeTerminalDeep } from "./escape.js";
import { templatesDir } from "../paths.js";

/**
 * The matrix as text for the terminal (`text`, marked cell coloured when
 * allowed) or Markdown (`md`). Both are printed, so the values (names from
 * the records, texts from the config) have their control characters escaped
 * before they go in; the colour is added after, by the helpers.
 */
export async function renderMatrix(io: Io, repo: Repo, data: MatrixData, format: "text" | "md"): Promise<string> {
  const name = format === "md" ? "matrix.md.hbs" : "matrix.hbs";
  const width = Math.min(100, Math.max(60, io.ctx.stdout.columns ?? 80));
  return render(name, escapeTerminalDeep(data), {
    dirs: [repo.paths.templates, templatesDir()],
    escape: false,
    helpers: {
      grid: (d: unknown) => matrixGrid(d as MatrixData, format === "md" ? 80 : width, (t) => io.out.inverse.bold(t)),
      mark: function (this: unknown, options: unknown) {
        return io.out.bold((options as { fn: (c: unknown) => string }).fn(this));
      },
    },
  });
}
