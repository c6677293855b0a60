CREATE TYPE "public"."assignment_state" AS ENUM('pending', 'active', 'released', 'failed');--> statement-breakpoint
CREATE TYPE "public"."camera_kind" AS ENUM('browser', 'rtsp');--> statement-breakpoint
CREATE TYPE "public"."command_state" AS ENUM('queued', 'sent', 'acked', 'failed', 'timeout', 'cancelled');--> statement-breakpoint
CREATE TABLE "camera_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"camera_id" uuid NOT NULL,
	"worker_id" text NOT NULL,
	"state" "assignment_state" DEFAULT 'pending' NOT NULL,
	"reason" text NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cameras" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"site_id" uuid,
	"name" text NOT NULL,
	"kind" "camera_kind" NOT NULL,
	"rtsp_url" text,
	"analysis_fps" real DEFAULT 5 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"want_assigned" boolean DEFAULT false NOT NULL,
	"assignment_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "worker_commands" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"worker_id" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"state" "command_state" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"timeout_ms" integer NOT NULL,
	"assignment_id" uuid,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"acked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "worker_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "worker_status_history" (
	"time" timestamp with time zone DEFAULT now() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"worker_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"credential_id" uuid,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"version" text NOT NULL,
	"capacity" integer NOT NULL,
	"capabilities" jsonb NOT NULL,
	"status" text NOT NULL,
	"maintenance" boolean DEFAULT false NOT NULL,
	"heartbeat_ms" integer NOT NULL,
	"metrics" jsonb,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"drift_ms" integer
);
--> statement-breakpoint
ALTER TABLE "camera_assignments" ADD CONSTRAINT "camera_assignments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "camera_assignments" ADD CONSTRAINT "camera_assignments_camera_id_cameras_id_fk" FOREIGN KEY ("camera_id") REFERENCES "public"."cameras"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "camera_assignments" ADD CONSTRAINT "camera_assignments_worker_id_workers_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."workers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cameras" ADD CONSTRAINT "cameras_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cameras" ADD CONSTRAINT "cameras_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_commands" ADD CONSTRAINT "worker_commands_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_commands" ADD CONSTRAINT "worker_commands_worker_id_workers_id_fk" FOREIGN KEY ("worker_id") REFERENCES "public"."workers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_credentials" ADD CONSTRAINT "worker_credentials_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "worker_credentials" ADD CONSTRAINT "worker_credentials_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workers" ADD CONSTRAINT "workers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workers" ADD CONSTRAINT "workers_credential_id_worker_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."worker_credentials"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "camera_assignments_current_key" ON "camera_assignments" USING btree ("camera_id") WHERE state in ('pending', 'active');--> statement-breakpoint
CREATE INDEX "camera_assignments_worker_idx" ON "camera_assignments" USING btree ("worker_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "cameras_tenant_name_key" ON "cameras" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "cameras_site_idx" ON "cameras" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "worker_commands_worker_idx" ON "worker_commands" USING btree ("worker_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "worker_credentials_hash_key" ON "worker_credentials" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "worker_credentials_tenant_idx" ON "worker_credentials" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "worker_status_history_worker_time_idx" ON "worker_status_history" USING btree ("worker_id","time");--> statement-breakpoint
CREATE INDEX "workers_tenant_idx" ON "workers" USING btree ("tenant_id");