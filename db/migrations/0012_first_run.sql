CREATE TABLE "first_run_marks" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"mark" text NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "first_run_marks_tenant_id_user_id_mark_pk" PRIMARY KEY("tenant_id","user_id","mark")
);
--> statement-breakpoint
ALTER TABLE "first_run_marks" ADD CONSTRAINT "first_run_marks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "first_run_marks" ADD CONSTRAINT "first_run_marks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "first_run_marks_user_idx" ON "first_run_marks" USING btree ("user_id");
