-- Shared worker pool (issue 12, A3/A4/O1): a credential issued by a platform admin (and the built-in local worker's)
-- is shared; its worker serves every tenant's cameras. Heartbeat stats over time for the worker page (A2).
CREATE TABLE "worker_metric_samples" (
	"time" timestamp with time zone NOT NULL,
	"worker_id" text NOT NULL,
	"cpu_percent" real,
	"memory_mb" real,
	"fps" real,
	"latency_ms" real
);
--> statement-breakpoint
ALTER TABLE "worker_credentials" ADD COLUMN "shared" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "workers" ADD COLUMN "shared" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "worker_metric_samples_worker_time_idx" ON "worker_metric_samples" USING btree ("worker_id","time");--> statement-breakpoint
SELECT create_hypertable('worker_metric_samples', by_range('time', INTERVAL '1 day'));--> statement-breakpoint
-- The built-in local worker has always been meant for every tenant (O1): its credential and worker become shared.
UPDATE "worker_credentials" SET "shared" = true WHERE "name" = 'local (built-in)';--> statement-breakpoint
UPDATE "workers" SET "shared" = true WHERE "credential_id" IN (SELECT "id" FROM "worker_credentials" WHERE "shared");
