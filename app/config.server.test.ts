import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.server";

describe("loadConfig (O1)", () => {
  it("applies defaults for an empty environment", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe("./data");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.METRICS).toBe("admin");
  });

  it("treats empty strings as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names every bad field", () => {
    try {
      loadConfig({ PORT: "seventy", DATABASE_URL: "mysql://x", ADMIN_PASSWORD: "short", LOG_LEVEL: "loud" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const field of ["PORT", "DATABASE_URL", "ADMIN_PASSWORD", "LOG_LEVEL"]) expect(message).toContain(field);
    }
  });

  it("requires METRICS_TOKEN when METRICS=token", () => {
    expect(() => loadConfig({ METRICS: "token" })).toThrow(/METRICS_TOKEN/);
  });
});
