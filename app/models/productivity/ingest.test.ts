import { describe, expect, it } from "vitest";
import { pgArrayLiteral } from "./ingest.server";

describe("pgArrayLiteral", () => {
  it("quotes every element and escapes quotes and backslashes; null stays NULL", () => {
    expect(pgArrayLiteral(["a", 'say "hi"', "back\\slash", null, 0.5, "NULL", "{,}"])).toBe(
      '{"a","say \\"hi\\"","back\\\\slash",NULL,"0.5","NULL","{,}"}',
    );
  });
});
