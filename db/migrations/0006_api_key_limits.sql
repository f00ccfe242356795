CREATE TABLE "api_key_notices" (
	"key_id" uuid NOT NULL,
	"limit_name" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"threshold_percent" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_key_notices_key_id_limit_name_period_start_threshold_percent_pk" PRIMARY KEY("key_id","limit_name","period_start","threshold_percent")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "total_limit_mrp" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "limit_period" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "period_limit_mrp" bigint;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "spent_mrp" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "period_spent_mrp" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "held_mrp" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "models" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "kinds" text[];--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "requests_per_minute" integer;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "tokens_per_minute" integer;--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "api_key_notices" ADD CONSTRAINT "api_key_notices_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "holds_api_key_idx" ON "holds" USING btree ("api_key_id","resolved_at") WHERE "holds"."api_key_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_held_nonnegative" CHECK ("api_keys"."held_mrp" >= 0);--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_limits_nonnegative" CHECK ("api_keys"."total_limit_mrp" >= 0 AND "api_keys"."period_limit_mrp" >= 0);--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_period_pair" CHECK (("api_keys"."limit_period" IS NULL) = ("api_keys"."period_limit_mrp" IS NULL));