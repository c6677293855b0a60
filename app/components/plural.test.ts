import { describe, expect, it } from "vitest";
import { countOf } from "./plural";

describe("countOf", () => {
  it("uses the singular only for exactly one", () => {
    expect(countOf(1, "active person", "active people")).toBe("1 active person");
    expect(countOf(0, "camera")).toBe("0 cameras");
    expect(countOf(2, "camera")).toBe("2 cameras");
  });
  it("groups thousands", () => {
    expect(countOf(12_345, "event")).toBe("12,345 events");
  });
});
