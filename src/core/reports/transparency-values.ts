/** What of the transparency report the public-text check runs on (./gate.ts), and where each value comes from. */
import { isSettingPath } from "./announcement.js";
import { publicValues, type PublicValue } from "./gate.js";
import type { BuiltTransparency } from "./transparency.js";

/**
 * coc's own wording (deadlines, the date basis, violation words, the cells),
 * the channel names (a fixed list) and numbers: not what the team wrote, not
 * checked.
 */
const FIXED = /^(version|generated_from(\..*)?|date_basis|response_times(\..*)?|counts\.(by_violation|by_cell|by_channel)(\..*)?|entries\.\d+\.(violation|violation_text))$/;

const ENTRY_FIELDS: Record<string, string> = {
  title: "resolution.transparency.title (or category)",
  summary: "resolution.transparency.summary",
  category: "resolution.transparency.category",
  actions: "decision.actions level",
  action: "decision.actions level",
};

/**
 * The values of the report's data the check runs on, each with the record
 * field it comes from ("resolution.transparency.summary of case quiet-otter-42").
 */
export function transparencyValues(built: BuiltTransparency): PublicValue[] {
  const { report, entryCases, casesOf } = built;
  const cases = (codes: readonly string[] | undefined) => (codes && codes.length > 0 ? ` of case ${codes.join(", ")}` : "");
  return publicValues(
    report,
    (path) => {
      const entry = /^entries\.(\d+)\.(\w+)/.exec(path);
      if (entry) return `${ENTRY_FIELDS[entry[2]!] ?? path}${cases([entryCases[Number(entry[1])]!])}`;
      const count = /^counts\.(by_category|by_outcome)\.(\d+)\.name$/.exec(path);
      if (count) {
        const name = report.counts[count[1] as "by_category" | "by_outcome"][Number(count[2])]!.name;
        return `${count[1] === "by_category" ? "resolution.transparency.category" : "decision.actions level"}${cases(casesOf.get(name))}`;
      }
      if (path.startsWith("team.")) return "the roster (a member's name)";
      if (path.startsWith("visibility.")) return "visibility in .coc/config.yaml";
      return path;
    },
    (path) => isSettingPath(path) || FIXED.test(path),
  );
}
