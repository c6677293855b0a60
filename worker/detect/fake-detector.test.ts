import { describe, expect, it } from "vitest";
import { det, FakeDetector } from "./fake-detector";

const frame = { width: 100, height: 50, data: Buffer.alloc(100 * 50 * 3) };

describe("FakeDetector", () => {
  it("plays its script, filters like a detector, clips, and repeats the last list", async () => {
    const f = new FakeDetector([
      [det("person", 0.9, [10, 10, 20, 40])],
      [det("car", 0.4, [90, 0, 130, 20]), det("person", 0.2, [0, 0, 5, 5])],
    ]);
    expect(await f.detect(frame)).toEqual([det("person", 0.9, [10, 10, 20, 40])]);
    expect(await f.detect(frame, { minScore: 0.3 })).toEqual([det("car", 0.4, [90, 0, 100, 20])]);
    expect(await f.detect(frame, { classes: new Set(["person"]) })).toEqual([det("person", 0.2, [0, 0, 5, 5])]);
    expect(f.calls).toHaveLength(3);
    await f.close();
    await expect(f.detect(frame)).rejects.toThrow(/closed/);
  });
});
