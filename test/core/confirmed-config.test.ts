/**
 * While a pinned setting changed elsewhere waits for confirmation, the config
 * a read-only command uses keeps the pinned value (README "Trust (pins)"):
 * the retention period and the event's end (from which cases expire), the
 * contact, and the rest; a setting pinned as absent is absent.
 */
import { describe, expect, it } from "vitest";
import { withPinnedSettings } from "../../src/core/repo/confirmed-config.js";
import { parseConfig } from "../../src/core/repo/config.js";

const pulled = parseConfig(
  `coc: 1
event: { name: Pulled Conf, starts_on: 2026-06-01, ends_on: 2026-06-02 }
contact: new@pulled.example
policy_url: https://pulled.example/coc
retention: { delete_after_days: 5000 }
`,
  "config.yaml",
);

describe("withPinnedSettings", () => {
  it("puts every changed setting back to its pinned value, and leaves the config it was given alone", () => {
    const c = withPinnedSettings(pulled, [
      { key: "retention.delete_after_days", from: 90, to: 5000 },
      { key: "event.ends_on", from: null, to: "2026-06-02" },
      { key: "event.name", from: "Pinned Conf", to: "Pulled Conf" },
      { key: "contact", from: "team@pinned.example", to: "new@pulled.example" },
    ]);
    expect(c.retention.delete_after_days).toBe(90);
    expect(c.event).toEqual({ name: "Pinned Conf", starts_on: "2026-06-01", ends_on: undefined });
    expect(c.contact).toBe("team@pinned.example");
    expect(c.policy_url).toBe("https://pulled.example/coc");
    expect(c.ladder).toBe(pulled.ladder);
    expect(pulled.retention.delete_after_days).toBe(5000);
    expect(pulled.event.ends_on).toBe("2026-06-02");
  });

  it("a retention period pinned as none is none; one pinned as text counts as its number", () => {
    expect(withPinnedSettings(pulled, [{ key: "retention.delete_after_days", from: null, to: 5000 }]).retention.delete_after_days).toBeNull();
    expect(withPinnedSettings(pulled, [{ key: "retention.delete_after_days", from: "30", to: 5000 }]).retention.delete_after_days).toBe(30);
    expect(withPinnedSettings(pulled, []).retention.delete_after_days).toBe(5000);
  });
});
