// Time sync (SPEC T1): each heartbeat reply carries the server's UTC time; the worker keeps a
// smoothed estimate of (server - local) and a Lamport counter that orders its events when
// corrected clocks tie or disagree.

export interface DriftSample {
  /** Local time when the heartbeat was sent (ms since epoch). */
  sentAt: number;
  /** Local time when the reply arrived. */
  receivedAt: number;
  /** Server time in the reply. */
  serverTime: number;
}

/**
 * Exponentially smoothed clock offset. Each sample assumes the server stamped its reply halfway
 * through the round trip (NTP's assumption); samples with a long round trip count less.
 */
export class DriftEstimator {
  private offset: number | null = null;

  constructor(private readonly alpha = 0.2) {}

  add(sample: DriftSample): number {
    const rtt = Math.max(0, sample.receivedAt - sample.sentAt);
    const measured = sample.serverTime - (sample.sentAt + rtt / 2);
    if (this.offset === null) {
      this.offset = measured;
    } else {
      const weight = this.alpha / (1 + rtt / 1000);
      this.offset += weight * (measured - this.offset);
    }
    return this.offset;
  }

  /** Milliseconds to add to local time to get server time (0 until the first sample). */
  get offsetMs(): number {
    return Math.round(this.offset ?? 0);
  }

  correct(localMs: number): number {
    return localMs + this.offsetMs;
  }
}

export class LamportClock {
  constructor(private value = 0) {}

  /** A local event: advance and return the new value. */
  tick(): number {
    this.value += 1;
    return this.value;
  }

  /** A message from elsewhere: jump past its counter. */
  receive(remote: number): number {
    this.value = Math.max(this.value, remote) + 1;
    return this.value;
  }

  get current(): number {
    return this.value;
  }
}
