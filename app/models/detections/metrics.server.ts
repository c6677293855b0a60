// Prometheus counters for detection ingest (U3, T2), registered on the server's registry (app/metrics.server.ts).
import { Counter, Histogram, type Registry } from "prom-client";

export function createDetectionMetrics(registry: Registry) {
  return {
    events: new Counter({
      name: "argus_detection_events_total",
      help: "Detection events received from workers by outcome (stored, duplicate, rejected)",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: "argus_detection_batch_seconds",
      help: "Time from a v1:events batch's arrival to its committed ack",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    liveRelayed: new Counter({
      name: "argus_detection_live_messages_total",
      help: "Live detection messages relayed to watching browsers",
      registers: [registry],
    }),
  };
}
export type DetectionMetrics = ReturnType<typeof createDetectionMetrics>;
