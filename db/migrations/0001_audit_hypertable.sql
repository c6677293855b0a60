-- The TimescaleDB pattern every time series in Argus follows (SPEC T3):
-- 1. a plain table declared in db/schema, turned into a hypertable here;
-- 2. continuous aggregates created WITH NO DATA (drizzle runs all migrations in one transaction,
--    and a first materialisation cannot run inside one), real-time (materialized_only = false) so
--    queries see rows that are not materialised yet;
-- 3. hierarchical aggregates (minute -> hour) so long ranges read few rows;
-- 4. refresh and retention are registered in db/timescale/jobs.ts, not here: the app's scheduler
--    runs them where the database runs no background jobs (embedded PGlite), and installs
--    TimescaleDB policies where it does.
CREATE EXTENSION IF NOT EXISTS timescaledb;--> statement-breakpoint
SELECT create_hypertable('audit_events', by_range('time', INTERVAL '7 days'));--> statement-breakpoint
CREATE MATERIALIZED VIEW audit_activity_1m
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 minute', "time") AS bucket, tenant_id, action, count(*) AS events
  FROM audit_events
  GROUP BY 1, 2, 3
  WITH NO DATA;--> statement-breakpoint
CREATE MATERIALIZED VIEW audit_activity_1h
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '1 hour', bucket) AS bucket, tenant_id, action, sum(events)::bigint AS events
  FROM audit_activity_1m
  GROUP BY 1, 2, 3
  WITH NO DATA;
