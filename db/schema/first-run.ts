// First-run checklist (issue 12 §2): what the landing page cannot read from real state elsewhere: whether this user
// has watched live video and opened analytics in this tenant, and whether they dismissed the checklist. Cameras,
// workers and counting lines are read from their own tables.
import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants, users } from "./auth";

export const firstRunMarks = pgTable(
  "first_run_marks",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** watched_live | opened_analytics | dismissed (app/models/first-run.server.ts FIRST_RUN_MARKS). */
    mark: text("mark").notNull(),
    /** The first time; later visits do not move it. */
    markedAt: timestamp("marked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId, t.mark] }), index("first_run_marks_user_idx").on(t.userId)],
);
