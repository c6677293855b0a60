// Detection quality against hand-made ground truth (SPEC D1 tests, docs/models.md figures): greedy one-to-one
// matching by IoU, highest score first; recall = matched truths / truths, precision = matched detections /
// detections.
import type { PixelBox } from "./detector";
import { iou } from "./nms";

export interface MatchResult {
  truths: number;
  detections: number;
  matched: number;
  recall: number;
  precision: number;
  /** Detections matching no truth. */
  falsePositives: { box: PixelBox; score: number }[];
  /** Truths no detection matched. */
  missed: PixelBox[];
}

export function matchDetections(
  truths: PixelBox[],
  detections: { box: PixelBox; score: number }[],
  minIou: number,
): MatchResult {
  const used = new Set<number>();
  const falsePositives: MatchResult["falsePositives"] = [];
  for (const d of [...detections].sort((a, b) => b.score - a.score)) {
    let best = -1;
    let bestIou = minIou;
    truths.forEach((t, i) => {
      if (used.has(i)) return;
      const v = iou(t, d.box);
      if (v >= bestIou) {
        bestIou = v;
        best = i;
      }
    });
    if (best >= 0) used.add(best);
    else falsePositives.push(d);
  }
  const matched = used.size;
  return {
    truths: truths.length,
    detections: detections.length,
    matched,
    recall: truths.length ? matched / truths.length : 1,
    precision: detections.length ? matched / detections.length : 1,
    falsePositives,
    missed: truths.filter((_, i) => !used.has(i)),
  };
}

/** Sum of several frames' results. */
export function totalMatch(
  results: MatchResult[],
): Pick<MatchResult, "truths" | "detections" | "matched" | "recall" | "precision"> {
  const truths = results.reduce((s, r) => s + r.truths, 0);
  const detections = results.reduce((s, r) => s + r.detections, 0);
  const matched = results.reduce((s, r) => s + r.matched, 0);
  return {
    truths,
    detections,
    matched,
    recall: truths ? matched / truths : 1,
    precision: detections ? matched / detections : 1,
  };
}
