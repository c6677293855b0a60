import { describe, expect, it } from "vitest";
import { rangeQuerySchema } from "~/models/productivity/schemas";
import { describeIssues } from "./format";

describe("describeIssues", () => {
  it("does not put the field in front of a message that already names it", () => {
    const parsed = rangeQuerySchema.safeParse({
      start_time: "2026-01-02T00:00:00Z",
      end_time: "2026-01-01T00:00:00Z",
    });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!.issues)).toBe("start_time must be before end_time");
  });
  it("names the field of a message that does not", () => {
    expect(describeIssues([{ path: ["days"], message: "Too big: expected number to be <=90" }])).toBe(
      "days: Too big: expected number to be <=90",
    );
    expect(describeIssues([{ path: [], message: "Invalid input" }])).toBe("Invalid input");
  });
});
