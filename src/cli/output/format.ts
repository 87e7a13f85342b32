/** Small formatting helpers for terminal output: local times, ages, tables. */
import { escapeTerminalLine } from "./escape.js";

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** A stored UTC time shown in the machine's local time: `2026-06-01 16:05 +02:00`. */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return "-";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return escapeTerminalLine(iso);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** How long ago, compactly: `45m`, `5h`, `3d`. */
export function age(iso: string | null | undefined, now: Date): string {
  if (!iso) return "-";
  const ms = now.getTime() - Date.parse(iso);
  if (ms < 0) return "0m";
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

/** Visible width of a string, ignoring ANSI colour codes. */
export function visibleWidth(s: string): number {
  return s.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/**
 * Lays out rows in columns separated by two spaces (cells may contain colour,
 * so the caller escapes the content it puts in them: escapeTerminalLine).
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => visibleWidth(r[i] ?? ""))));
  return all
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat(widths[i]! - visibleWidth(cell)))).join("  ").trimEnd())
    .join("\n");
}
