// Live video (SPEC C2): per-camera publish tokens, so a kiosk browser publishes a browser camera without a user
// account. Only a SHA-256 hash of the token is stored; the token is shown once; revoking sets revoked_at.
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants, users } from "./auth";
import { cameras } from "./fleet";

export const cameraPublishTokens = pgTable(
  "camera_publish_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    cameraId: uuid("camera_id")
      .notNull()
      .references(() => cameras.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** First characters of the token, so people can tell links apart. */
    prefix: text("prefix").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("camera_publish_tokens_hash_key").on(t.tokenHash),
    index("camera_publish_tokens_camera_idx").on(t.cameraId),
  ],
);
