import { describe, expect, it } from "vitest";
import { reconcileIntervalMs } from "./fleet-manager.server";

describe("fleet manager (W11)", () => {
  it("re-checks wanted cameras every heartbeat, within 2-15 s", () => {
    expect(reconcileIntervalMs(30_000)).toBe(15_000);
    expect(reconcileIntervalMs(5_000)).toBe(5_000);
    expect(reconcileIntervalMs(300)).toBe(2_000);
  });
});
