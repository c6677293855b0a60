-- Issue 13: where each productivity event came from ("api" = REST ingestion, "camera" = a worker's workstation zone,
-- "device" = on-device analysis in a browser), and for camera events which camera and zone. Existing rows were all
-- posted through the API. Not part of the dedupe key nor of the aggregates: metrics stay the same whatever the source.
ALTER TABLE "productivity_events" ADD COLUMN "source" text DEFAULT 'api' NOT NULL;--> statement-breakpoint
ALTER TABLE "productivity_events" ADD COLUMN "source_ref" text;
