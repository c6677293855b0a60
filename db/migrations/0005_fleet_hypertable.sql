-- Worker status history follows the audit pattern (0001): a hypertable, retained by db/timescale/jobs.ts
-- in the app where the database runs no jobs. No continuous aggregate: the UI reads recent transitions.
SELECT create_hypertable('worker_status_history', by_range('time', INTERVAL '7 days'));
