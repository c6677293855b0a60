// T1/T2 worker-side event delivery: envelope stamping, the on-disk spool and the publisher (ADR 0011).
export {
  connectionClock,
  localWallTime,
  stampEvent,
  timezoneOffsetMinutes,
  uuidv7,
  uuidv7Time,
  type DetectionEventBody,
  type EventClock,
  type EventMeta,
} from "./envelope";
export {
  DEFAULT_FSYNC_INTERVAL_MS,
  DEFAULT_SEGMENT_BYTES,
  DEFAULT_SPOOL_MAX_BYTES,
  EventSpool,
  spoolDirFor,
  type PublishLogger,
  type SpoolOptions,
  type SpoolRecord,
  type SpoolStats,
} from "./spool";
export { EventPublisher, type EventPublisherOptions, type PublisherDetails, type SendBatch } from "./publisher";
