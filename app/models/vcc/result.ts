// Pure helpers on the VccResult shape (V3): totals, class order and peak from per-bucket arrays. No server imports:
// the query builds its result with them and the page's live updates (live-filter.ts) rebuild it with them.
import type { VccQuery, VccResult } from "./types";

/** Pure: totals, class order (most counted first, then by name) and peak from the per-bucket arrays. */
export function buildResult(
  query: VccQuery,
  buckets: string[],
  byClass: Record<string, number[]>,
  direction: { in: number[]; out: number[] },
  topDevices: VccResult["topDevices"],
  source: VccResult["source"],
  range: VccResult["range"],
): VccResult {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const classTotals = Object.fromEntries(Object.entries(byClass).map(([c, v]) => [c, sum(v)]));
  const classes = Object.keys(byClass).sort((a, b) => classTotals[b] - classTotals[a] || a.localeCompare(b));
  let peak: VccResult["peak"] = null;
  buckets.forEach((bucket, i) => {
    const total = classes.reduce((acc, c) => acc + byClass[c][i], 0);
    if (total > 0 && (!peak || total > peak.total)) peak = { bucket, total };
  });
  const totalIn = sum(direction.in);
  const totalOut = sum(direction.out);
  return {
    query,
    buckets,
    classes,
    byClass: Object.fromEntries(classes.map((c) => [c, byClass[c]])),
    direction,
    totals: {
      total: sum(Object.values(classTotals)),
      in: totalIn,
      out: totalOut,
      byClass: Object.fromEntries(classes.map((c) => [c, classTotals[c]])),
    },
    peak,
    topDevices,
    source,
    ...(range ? { range } : {}),
  };
}
