-- Factory productivity time series (SPEC P1, P2, T3), following 0001's pattern:
-- productivity_events becomes a hypertable (1-day chunks: ingest is dense, queries are by day/hour);
-- an hourly continuous aggregate over it and a daily one over the hourly (hierarchical), both
-- real-time (materialized_only = false) and created WITH NO DATA. Refresh and retention are
-- registered in db/timescale/jobs.ts. Late (out-of-order) rows behind the materialisation
-- watermark are picked up by app/models/productivity/aggregates.server.ts's targeted refresh.
SELECT create_hypertable('productivity_events', by_range('time', INTERVAL '1 day'));--> statement-breakpoint
CREATE MATERIALIZED VIEW productivity_events_1h
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 hour', "time") AS bucket, tenant_id, worker_id, workstation_id, event_type,
    model_id, model_version, count(*) AS events, sum(confidence)::float8 AS confidence_sum, sum("count")::bigint AS units
  FROM productivity_events
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  WITH NO DATA;--> statement-breakpoint
CREATE MATERIALIZED VIEW productivity_events_1d
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 day', bucket) AS bucket, tenant_id, worker_id, workstation_id, event_type,
    model_id, model_version, sum(events)::bigint AS events, sum(confidence_sum)::float8 AS confidence_sum, sum(units)::bigint AS units
  FROM productivity_events_1h
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  WITH NO DATA;
