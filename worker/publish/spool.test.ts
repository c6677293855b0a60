import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { detectionEventSchema } from "../../protocol/events";
import { EventSpool, frameRecord, spoolDirFor } from "./spool";
import { captureLogger, makeEvents } from "./test-support";

let root: string;
let dir: string;
const open: EventSpool[] = [];
const spool = (options: Partial<ConstructorParameters<typeof EventSpool>[0]> = {}) => {
  const s = new EventSpool({ dir, ...options });
  open.push(s);
  return s;
};
const segments = () => readdirSync(dir).filter((n) => n.startsWith("seg-"));
const lastSegment = () => path.join(dir, segments().sort().at(-1)!);
const ids = (records: { event: { eventId: string } }[]) => records.map((r) => r.event.eventId);

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "argus-spool-"));
  dir = spoolDirFor(root, "worker-1");
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(root, { recursive: true, force: true });
});

describe("EventSpool", () => {
  it("appends, peeks oldest first, acks a prefix and reports heartbeat stats", () => {
    const s = spool({ fsyncIntervalMs: 0 }); // fdatasync on every append
    const events = makeEvents(10);
    for (const e of events) expect(s.append(e)).toBe(true);
    expect(s.stats()).toEqual({
      pendingEvents: 10,
      bytes: events.reduce((n, e) => n + frameRecord(JSON.stringify(e)).length, 0),
      full: false,
      droppedEvents: 0,
    });
    const first = s.peek(4);
    expect(ids(first)).toEqual(ids(events.map((event) => ({ event })).slice(0, 4)));
    expect(detectionEventSchema.parse(first[0].event)).toEqual(events[0]);
    expect(ids(s.peek(4))).toEqual(ids(first)); // peek does not consume
    s.ack(first);
    s.ack(first); // a stale ack is ignored
    expect(s.pendingEvents).toBe(6);
    expect(ids(s.peek(100))).toEqual(events.slice(4).map((e) => e.eventId));
  });

  it("keeps un-acked events across a reopen (crash) and never replays acked ones", () => {
    const events = makeEvents(30);
    const a = spool({ segmentBytes: 2_000 }); // a few events per segment
    for (const e of events) a.append(e);
    a.ack(a.peek(12));
    // no close(): as if SIGKILLed (write(2) already put every record in the page cache)
    const b = spool({ segmentBytes: 2_000 });
    expect(b.pendingEvents).toBe(18);
    expect(ids(b.peek(100))).toEqual(events.slice(12).map((e) => e.eventId));
    const more = makeEvents(5);
    for (const e of more) b.append(e);
    b.ack(b.peek(10));
    b.close();
    const c = spool({ segmentBytes: 2_000 });
    expect(ids(c.peek(100))).toEqual([...events.slice(22), ...more].map((e) => e.eventId));
    c.ack(c.peek(100));
    expect(c.pendingEvents).toBe(0);
    c.close();
    const d = spool({ segmentBytes: 2_000 });
    expect(d.pendingEvents).toBe(0);
    expect(d.peek(100)).toEqual([]);
  });

  it("deletes segments once fully acknowledged", () => {
    const s = spool({ segmentBytes: 2_000 });
    for (const e of makeEvents(40)) s.append(e);
    const before = segments().length;
    expect(before).toBeGreaterThan(5);
    s.ack(s.peek(20));
    const middle = segments().length;
    expect(middle).toBeLessThan(before);
    s.ack(s.peek(100));
    expect(segments().length).toBe(1); // only the segment being written
    expect(s.stats().pendingEvents).toBe(0);
  });

  it("skips a torn last line and a corrupt line after a crash, without throwing", () => {
    const events = makeEvents(6);
    const logger = captureLogger();
    const a = spool();
    for (const e of events.slice(0, 5)) a.append(e);
    // Corrupt record 2 (one flipped byte inside its JSON) and tear a 6th record half way through its write.
    const file = lastSegment();
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n");
    lines[2] = lines[2].replace('"car"', '"cat"');
    const torn = frameRecord(JSON.stringify(events[5])).subarray(0, 100);
    writeFileSync(file, lines.join("\n"));
    appendFileSync(file, torn);
    const b = spool({ logger });
    expect(b.corruptRecords).toBe(2);
    expect(b.pendingEvents).toBe(4);
    expect(ids(b.peek(100))).toEqual([0, 1, 3, 4].map((i) => events[i].eventId));
    expect(logger.entries.some((e) => e.level === "warn" && /torn or corrupt/.test(e.msg ?? ""))).toBe(true);
    // New events go to a fresh segment, never after the torn line; the old segment is deleted once drained.
    const fresh = makeEvents(2);
    for (const e of fresh) b.append(e);
    b.ack(b.peek(100));
    expect(b.pendingEvents).toBe(0);
    expect(segments()).toHaveLength(1);
    b.close();
    expect(spool().pendingEvents).toBe(0);
  });

  it("survives a garbage cursor file by replaying everything (the server dedups)", () => {
    const a = spool();
    for (const e of makeEvents(5)) a.append(e);
    a.ack(a.peek(3));
    a.close();
    writeFileSync(path.join(dir, "cursor"), "garbage");
    const logger = captureLogger();
    expect(spool({ logger }).pendingEvents).toBe(5);
    expect(logger.entries.some((e) => /unreadable cursor/.test(e.msg ?? ""))).toBe(true);
  });

  it("when full keeps the OLDEST events, refuses new ones with exact counts, and accepts again once acked", () => {
    const events = makeEvents(100);
    const sizes = events.map((e) => frameRecord(JSON.stringify(e)).length);
    const maxBytes = 10_000;
    let fits = 0;
    for (let total = 0; total + sizes[fits] <= maxBytes; fits++) total += sizes[fits];
    const logger = captureLogger();
    const s = spool({ maxBytes, segmentBytes: 2_500, logger });
    const accepted = events.map((e) => s.append(e));
    expect(accepted.filter(Boolean)).toHaveLength(fits);
    expect(accepted.slice(0, fits).every(Boolean)).toBe(true);
    expect(accepted.slice(fits).some(Boolean)).toBe(false);
    expect(s.stats()).toMatchObject({ pendingEvents: fits, full: true, droppedEvents: 100 - fits });
    expect(s.stats().bytes).toBeLessThanOrEqual(maxBytes);
    expect(ids(s.peek(1000))).toEqual(events.slice(0, fits).map((e) => e.eventId));
    const loud = logger.entries.filter((e) => e.level === "error" && /FULL/.test(e.msg ?? ""));
    expect(loud).toHaveLength(1); // once on the transition (then at most every 10 s)
    // The server catches up: room again, and new events are accepted.
    s.ack(s.peek(1000));
    expect(s.stats()).toMatchObject({ pendingEvents: 0, full: false, droppedEvents: 100 - fits });
    expect(s.append(makeEvents(1)[0])).toBe(true);
    expect(s.stats()).toMatchObject({ pendingEvents: 1, full: false });
    // The full state is per process: a restart reports the count from zero but keeps the kept events.
  });

  it("refuses appends after close without throwing", () => {
    const s = spool();
    s.close();
    s.close();
    expect(s.append(makeEvents(1)[0])).toBe(false);
    expect(s.stats().droppedEvents).toBe(1);
  });
});
