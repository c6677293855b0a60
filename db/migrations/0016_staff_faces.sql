ALTER TYPE "public"."detection_event_type" ADD VALUE 'workstation_state';--> statement-breakpoint
ALTER TYPE "public"."detection_event_type" ADD VALUE 'workstation_output';--> statement-breakpoint
ALTER TYPE "public"."detection_event_type" ADD VALUE 'face_recognised';--> statement-breakpoint
ALTER TYPE "public"."detection_event_type" ADD VALUE 'face_unknown';--> statement-breakpoint
ALTER TYPE "public"."detection_event_type" ADD VALUE 'face_track_end';--> statement-breakpoint
CREATE TABLE "face_events" (
	"event_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"camera_id" uuid NOT NULL,
	"worker_id" text NOT NULL,
	"type" text NOT NULL,
	"track_id" integer NOT NULL,
	"person_id" uuid,
	"similarity" real,
	"margin" real,
	"box" real[],
	"first_seen" timestamp (3) with time zone,
	"visible_ms" bigint,
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
CREATE TABLE "face_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"threshold" real NOT NULL,
	"margin" real NOT NULL,
	"min_face_px" integer NOT NULL,
	"reclassify_seconds" real NOT NULL,
	"event_retention_days" integer DEFAULT 30 NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"gallery_revision" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_face_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"image" "bytea" NOT NULL,
	"mime" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"face_box" real[] NOT NULL,
	"face_score" real NOT NULL,
	"quality" jsonb NOT NULL,
	"embedding" "bytea" NOT NULL,
	"embedder_id" text NOT NULL,
	"embedder_version" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"employee_number" text,
	"site_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "face_settings" ADD CONSTRAINT "face_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_face_images" ADD CONSTRAINT "staff_face_images_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_face_images" ADD CONSTRAINT "staff_face_images_person_id_staff_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."staff_people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_face_images" ADD CONSTRAINT "staff_face_images_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_people" ADD CONSTRAINT "staff_people_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_people" ADD CONSTRAINT "staff_people_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "face_events_event_key" ON "face_events" USING btree ("event_id","corrected_utc");--> statement-breakpoint
CREATE INDEX "face_events_person_time_idx" ON "face_events" USING btree ("tenant_id","person_id","corrected_utc") WHERE "face_events"."person_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "staff_face_images_person_idx" ON "staff_face_images" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE INDEX "staff_face_images_tenant_idx" ON "staff_face_images" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_people_employee_number_key" ON "staff_people" USING btree ("tenant_id","employee_number");--> statement-breakpoint
CREATE INDEX "staff_people_tenant_name_idx" ON "staff_people" USING btree ("tenant_id","name");--> statement-breakpoint
-- Issue 14 (S1, D6): face events follow detection_events (0009): a hypertable on corrected_utc with 1-day chunks; the
-- unique (event_id, corrected_utc) key makes a replayed batch a duplicate. Retention is per tenant
-- (face_settings.event_retention_days, a DELETE in db/timescale/jobs.ts) under a global drop_chunks ceiling.
SELECT create_hypertable('face_events', by_range('corrected_utc', INTERVAL '1 day'));
