CREATE TYPE "public"."productivity_event_type" AS ENUM('working', 'idle', 'absent', 'product_count');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "factory_workers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "factory_workstations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"station_type" text DEFAULT 'assembly' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "productivity_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"model_key" text NOT NULL,
	"message" text NOT NULL,
	"value" double precision NOT NULL,
	"threshold" double precision NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "productivity_events" (
	"time" timestamp with time zone NOT NULL,
	"tenant_id" uuid NOT NULL,
	"worker_id" text NOT NULL,
	"workstation_id" text NOT NULL,
	"event_type" "productivity_event_type" NOT NULL,
	"confidence" real NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	"model_id" text,
	"model_version" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "productivity_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"state_duration_seconds" integer DEFAULT 300 NOT NULL,
	"auto_create_entities" boolean DEFAULT false NOT NULL,
	"drift_confidence_threshold" real DEFAULT 0.6 NOT NULL,
	"drift_kl_threshold" real DEFAULT 0.5 NOT NULL,
	"drift_window_minutes" integer DEFAULT 60 NOT NULL,
	"drift_baseline_hours" integer DEFAULT 24 NOT NULL,
	"drift_min_events" integer DEFAULT 20 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "factory_workers" ADD CONSTRAINT "factory_workers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "factory_workstations" ADD CONSTRAINT "factory_workstations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "productivity_alerts" ADD CONSTRAINT "productivity_alerts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "productivity_alerts" ADD CONSTRAINT "productivity_alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "productivity_settings" ADD CONSTRAINT "productivity_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_idx" ON "api_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "factory_workers_tenant_external_key" ON "factory_workers" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "factory_workstations_tenant_external_key" ON "factory_workstations" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "productivity_alerts_open_key" ON "productivity_alerts" USING btree ("tenant_id","kind","model_key") WHERE resolved_at IS NULL;--> statement-breakpoint
CREATE INDEX "productivity_alerts_tenant_raised_idx" ON "productivity_alerts" USING btree ("tenant_id","raised_at");--> statement-breakpoint
CREATE UNIQUE INDEX "productivity_events_dedupe_key" ON "productivity_events" USING btree ("tenant_id","worker_id","workstation_id","event_type","time");--> statement-breakpoint
CREATE INDEX "productivity_events_tenant_time_idx" ON "productivity_events" USING btree ("tenant_id","time");