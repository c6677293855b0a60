// GET /api/v1/attendance: per person per day in the tenant's zone, first and last seen, cameras and visible time,
// from face events (issue 14, S1; docs/staff.md). JSON, or CSV with `format=csv` (times ISO 8601 with the zone's offset).
import { tenantMember } from "~/http/api-route-guards.server";
import { defineApiRoute, queryOf } from "~/http/api-route.server";
import { attendanceCsv, attendanceQuerySchema, attendanceReport } from "~/models/staff/attendance.server";

const route = defineApiRoute({ path: "/api/v1/attendance", tag: "Staff" }, (op) => ({
  get: op({
    summary: "Attendance report",
    description:
      "One row per person per local day (the tenant's face-settings time zone) with `firstSeen`/`lastSeen` (UTC ISO in JSON), the cameras, and `visibleSeconds` (the union of the intervals the person's tracks were in view, clipped to the day; `intervals` lists those merged spans as `{start, end}`). At most 92 days. `format=csv` answers `text/csv`: date, person_id, name, employee_number, first_seen, last_seen (ISO 8601 with the tenant zone's offset), cameras, visible_seconds.",
    auth: tenantMember("viewer"),
    query: queryOf(attendanceQuerySchema, { message: "Invalid attendance query" }),
    responses: {
      200: "`{timezone, from, to, attendance: [...]}` or CSV (`text/csv`)",
      400: "Invalid dates or range",
    },
    handler: async ({ auth: { scope }, query }) => {
      const { format, ...rest } = query;
      const report = await attendanceReport(scope, rest);
      if (format !== "csv") return report;
      return new Response(attendanceCsv(report), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="attendance-${report.from}-to-${report.to}.csv"`,
        },
      });
    },
  }),
}));

export const loader = route.loader;
export const action = route.action;
