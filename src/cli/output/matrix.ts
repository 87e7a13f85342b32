/** Renders the risk/impact matrix through the team's (or the built-in) templates. */
import { render } from "../../core/templates/render.js";
import { escapeTerminalDeep } from "./escape.js";
import { matrixGrid, type MatrixData } from "../../core/reports/matrix.js";
import type { Workspace } from "../../core/repo/workspace.js";
import { templatesDir } from "../paths.js";
import type { Session } from "../session.js";

/**
 * The matrix as text for the terminal (`text`, marked cell coloured when
 * allowed) or Markdown (`md`). Both are printed, so the values (names from
 * the records, texts from the config) have their control characters escaped
 * before they go in; the colour is added after, by the helpers.
 */
export async function renderMatrix(s: Session, ws: Workspace, data: MatrixData, format: "text" | "md"): Promise<string> {
  const name = format === "md" ? "matrix.md.hbs" : "matrix.hbs";
  const width = Math.min(100, Math.max(60, s.ctx.stdout.columns ?? 80));
  return render(name, escapeTerminalDeep(data), {
    dirs: [ws.paths.templates, templatesDir()],
    escape: false,
    helpers: {
      grid: (d: unknown) => matrixGrid(d as MatrixData, format === "md" ? 80 : width, (t) => s.out.inverse.bold(t)),
      mark: function (this: unknown, options: unknown) {
        return s.out.bold((options as { fn: (c: unknown) => string }).fn(this));
      },
    },
  });
}
