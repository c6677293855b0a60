-- Daily detection counts (SPEC T3, V2): a third level of the hierarchy, on detection_counts_1h (which is on
-- detection_counts_1m), real-time and created WITH NO DATA like the others; refresh and retention are registered in
-- db/timescale/jobs.ts. Its days are UTC days: it answers 1d buckets in UTC only. A 1d bucket in another zone is
-- re-bucketed from the hourly aggregate with time_bucket('1 day', bucket, tz) (DST days have 23 or 25 hours), and
-- from the per-minute one in zones whose offset is not a whole number of hours (app/models/vcc/query.server.ts).
CREATE MATERIALIZED VIEW detection_counts_1d
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 day', bucket) AS bucket, tenant_id, camera_id, type, line_id, zone_id,
    class, direction, sum(events)::bigint AS events, sum(dwell_ms_sum)::bigint AS dwell_ms_sum
  FROM detection_counts_1h
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  WITH NO DATA;
