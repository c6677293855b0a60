import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DetectorStatusStrip } from "./detector-status";
import type { DetectorStatus } from "./use-live-detections";

const receiving: DetectorStatus = {
  state: "receiving",
  mode: "active",
  warning: null,
  detectorMs: 41.6,
  objects: 3,
  faces: { known: [], unknown: 0 },
};

describe("DetectorStatusStrip (C3, D5)", () => {
  it("shows the mode and detector time", () => {
    const html = renderToStaticMarkup(<DetectorStatusStrip status={receiving} />);
    expect(html).toContain("Detector active · 42 ms");
    expect(html).not.toContain("scene-warning");
  });
  it("shows an amber warning while the scene is dark or flat, and none once it clears", () => {
    const dark = renderToStaticMarkup(<DetectorStatusStrip status={{ ...receiving, warning: "dark" }} />);
    expect(dark).toContain("Scene too dark");
    expect(dark).toContain("bg-amber-100");
    const flat = renderToStaticMarkup(<DetectorStatusStrip status={{ ...receiving, warning: "low_contrast" }} />);
    expect(flat).toContain("Low contrast");
    expect(renderToStaticMarkup(<DetectorStatusStrip status={{ ...receiving, warning: null }} />)).not.toContain(
      "Scene too dark",
    );
  });
  it("says when the detector stopped reporting (no stale warning kept)", () => {
    const html = renderToStaticMarkup(
      <DetectorStatusStrip status={{ ...receiving, state: "stale", warning: "dark" }} />,
    );
    expect(html).toContain("Detector not reporting");
    expect(html).not.toContain("Scene too dark");
  });
});
