import { describe, expect, it } from "vitest";
import { listTimeZones } from "./time-zones";

describe("listTimeZones", () => {
  it("puts UTC first and keeps the rest sorted without duplicates", () => {
    const zones = listTimeZones();
    expect(zones[0]).toBe("UTC");
    expect(zones.filter((z) => z === "UTC")).toHaveLength(1);
    const rest = zones.slice(1);
    expect(rest).toEqual([...rest].sort());
    expect(rest).toContain("Europe/Berlin");
  });

  it("adds zones the runtime lists under another name (browser aliases)", () => {
    const zones = listTimeZones(["Asia/Calcutta", null, "UTC"]);
    expect(zones).toContain("Asia/Calcutta");
    expect(zones.filter((z) => z === "UTC")).toHaveLength(1);
  });
});
