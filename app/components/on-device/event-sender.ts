// Delivers the on-device mode's state events through the ingestion API (P1, POST /api/v1/events/batch) with the
// page's scoped device key. Events wait in memory while the network or the server is away and go out in order as
// soon as it is back (the batch API skips duplicates, so a resend after a lost answer is harmless). An answer that
// can never succeed (400/403: the event itself is refused) drops the batch and says why instead of retrying forever.
// Waiting events are also kept in the browser's storage (one outbox per worker/workstation pair, which is what a
// device key is scoped to), so closing or reloading the page while offline loses nothing: the next session of the
// same pair sends them first. Browser-safe; no Node imports.

export interface DeviceEvent {
  timestamp: string;
  worker_id: string;
  workstation_id: string;
  event_type: "working" | "idle" | "absent";
  confidence: number;
  model_id: string;
  model_version: string;
}

export interface SenderStatus {
  sent: number;
  pending: number;
  lastError: string | null;
}

const MAX_PENDING = 5000;
const BATCH = 100;

/** Where waiting events survive the page: load once at start, save after every change. */
export interface Outbox {
  load(): DeviceEvent[];
  save(events: DeviceEvent[]): void;
}

/** The outbox of one worker/workstation pair in localStorage; without storage (private mode, quota) memory only. */
export function localOutbox(workerId: string, workstationId: string, storage?: Storage): Outbox {
  const key = `argus:on-device-outbox:${workerId}:${workstationId}`;
  const store = storage ?? (typeof localStorage === "undefined" ? undefined : localStorage);
  return {
    load() {
      try {
        const parsed: unknown = JSON.parse(store?.getItem(key) ?? "[]");
        return Array.isArray(parsed) ? (parsed as DeviceEvent[]).filter(isDeviceEvent) : [];
      } catch {
        return [];
      }
    },
    save(events) {
      try {
        if (events.length) store?.setItem(key, JSON.stringify(events));
        else store?.removeItem(key);
      } catch {
        // storage full or unavailable: the events are still in memory and go out when the network is back
      }
    },
  };
}

function isDeviceEvent(value: unknown): value is DeviceEvent {
  const e = value as Partial<DeviceEvent> | null;
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.timestamp === "string" &&
    typeof e.worker_id === "string" &&
    typeof e.workstation_id === "string" &&
    typeof e.event_type === "string" &&
    typeof e.confidence === "number"
  );
}

export class DeviceEventSender {
  private queue: DeviceEvent[] = [];
  private sent = 0;
  private lastError: string | null = null;
  private flushing = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private backoffMs = 1000;
  private closed = false;

  constructor(
    private key: string,
    private readonly onStatus: (status: SenderStatus) => void,
    /** Called on 401 (key expired or its minting credential revoked): the page mints a new key. */
    private readonly onUnauthorized: () => void,
    private readonly outbox?: Outbox,
  ) {
    // What an earlier session of this pair could not send goes first.
    const saved = outbox?.load() ?? [];
    if (saved.length) {
      this.queue = saved.slice(-MAX_PENDING);
      queueMicrotask(() => {
        this.report();
        void this.flush();
      });
    }
  }

  setKey(key: string): void {
    if (key === this.key) return;
    this.key = key;
    this.schedule(0);
  }

  enqueue(event: DeviceEvent): void {
    this.queue.push(event);
    // A day offline at one event per few minutes is a few hundred; beyond the cap the oldest go first.
    if (this.queue.length > MAX_PENDING) this.queue.splice(0, this.queue.length - MAX_PENDING);
    this.outbox?.save(this.queue);
    this.report();
    void this.flush();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  private report(): void {
    this.onStatus({ sent: this.sent, pending: this.queue.length, lastError: this.lastError });
  }

  private schedule(ms: number): void {
    clearTimeout(this.retryTimer);
    if (!this.closed) this.retryTimer = setTimeout(() => void this.flush(), ms);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.closed) return;
    this.flushing = true;
    try {
      while (this.queue.length && !this.closed) {
        const batch = this.queue.slice(0, BATCH);
        const response = await fetch("/api/v1/events/batch", {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.key}` },
          body: JSON.stringify({ events: batch }),
          credentials: "omit", // the device key is the only credential these calls carry
        }).catch(() => null);
        if (response?.ok) {
          const result = (await response.json()) as { errors?: Array<{ message: string }> };
          this.queue.splice(0, batch.length);
          this.sent += batch.length - (result.errors?.length ?? 0);
          this.lastError = result.errors?.[0]?.message ?? null;
          this.backoffMs = 1000;
          continue;
        }
        if (response && (response.status === 400 || response.status === 403)) {
          this.queue.splice(0, batch.length);
          this.lastError = await messageOf(response);
          continue;
        }
        this.lastError = response ? await messageOf(response) : "Server unreachable; events are kept and resent";
        if (response?.status === 401) this.onUnauthorized();
        this.schedule(this.backoffMs);
        this.backoffMs = Math.min(this.backoffMs * 2, 60_000);
        break;
      }
    } finally {
      this.flushing = false;
      // A closed sender's successor (same pair) owns the outbox now; what this one still sent is a harmless duplicate.
      if (!this.closed) this.outbox?.save(this.queue);
      this.report();
    }
  }
}

async function messageOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { message?: string } | null;
  return body?.message ?? `HTTP ${response.status}`;
}
