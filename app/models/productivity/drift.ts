// Pure drift maths (SPEC P5), kept apart from I/O so it is easy to test and reason about.
import { EVENT_TYPES } from "./schemas";

export type Distribution = Record<string, number>;

/** Counts -> shares over all four event types, with add-½ smoothing so no share is ever zero. */
export function smoothedShares(counts: Distribution): Distribution {
  const total = EVENT_TYPES.reduce((sum, t) => sum + (counts[t] ?? 0), 0);
  return Object.fromEntries(EVENT_TYPES.map((t) => [t, ((counts[t] ?? 0) + 0.5) / (total + 0.5 * EVENT_TYPES.length)]));
}

/** KL(P || Q) in nats, P = the recent window, Q = the baseline; both as raw counts. */
export function klDivergence(window: Distribution, baseline: Distribution): number {
  const p = smoothedShares(window);
  const q = smoothedShares(baseline);
  return EVENT_TYPES.reduce((sum, t) => sum + p[t] * Math.log(p[t] / q[t]), 0);
}
