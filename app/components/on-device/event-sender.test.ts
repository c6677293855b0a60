// The on-device outbox (P1, issue 13 follow-up): events that could not be sent survive the page - a new sender of the
// same worker/workstation pair loads them from storage and sends them first; another pair's outbox is untouched.
// fetch is replaced inside this one module's test; the batch API itself is tested in the productivity tests.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DeviceEventSender, localOutbox, type DeviceEvent } from "./event-sender";

class MemoryStorage implements Storage {
  private data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  clear() {
    this.data.clear();
  }
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  key(i: number) {
    return [...this.data.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
}

const event = (i: number, worker = "w1"): DeviceEvent => ({
  timestamp: new Date(Date.UTC(2026, 11, 2, 8, 0, i)).toISOString(),
  worker_id: worker,
  workstation_id: "ws1",
  event_type: "working",
  confidence: 0.9,
  model_id: "pose",
  model_version: "1",
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => vi.unstubAllGlobals());

describe("on-device event outbox", () => {
  it("keeps unsent events across a closed page and sends them first in the next session of the pair", async () => {
    const storage = new MemoryStorage();
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Promise.reject(new Error("offline"))),
    );
    const first = new DeviceEventSender(
      "key",
      () => {},
      () => {},
      localOutbox("w1", "ws1", storage),
    );
    first.enqueue(event(1));
    first.enqueue(event(2));
    await settle();
    first.close(); // the page closes while offline
    expect(localOutbox("w1", "ws1", storage).load()).toEqual([event(1), event(2)]);
    expect(localOutbox("w2", "ws1", storage).load()).toEqual([]);

    const bodies: DeviceEvent[][] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init: RequestInit) => {
        bodies.push((JSON.parse(String(init.body)) as { events: DeviceEvent[] }).events);
        return new Response(JSON.stringify({ successfully_stored: 1, errors: [] }), { status: 200 });
      }),
    );
    const statuses: number[] = [];
    const second = new DeviceEventSender(
      "key",
      (s) => statuses.push(s.pending),
      () => {},
      localOutbox("w1", "ws1", storage),
    );
    second.enqueue(event(3));
    await settle();
    expect(bodies.flat()).toEqual([event(1), event(2), event(3)]);
    expect(localOutbox("w1", "ws1", storage).load()).toEqual([]);
    expect(statuses.at(-1)).toBe(0);
    second.close();
  });

  it("ignores a damaged outbox and survives storage that refuses writes", async () => {
    const storage = new MemoryStorage();
    storage.setItem("argus:on-device-outbox:w1:ws1", "{not json");
    expect(localOutbox("w1", "ws1", storage).load()).toEqual([]);
    storage.setItem("argus:on-device-outbox:w1:ws1", JSON.stringify([event(1), { nonsense: true }]));
    expect(localOutbox("w1", "ws1", storage).load()).toEqual([event(1)]);
    const full = new MemoryStorage();
    full.setItem = () => {
      throw new Error("QuotaExceededError");
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Promise.reject(new Error("offline"))),
    );
    const sender = new DeviceEventSender(
      "key",
      () => {},
      () => {},
      localOutbox("w1", "ws1", full),
    );
    expect(() => sender.enqueue(event(5))).not.toThrow();
    await settle();
    sender.close();
  });
});
