-- Detection events (SPEC T3, D3), following 0001's pattern: detection_events becomes a hypertable on corrected_utc
-- (1-day chunks: retention drops whole days; the unique (event_id, corrected_utc) index includes the time column,
-- as TimescaleDB requires). Per-minute counts of crossings and zone enters/exits, and an hourly aggregate over the
-- per-minute one (hierarchical), both real-time and created WITH NO DATA. Refresh and retention (raw and aggregate
-- retention are configurable) are registered in db/timescale/jobs.ts through server.ts; late rows behind the
-- watermark (a spool replayed after hours offline) are refreshed by app/models/detections/aggregates.server.ts.
SELECT create_hypertable('detection_events', by_range('corrected_utc', INTERVAL '1 day'));--> statement-breakpoint
CREATE MATERIALIZED VIEW detection_counts_1m
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 minute', corrected_utc) AS bucket, tenant_id, camera_id, type, line_id, zone_id,
    class, direction, count(*) AS events, sum(dwell_ms)::bigint AS dwell_ms_sum
  FROM detection_events
  WHERE type IN ('line_crossing', 'zone_enter', 'zone_exit')
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  WITH NO DATA;--> statement-breakpoint
CREATE MATERIALIZED VIEW detection_counts_1h
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 hour', bucket) AS bucket, tenant_id, camera_id, type, line_id, zone_id,
    class, direction, sum(events)::bigint AS events, sum(dwell_ms_sum)::bigint AS dwell_ms_sum
  FROM detection_counts_1m
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  WITH NO DATA;
