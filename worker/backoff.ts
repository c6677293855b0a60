// Reconnect delays (SPEC W3): exponential with "equal jitter", so a fleet that lost its server does
// not reconnect in lockstep, yet never waits less than half the step.
export function backoffDelay(
  attempt: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + random() * (step / 2));
}
