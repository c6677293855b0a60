-- Per-camera totals (SPEC T3, V1): the VCC dashboard's "Top devices" needs one number per camera over the range,
-- not classes, directions or lines. Reading detection_counts_1h/_1d for it touched ~15 rows per camera x bucket (30
-- days, 50 cameras: ~23k rows for the daily level alone); these two levels keep one row per camera x type x bucket.
-- Hierarchical on detection_counts_1m (1m -> 1h -> 1d), real-time, WITH NO DATA; refresh, late rows and retention as
-- for the other detection aggregates (db/timescale/jobs.ts, app/models/detections/aggregates.server.ts).
CREATE MATERIALIZED VIEW detection_camera_totals_1h
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 hour', bucket) AS bucket, tenant_id, camera_id, type, sum(events)::bigint AS events
  FROM detection_counts_1m
  GROUP BY 1, 2, 3, 4
  WITH NO DATA;--> statement-breakpoint
CREATE MATERIALIZED VIEW detection_camera_totals_1d
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 day', bucket) AS bucket, tenant_id, camera_id, type, sum(events)::bigint AS events
  FROM detection_camera_totals_1h
  GROUP BY 1, 2, 3, 4
  WITH NO DATA;
