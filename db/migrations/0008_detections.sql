CREATE TYPE "public"."detection_event_type" AS ENUM('track_start', 'line_crossing', 'zone_enter', 'zone_exit', 'scene_warning');--> statement-breakpoint
CREATE TABLE "detection_events" (
	"event_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"camera_id" uuid NOT NULL,
	"worker_id" text NOT NULL,
	"type" "detection_event_type" NOT NULL,
	"class" text,
	"track_id" integer,
	"confidence" real,
	"line_id" text,
	"zone_id" text,
	"direction" text,
	"dwell_ms" bigint,
	"warning" text,
	"box" real[],
	"details" jsonb,
	"model_id" text NOT NULL,
	"model_version" text NOT NULL,
	"utc_timestamp" timestamp (3) with time zone NOT NULL,
	"local_time" text NOT NULL,
	"timezone_offset" integer NOT NULL,
	"drift_offset" bigint NOT NULL,
	"corrected_utc" timestamp (3) with time zone NOT NULL,
	"lamport" bigint NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "detection_models" (
	"id" text NOT NULL,
	"version" text NOT NULL,
	"tenant_id" uuid,
	"format" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"input_width" integer NOT NULL,
	"input_height" integer NOT NULL,
	"classes" jsonb NOT NULL,
	"licence" text,
	"source" text,
	"builtin" boolean DEFAULT false NOT NULL,
	"file_path" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "detection_models_id_version_pk" PRIMARY KEY("id","version")
);
--> statement-breakpoint
ALTER TABLE "cameras" ADD COLUMN "detection" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cameras" ADD COLUMN "scene" jsonb DEFAULT '{"lines":[],"zones":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "detection_models" ADD CONSTRAINT "detection_models_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "detection_events_event_key" ON "detection_events" USING btree ("event_id","corrected_utc");--> statement-breakpoint
CREATE INDEX "detection_events_camera_time_idx" ON "detection_events" USING btree ("tenant_id","camera_id","corrected_utc","lamport");--> statement-breakpoint
CREATE INDEX "detection_models_tenant_idx" ON "detection_models" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "detection_models_created_idx" ON "detection_models" USING btree ("id","created_at" DESC);