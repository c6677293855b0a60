-- Tenant-wide detection counts (SPEC T3, V1-V3): the VCC dashboard's default view is "All cameras", and reading the
-- per-camera aggregates for it touched one row per camera x line x class x direction x bucket (30 days at 1h for 50
-- cameras: ~290k rows, 0.7-1 s embedded). These three levels drop camera, line and zone (per tenant x type x class x
-- direction only), so the same chart reads ~6k rows. Same shape as detection_counts_1m/_1h/_1d: real-time
-- (the newest, not yet materialised bucket is computed on read), created WITH NO DATA, refreshed and dropped by the
-- jobs in db/timescale/jobs.ts, late rows refreshed on ingest (app/models/detections/aggregates.server.ts).
-- The per-minute level reads detection_events itself (not detection_counts_1m) so its invalidations come straight
-- from the raw hypertable, like detection_counts_1m's.
CREATE MATERIALIZED VIEW detection_counts_tenant_1m
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 minute', corrected_utc) AS bucket, tenant_id, type, class, direction,
    count(*) AS events
  FROM detection_events
  WHERE type IN ('line_crossing', 'zone_enter', 'zone_exit')
  GROUP BY 1, 2, 3, 4, 5
  WITH NO DATA;--> statement-breakpoint
CREATE MATERIALIZED VIEW detection_counts_tenant_1h
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 hour', bucket) AS bucket, tenant_id, type, class, direction,
    sum(events)::bigint AS events
  FROM detection_counts_tenant_1m
  GROUP BY 1, 2, 3, 4, 5
  WITH NO DATA;--> statement-breakpoint
CREATE MATERIALIZED VIEW detection_counts_tenant_1d
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 day', bucket) AS bucket, tenant_id, type, class, direction,
    sum(events)::bigint AS events
  FROM detection_counts_tenant_1h
  GROUP BY 1, 2, 3, 4, 5
  WITH NO DATA;
