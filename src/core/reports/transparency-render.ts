/** The transparency report as text: JSON, Markdown, or self-contained HTML with an inline SVG chart. */
import { render, trusted } from "../templates/render.js";
import { cellKey } from "./matrix.js";
import type { Count, TransparencyFormat, TransparencyReport } from "./transparency.js";

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/**
 * A horizontal bar chart of `counts` as an inline SVG string: one
 * `<rect class="bar">` per entry, every text XML-escaped, no external
 * references (not even the SVG namespace URL: inline SVG in HTML needs none).
 */
export function barChartSvg(counts: readonly Count[], title: string): string {
  const width = 640;
  const labelWidth = 220;
  const barMax = 340;
  const row = 30;
  const top = 8;
  const height = Math.max(1, counts.length) * row + top * 2;
  const max = Math.max(1, ...counts.map((c) => c.count));
  const out = [`<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`, `<title id="chart-title">${escapeXml(title)}</title>`];
  if (counts.length === 0) {
    out.push(`<text x="0" y="${top + 19}" class="chart-empty">No reports in this period.</text>`);
  }
  counts.forEach((c, i) => {
    const y = top + i * row;
    const w = Math.max(2, Math.round((c.count / max) * barMax));
    const name = escapeXml(c.name);
    out.push(
      `<g class="bar-row">`,
      `<text x="${labelWidth - 10}" y="${y + 19}" text-anchor="end" class="chart-label">${escapeXml(truncate(c.name, 30))}</text>`,
      `<rect class="bar" x="${labelWidth}" y="${y + 4}" width="${w}" height="20" rx="3"><title>${name}: ${c.count}</title></rect>`,
      `<text x="${labelWidth + w + 8}" y="${y + 19}" class="chart-value">${c.count}</text>`,
      `</g>`,
    );
  });
  out.push("</svg>");
  return out.join("\n");
}

/** The risk/impact grid of the counts, laid out for a table: impact rows, risk columns. */
export function matrixRows(report: TransparencyReport): { label: string; cells: { label: string; count: number }[] }[] {
  return (["low", "high"] as const).map((impact) => ({
    label: `${impact} impact`,
    cells: (["low", "high"] as const).map((risk) => {
      const key = cellKey(impact, risk);
      return { label: `${risk} risk`, count: report.counts.by_cell.find((c) => c.key === key)?.count ?? 0 };
    }),
  }));
}

/**
 * The report as text: JSON (stable, 2-space indented), or through
 * templates/transparency.md.hbs (not escaped) or transparency.html.hbs
 * (HTML-escaped; the chart is passed pre-escaped), the first found in `dirs`.
 * Templates get the report's fields plus `matrix.rows`, `policy_href` (the
 * policy URL when it is a web address, else null) and, for HTML, `chart_svg`.
 * @throws UserError for a missing or broken template, naming it.
 */
export async function renderTransparency(report: TransparencyReport, format: TransparencyFormat, opts: { dirs: readonly string[] }): Promise<string> {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  const view = {
    ...report,
    matrix: { rows: matrixRows(report) },
    // Only a web address becomes a link (never, say, a javascript: URL).
    policy_href: report.policy_url && /^https?:\/\//i.test(report.policy_url) ? report.policy_url : null,
    ...(format === "html" ? { chart_svg: trusted(barChartSvg(report.counts.by_category, "Cases by category")) } : {}),
  };
  const text = await render(`transparency.${format}.hbs`, view, { dirs: opts.dirs, escape: format === "html" });
  return text.endsWith("\n") ? text : `${text}\n`;
}
