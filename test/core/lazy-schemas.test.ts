/**
 * The record schemas are built on first use: a command that reads no record
 * (a `list` of an empty repository, `whoami`) loads the module but never
 * builds them. Building them is most of the zod work at start-up.
 */
import { afterEach, describe, expect, it, vi } from "vitest";

let built = 0;

afterEach(() => {
  vi.doUnmock("zod");
  vi.resetModules();
});

describe("record schemas", () => {
  it("are built only when a record type's schema is first used, and once", async () => {
    vi.resetModules();
    vi.doMock("zod", async (importOriginal) => {
      const z = await importOriginal<typeof import("zod")>();
      return { ...z, strictObject: ((...args: Parameters<typeof z.strictObject>) => (built++, z.strictObject(...args))) as typeof z.strictObject };
    });
    built = 0;
    const schema = await import("../../src/core/records/schema.js");
    const config = await import("../../src/core/repo/config.js");
    const afterImport = built;
    // Reading the config and the roster builds their schemas only.
    config.parseConfig("coc: 1\nevent:\n  name: Conf\n", "config.yaml");
    expect(built).toBe(afterImport);
    const report = schema.BODY_SCHEMAS.report;
    const afterFirstUse = built;
    expect(afterFirstUse).toBeGreaterThan(afterImport);
    expect(schema.BODY_SCHEMAS.report).toBe(report);
    expect(schema.recordSchema()).toBe(schema.recordSchema());
    const all = built;
    void schema.BODY_SCHEMAS.consent;
    expect(built).toBe(all);
  });
});
