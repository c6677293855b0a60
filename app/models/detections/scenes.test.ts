import { describe, expect, it } from "vitest";
import { DEFAULT_DETECTION_SETTINGS } from "../../../protocol";
import { mergeDetection, readDetection, readScene } from "./scenes.server";

describe("camera analysis settings (C5, D1)", () => {
  it("reads stored settings over the protocol defaults", () => {
    expect(readDetection({})).toEqual(DEFAULT_DETECTION_SETTINGS);
    expect(readDetection({ confidence: 0.5 })).toEqual({ ...DEFAULT_DETECTION_SETTINGS, confidence: 0.5 });
    expect(readDetection({ confidence: 7 })).toEqual(DEFAULT_DETECTION_SETTINGS);
    expect(readScene(null)).toEqual({ lines: [], zones: [] });
  });

  it("merges a patch into what operators set, null removing a key (back to the default)", () => {
    expect(mergeDetection({ modelId: "m", confidence: 0.5 }, { modelId: null, enabled: false })).toEqual({
      confidence: 0.5,
      enabled: false,
    });
    expect(mergeDetection(["junk"], { idleFps: 1 })).toEqual({ idleFps: 1 });
  });
});
