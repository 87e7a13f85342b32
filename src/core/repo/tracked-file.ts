/**
 * Reading the tracked files that are not records: the settings
 * (`.coc/config.yaml`, `team.yaml`, `oversight.yaml`) and the team's
 * templates. They arrive through git like records do (DESIGN.md §7), so they
 * are read the same way: only a regular file, never through a symbolic link
 * (one to /dev/zero would make every command read forever), and within a cap.
 */
import { readRecordFile } from "./read.js";

/** The largest settings file or template read (each is a few KB). */
const MAX_TRACKED_BYTES = 1024 * 1024;

/**
 * The text of a tracked file, or `missing` when there is none, or a one-line
 * reason it is not read (a symbolic link, a device, too large, not UTF-8).
 */
export function readTrackedText(abs: string): { text: string; bytes: Uint8Array } | { missing: true } | { problem: string } {
  const read = readRecordFile(abs, MAX_TRACKED_BYTES, "a settings file or template (each is a few KB); not read");
  if ("problem" in read) return read.gone ? { missing: true } : { problem: read.problem };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(read.bytes), bytes: read.bytes };
  } catch {
    return { problem: "not UTF-8 text" };
  }
}
