import { describe, expect, it } from "vitest";
import { safeRedirect } from "./login";

describe("safeRedirect", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeRedirect("/sites?x=1")).toBe("/sites?x=1");
  });

  it.each([null, undefined, "", "https://evil.test/", "//evil.test", "/\\evil.test", "javascript:alert(1)"])(
    "falls back for %s",
    (to) => {
      expect(safeRedirect(to)).toBe("/");
      expect(safeRedirect(to, "/account")).toBe("/account");
    },
  );
});
