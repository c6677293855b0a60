// The worker's on-disk event spool (SPEC T2): every event is written here before it is sent, and stays until the
// server has acknowledged it, so a server outage or a worker crash (SIGKILL, OOM kill) loses nothing.
// Format, fsync policy and the full policy: docs/decisions/0011-event-delivery.md. In short:
//  - a directory of append-only segment files `seg-<12 digits>.jsonl`, one record per line:
//    `<crc32 of the JSON, 8 hex digits> <event JSON>\n`. A line without its newline or with a bad checksum (a write
//    torn by a crash or power loss) is skipped and counted, never fatal. Each process start writes a new segment, so
//    nothing is ever appended after a torn line.
//  - a `cursor` file (same framing, replaced atomically by rename) holds the position after the last acknowledged
//    record; segments entirely before it are deleted. Acknowledgements are always a prefix (one batch in flight,
//    oldest first), so a cursor is enough.
//  - fsync: write(2) per event (survives SIGKILL: the data is in the page cache), fdatasync at most every
//    `fsyncIntervalMs` (default 1 s) and on rotation, flush and close; 0 = fdatasync after every append.
//  - bounded by `maxBytes` of segment files on disk; when full the OLDEST events are kept and new ones are refused
//    and counted as dropped (heartbeats report `full` and `droppedEvents`), logged at error level.
import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import type { DetectionEvent } from "../../protocol/events";

export const DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024;
export const DEFAULT_FSYNC_INTERVAL_MS = 1_000;
/** While full, a reminder of the drop count at most this often. */
const FULL_LOG_INTERVAL_MS = 10_000;
const READ_CHUNK_BYTES = 1 << 20;

/** The subset of a pino logger the publish module uses. */
export interface PublishLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: PublishLogger = { info() {}, warn() {}, error() {} };

/** Exactly the heartbeat's `spool` field (protocol/worker.ts, strict). */
export interface SpoolStats {
  pendingEvents: number;
  /** Bytes of segment files on disk (what `maxBytes` bounds). */
  bytes: number;
  /** New events are being refused (and counted in droppedEvents) for lack of room. */
  full: boolean;
  /** Events refused since this process started (full, or a failed write). */
  droppedEvents: number;
}

export interface SpoolOptions {
  /** The spool directory, e.g. `spoolDirFor(stateDir, workerId)`; created if missing. One process per directory. */
  dir: string;
  /** Default 256 MiB. */
  maxBytes?: number;
  /** A segment is sealed and a new one started past this size. Default min(8 MiB, maxBytes / 4). */
  segmentBytes?: number;
  /** fdatasync at most this often (ms); 0 = after every append. Default 1000. */
  fsyncIntervalMs?: number;
  logger?: PublishLogger;
  now?: () => number;
}

/** A record read back from the spool; `segment`/`end` locate it for `ack`. */
export interface SpoolRecord {
  event: DetectionEvent;
  segment: number;
  start: number;
  end: number;
}

interface Segment {
  seq: number;
  size: number;
}

interface Cursor {
  segment: number;
  offset: number;
}

/** `<stateDir>/spool/<workerId>` */
export function spoolDirFor(stateDir: string, workerId: string): string {
  return path.join(stateDir, "spool", workerId.replace(/[^A-Za-z0-9._:-]/g, "_"));
}

const SEGMENT_RE = /^seg-(\d{12})\.jsonl$/;
const segmentName = (seq: number) => `seg-${String(seq).padStart(12, "0")}.jsonl`;

/** `<crc32 hex> <json>\n` */
export function frameRecord(json: string): Buffer {
  const body = Buffer.from(json, "utf8");
  const line = Buffer.allocUnsafe(body.length + 10);
  line.write(crc32(body).toString(16).padStart(8, "0"), 0, "latin1");
  line[8] = 0x20;
  body.copy(line, 9);
  line[line.length - 1] = 0x0a;
  return line;
}

/** The JSON of a framed line (without its newline), or null if torn or corrupt. */
function unframe(buf: Buffer, start: number, end: number): unknown {
  if (end - start < 10 || buf[start + 8] !== 0x20) return null;
  const expected = parseInt(buf.toString("latin1", start, start + 8), 16);
  const body = buf.subarray(start + 9, end);
  if (!Number.isFinite(expected) || crc32(body) !== expected) return null;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
}

/**
 * Visits the complete lines of `fd` in [from, to). `visit(buf, start, end, absEnd)`: the line is buf[start, end)
 * without its newline, absEnd the file offset after the newline; return false to stop. Returns the file offset where
 * visiting stopped: `to` when the range ends with a complete line, less if it ends with a torn (newline-less) line.
 */
function scanLines(
  fd: number,
  from: number,
  to: number,
  visit: (buf: Buffer, start: number, end: number, absEnd: number) => boolean,
): number {
  let pos = from;
  let chunk = READ_CHUNK_BYTES;
  while (pos < to) {
    const buf = Buffer.allocUnsafe(Math.min(chunk, to - pos));
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) return pos;
    let lineStart = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, lineStart);
      if (nl === -1 || nl >= n) break;
      if (!visit(buf, lineStart, nl, pos + nl + 1)) return pos + nl + 1;
      lineStart = nl + 1;
    }
    if (lineStart === 0) {
      if (pos + n >= to) return pos; // a torn last line
      chunk *= 2; // a line longer than the chunk
      continue;
    }
    pos += lineStart;
  }
  return pos;
}

export class EventSpool {
  readonly dir: string;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly fsyncIntervalMs: number;
  private readonly logger: PublishLogger;
  private readonly now: () => number;
  /** Ascending; the last one is the segment being written. */
  private segments: Segment[] = [];
  private fd: number;
  private cursor: Cursor;
  private pending = 0;
  private diskBytes = 0;
  private dropped = 0;
  private droppedWhileFull = 0;
  private corrupt = 0;
  private isFull = false;
  private refusedSize = 0;
  private lastFullLog = 0;
  private dirty = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: SpoolOptions) {
    this.dir = options.dir;
    this.maxBytes = options.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES;
    this.segmentBytes = Math.max(
      1024,
      options.segmentBytes ?? Math.min(DEFAULT_SEGMENT_BYTES, Math.floor(this.maxBytes / 4)),
    );
    this.fsyncIntervalMs = options.fsyncIntervalMs ?? DEFAULT_FSYNC_INTERVAL_MS;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    mkdirSync(this.dir, { recursive: true });

    for (const name of readdirSync(this.dir)) {
      const m = SEGMENT_RE.exec(name);
      if (m) this.segments.push({ seq: Number(m[1]), size: statSync(path.join(this.dir, name)).size });
      else if (name.endsWith(".tmp")) unlinkSync(path.join(this.dir, name));
    }
    this.segments.sort((a, b) => a.seq - b.seq);
    this.diskBytes = this.segments.reduce((sum, s) => sum + s.size, 0);
    this.cursor = this.readCursor();
    this.dropBefore(this.cursor.segment);

    // Count what is pending (and what a crash tore) in the segments left by earlier runs.
    for (const seg of this.segments) {
      const from = seg.seq === this.cursor.segment ? Math.min(this.cursor.offset, seg.size) : 0;
      if (from >= seg.size) continue;
      const fd = openSync(this.segmentPath(seg.seq), "r");
      try {
        const stopped = scanLines(fd, from, seg.size, (buf, start, end) => {
          if (unframe(buf, start, end) === null) this.corrupt += 1;
          else this.pending += 1;
          return true;
        });
        if (stopped < seg.size) this.corrupt += 1;
      } finally {
        closeSync(fd);
      }
    }
    if (this.corrupt > 0)
      this.logger.warn(
        { dir: this.dir, corruptRecords: this.corrupt },
        "event spool: skipped torn or corrupt records (a crash or power loss cut a write short)",
      );

    // A new segment for this run: nothing is ever appended after a line a crash may have torn.
    // (ax+: read back by peek through the same descriptor; O_APPEND for the writes.)
    const seq = Math.max(this.segments.at(-1)?.seq ?? 0, this.cursor.segment) + 1;
    this.fd = openSync(this.segmentPath(seq), "ax+");
    this.segments.push({ seq, size: 0 });
    this.advancePastExhausted();
    this.writeCursor();
    if (this.pending > 0)
      this.logger.info({ dir: this.dir, pendingEvents: this.pending }, "event spool: events to replay from disk");
    if (this.fsyncIntervalMs > 0) {
      this.syncTimer = setInterval(() => this.sync(), this.fsyncIntervalMs);
      this.syncTimer.unref();
    }
  }

  /**
   * Appends one event (write(2) now; fdatasync per the policy). Returns false when the event is dropped: the spool
   * is full (the oldest events are kept) or the write failed. Never throws.
   */
  append(event: DetectionEvent): boolean {
    if (this.closed) {
      this.dropped += 1;
      return false;
    }
    let line: Buffer;
    try {
      line = frameRecord(JSON.stringify(event));
    } catch (error) {
      this.dropped += 1;
      this.logger.error({ error: (error as Error).message }, "event spool: event not serialisable; dropped");
      return false;
    }
    if (this.diskBytes + line.length > this.maxBytes) {
      this.refuse(line.length);
      return false;
    }
    const active = this.segments[this.segments.length - 1];
    try {
      if (active.size > 0 && active.size + line.length > this.segmentBytes) this.rotate();
    } catch (error) {
      this.dropped += 1;
      this.logger.error({ error: (error as Error).message }, "event spool: cannot start a new segment; event dropped");
      return false;
    }
    const seg = this.segments[this.segments.length - 1];
    let written = 0;
    try {
      while (written < line.length) written += writeSync(this.fd, line, written, line.length - written, null);
    } catch (error) {
      // ENOSPC, EIO...: cut the partial line off so the next record starts on a line of its own.
      try {
        if (written > 0) ftruncateSync(this.fd, seg.size);
      } catch {
        // the reader skips a torn line anyway
      }
      this.dropped += 1;
      this.logger.error({ error: (error as Error).message, dir: this.dir }, "event spool: write failed; event dropped");
      return false;
    }
    seg.size += line.length;
    this.diskBytes += line.length;
    this.pending += 1;
    if (this.isFull) this.leaveFull();
    if (this.fsyncIntervalMs === 0) this.sync(true);
    else this.dirty = true;
    return true;
  }

  /** Up to `max` pending records, oldest first, from the last acknowledged position. Does not consume them. */
  peek(max: number): SpoolRecord[] {
    const out: SpoolRecord[] = [];
    if (this.closed || max <= 0) return out;
    for (const seg of this.segments) {
      if (seg.seq < this.cursor.segment) continue;
      const from = seg.seq === this.cursor.segment ? this.cursor.offset : 0;
      if (from >= seg.size) continue;
      const fd = seg === this.segments.at(-1) ? this.fd : openSync(this.segmentPath(seg.seq), "r");
      try {
        let start = from;
        scanLines(fd, from, seg.size, (buf, s, e, absEnd) => {
          const event = unframe(buf, s, e);
          if (event !== null) out.push({ event: event as DetectionEvent, segment: seg.seq, start, end: absEnd });
          start = absEnd;
          return out.length < max;
        });
      } finally {
        if (fd !== this.fd) closeSync(fd);
      }
      if (out.length >= max) break;
    }
    return out;
  }

  /**
   * Marks records returned by `peek` as done (delivered, duplicate or rejected): the cursor moves past the last one
   * and is persisted; segments entirely behind it are deleted. Acks must come in order; a stale ack is ignored.
   */
  ack(records: readonly SpoolRecord[]): void {
    if (this.closed || records.length === 0) return;
    const last = records[records.length - 1];
    if (last.segment < this.cursor.segment || (last.segment === this.cursor.segment && last.end <= this.cursor.offset))
      return;
    this.cursor = { segment: last.segment, offset: last.end };
    this.pending = Math.max(0, this.pending - records.length);
    this.advancePastExhausted();
    this.writeCursor();
    if (this.isFull && this.diskBytes + this.refusedSize <= this.maxBytes) this.leaveFull();
  }

  get pendingEvents(): number {
    return this.pending;
  }

  /** For heartbeats: exactly `{pendingEvents, bytes, full, droppedEvents}`. */
  stats(): SpoolStats {
    return { pendingEvents: this.pending, bytes: this.diskBytes, full: this.isFull, droppedEvents: this.dropped };
  }

  /** Records skipped as torn or corrupt when this process opened the spool. */
  get corruptRecords(): number {
    return this.corrupt;
  }

  /** fdatasync the segment being written if anything was appended since the last sync. */
  sync(force = false): void {
    if (this.closed || (!this.dirty && !force)) return;
    this.dirty = false;
    try {
      fdatasyncSync(this.fd);
    } catch (error) {
      this.logger.warn({ error: (error as Error).message }, "event spool: fdatasync failed");
    }
  }

  /** Syncs and closes. Idempotent. Pending events stay on disk for the next run. */
  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
    clearInterval(this.syncTimer);
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private segmentPath(seq: number): string {
    return path.join(this.dir, segmentName(seq));
  }

  private refuse(size: number): void {
    this.dropped += 1;
    this.droppedWhileFull += 1;
    this.refusedSize = size;
    const now = this.now();
    if (!this.isFull) {
      this.isFull = true;
      this.lastFullLog = now;
      this.logger.error(
        { dir: this.dir, maxBytes: this.maxBytes, bytes: this.diskBytes, pendingEvents: this.pending },
        "EVENT SPOOL FULL: the server has not acknowledged events for a long time; the oldest events are kept and " +
          "NEW EVENTS ARE BEING DROPPED until the server catches up",
      );
    } else if (now - this.lastFullLog >= FULL_LOG_INTERVAL_MS) {
      this.lastFullLog = now;
      this.logger.error(
        { droppedWhileFull: this.droppedWhileFull, droppedEvents: this.dropped, pendingEvents: this.pending },
        "event spool still full: new events are being dropped",
      );
    }
  }

  private leaveFull(): void {
    this.isFull = false;
    this.logger.warn(
      { droppedWhileFull: this.droppedWhileFull, droppedEvents: this.dropped, bytes: this.diskBytes },
      "event spool has room again; events dropped while it was full are lost",
    );
    this.droppedWhileFull = 0;
  }

  private rotate(): void {
    const active = this.segments[this.segments.length - 1];
    const seq = active.seq + 1;
    const fd = openSync(this.segmentPath(seq), "ax+");
    try {
      fdatasyncSync(this.fd);
    } catch {
      // sealed anyway; the periodic policy is best effort
    }
    closeSync(this.fd);
    this.fd = fd;
    this.dirty = false;
    this.segments.push({ seq, size: 0 });
  }

  /** Deletes the segments before `seq` (entirely acknowledged). */
  private dropBefore(seq: number): void {
    while (this.segments.length > 0 && this.segments[0].seq < seq) {
      const seg = this.segments.shift()!;
      this.diskBytes -= seg.size;
      try {
        unlinkSync(this.segmentPath(seg.seq));
      } catch (error) {
        this.logger.warn({ error: (error as Error).message }, "event spool: cannot delete an acknowledged segment");
      }
    }
  }

  /** Moves the cursor off sealed segments with nothing valid left after it, deleting them. */
  private advancePastExhausted(): void {
    for (;;) {
      const i = this.segments.findIndex((s) => s.seq >= this.cursor.segment);
      if (i < 0) return;
      const seg = this.segments[i];
      if (seg.seq !== this.cursor.segment) this.cursor = { segment: seg.seq, offset: 0 };
      this.dropBefore(seg.seq);
      if (seg === this.segments.at(-1)) return; // the active segment
      if (this.cursor.offset < seg.size && this.hasValidRecord(seg, this.cursor.offset)) return;
      this.cursor = { segment: this.segments[this.segments.indexOf(seg) + 1].seq, offset: 0 };
    }
  }

  private hasValidRecord(seg: Segment, from: number): boolean {
    const fd = openSync(this.segmentPath(seg.seq), "r");
    try {
      let found = false;
      scanLines(fd, from, seg.size, (buf, s, e) => {
        found = unframe(buf, s, e) !== null;
        return !found;
      });
      return found;
    } finally {
      closeSync(fd);
    }
  }

  private readCursor(): Cursor {
    const first = this.segments[0]?.seq ?? 0;
    try {
      const buf = readFileSync(path.join(this.dir, "cursor"));
      const end = buf.indexOf(0x0a);
      const parsed = end > 0 ? (unframe(buf, 0, end) as Cursor | null) : null;
      if (
        parsed &&
        Number.isSafeInteger(parsed.segment) &&
        Number.isSafeInteger(parsed.offset) &&
        parsed.segment >= 0 &&
        parsed.offset >= 0
      ) {
        if (parsed.segment < first) return { segment: first, offset: 0 };
        return parsed;
      }
      this.logger.warn(
        { dir: this.dir },
        "event spool: unreadable cursor; replaying every segment (the server dedups)",
      );
    } catch {
      // no cursor yet
    }
    return { segment: first, offset: 0 };
  }

  private writeCursor(): void {
    const file = path.join(this.dir, "cursor");
    try {
      writeFileSync(`${file}.tmp`, frameRecord(JSON.stringify(this.cursor)));
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      // Not fatal: an old cursor only means a replay, which the server dedups.
      this.logger.warn({ error: (error as Error).message }, "event spool: cannot persist the cursor");
    }
  }
}
