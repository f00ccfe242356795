ALTER TABLE "jobs" ADD COLUMN "uncollected_mrp" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "jobs_uncollected_idx" ON "jobs" USING btree ("created_at") WHERE "jobs"."uncollected_mrp" > 0;--> statement-breakpoint
CREATE INDEX "jobs_hold_idx" ON "jobs" USING btree ("hold_id") WHERE "jobs"."hold_id" IS NOT NULL;