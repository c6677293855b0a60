// A scripted Detector for unit tests of later stages (tracking, counting, gating): each detect() call returns the
// next scripted list (after the script ends: the last list again, or [] with `repeatLast: false`), filtered by
// DetectOptions like a real detector, boxes clipped to the frame. Records the frames' sizes it was called with.
import type { ModelDescriptor } from "../../protocol";
import type { DetectOptions, Detection, Detector, RgbImage } from "./detector";
import { clipBox } from "./nms";
import { COCO_CLASSES } from "./coco";

export const FAKE_MODEL: ModelDescriptor = {
  id: "fake",
  version: "1",
  format: "yolo",
  sha256: "0".repeat(64),
  inputWidth: 640,
  inputHeight: 640,
  classes: [...COCO_CLASSES],
};

export class FakeDetector implements Detector {
  readonly calls: { width: number; height: number; options?: DetectOptions }[] = [];
  closed = false;
  private next = 0;

  constructor(
    private readonly script: Detection[][],
    readonly model: ModelDescriptor = FAKE_MODEL,
    private readonly opts: { repeatLast?: boolean } = {},
  ) {}

  async detect(frame: RgbImage, options?: DetectOptions): Promise<Detection[]> {
    if (this.closed) throw new Error("fake detector is closed");
    this.calls.push({ width: frame.width, height: frame.height, options });
    let list: Detection[];
    if (this.next < this.script.length) list = this.script[this.next++];
    else list = this.opts.repeatLast === false ? [] : (this.script[this.script.length - 1] ?? []);
    return list
      .filter((d) => d.score >= (options?.minScore ?? 0) && (!options?.classes || options.classes.has(d.class)))
      .map((d) => ({ ...d, box: clipBox(d.box, frame.width, frame.height) }));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** A detection of a COCO class by name (tests). */
export function det(className: (typeof COCO_CLASSES)[number], score: number, box: Detection["box"]): Detection {
  return { classId: COCO_CLASSES.indexOf(className), class: className, score, box };
}
