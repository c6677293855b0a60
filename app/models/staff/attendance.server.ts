// Attendance report (issue 14, S1): face events of a date range -> computeAttendance (pure, attendance.ts) in the
// tenant's zone (face_settings.timezone), with people's and cameras' names; JSON for the page and API, CSV with ISO
// times carrying the tenant zone's offset. Only events that name a person count (recognised, track end).
import { and, eq, gte, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { cameras, faceEvents, staffPeople } from "../../../db/schema";
import { badRequest } from "../../utils/errors.server";
import type { TenantScope } from "../scope.server";
import { computeAttendance, isoWithOffset, localDay, nextDay, startOfDay, type AttendanceEvent } from "./attendance";
import { getFaceSettings } from "./settings.server";

/** A report covers at most this many days (one query, computed in memory). */
export const MAX_ATTENDANCE_DAYS = 92;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date as YYYY-MM-DD");
export const attendanceQuerySchema = z
  .object({
    from: day.optional().describe("First local date (YYYY-MM-DD, the tenant's zone); default: 6 days before `to`"),
    to: day.optional().describe("Last local date, inclusive; default: today in the tenant's zone"),
    personId: z.uuid("personId must be a UUID").optional().describe("Only this person"),
    format: z.enum(["json", "csv"]).default("json").describe("`csv` answers text/csv (an attachment)"),
  })
  .strict();
export type AttendanceQuery = z.infer<typeof attendanceQuerySchema>;

export interface AttendanceRowView {
  day: string;
  personId: string;
  name: string;
  employeeNumber: string | null;
  firstSeen: string;
  lastSeen: string;
  cameras: Array<{ id: string; name: string }>;
  visibleSeconds: number;
  /** The merged visible spans of the day (UTC ISO), the ones visibleSeconds adds up; the page's chart draws them. */
  intervals: Array<{ start: string; end: string }>;
}

export interface AttendanceReport {
  timezone: string;
  from: string;
  to: string;
  attendance: AttendanceRowView[];
}

const validDay = (d: string) =>
  !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** Viewers and up: names and times only (no images). */
export async function attendanceReport(
  scope: TenantScope,
  query: Omit<AttendanceQuery, "format">,
): Promise<AttendanceReport> {
  const { timezone } = await getFaceSettings(scope.db, scope.tenantId);
  const to = query.to ?? localDay(Date.now(), timezone);
  let from = query.from;
  if (!from) {
    from = to;
    for (let i = 0; i < 6; i++) from = previousDay(from);
  }
  if (!validDay(from) || !validDay(to)) throw badRequest("Not a calendar date");
  if (from > to) throw badRequest("`from` is after `to`");
  let span = 1;
  for (let d = from; d < to && span <= MAX_ATTENDANCE_DAYS; d = nextDay(d)) span++;
  if (span > MAX_ATTENDANCE_DAYS) throw badRequest(`A report covers at most ${MAX_ATTENDANCE_DAYS} days`);
  const rangeStart = startOfDay(from, timezone);
  const rangeEnd = startOfDay(nextDay(to), timezone);
  // A track-end event is stored at the track's end; one that began before the range may still reach into it.
  const rows = await scope.db
    .select({
      personId: faceEvents.personId,
      cameraId: faceEvents.cameraId,
      type: faceEvents.type,
      at: faceEvents.correctedUtc,
      firstSeen: faceEvents.firstSeen,
      visibleMs: faceEvents.visibleMs,
    })
    .from(faceEvents)
    .innerJoin(staffPeople, eq(staffPeople.id, faceEvents.personId))
    .where(
      and(
        eq(faceEvents.tenantId, scope.tenantId),
        eq(staffPeople.tenantId, scope.tenantId),
        isNotNull(faceEvents.personId),
        inArray(faceEvents.type, ["face_recognised", "face_track_end"]),
        gte(faceEvents.correctedUtc, new Date(rangeStart - 86_400_000)),
        lt(faceEvents.correctedUtc, new Date(rangeEnd + 86_400_000)),
        query.personId ? eq(faceEvents.personId, query.personId) : sql`true`,
      ),
    );
  const events: AttendanceEvent[] = rows.map((r) => {
    const at = r.at.getTime();
    if (r.type === "face_track_end" && r.firstSeen && r.visibleMs !== null) {
      const start = r.firstSeen.getTime();
      return { personId: r.personId!, cameraId: r.cameraId, start, end: start + Number(r.visibleMs) };
    }
    return { personId: r.personId!, cameraId: r.cameraId, start: at, end: at };
  });
  const days = computeAttendance(events, timezone, from, to);
  const names = await namesOf(
    scope,
    days.map((d) => d.personId),
    days.flatMap((d) => d.cameraIds),
  );
  return {
    timezone,
    from,
    to,
    attendance: days.map((d) => ({
      day: d.day,
      personId: d.personId,
      name: names.people.get(d.personId)?.name ?? "(deleted)",
      employeeNumber: names.people.get(d.personId)?.employeeNumber ?? null,
      firstSeen: new Date(d.firstSeen).toISOString(),
      lastSeen: new Date(d.lastSeen).toISOString(),
      cameras: d.cameraIds.map((id) => ({ id, name: names.cameras.get(id) ?? id })),
      visibleSeconds: Math.round(d.visibleMs / 1000),
      intervals: d.intervals.map(([s, e]) => ({ start: new Date(s).toISOString(), end: new Date(e).toISOString() })),
    })),
  };
}

function previousDay(d: string): string {
  const [y, m, dd] = d.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, dd - 1)).toISOString().slice(0, 10);
}

async function namesOf(scope: TenantScope, personIds: string[], cameraIds: string[]) {
  const people = personIds.length
    ? await scope.db
        .select({ id: staffPeople.id, name: staffPeople.name, employeeNumber: staffPeople.employeeNumber })
        .from(staffPeople)
        .where(and(eq(staffPeople.tenantId, scope.tenantId), inArray(staffPeople.id, [...new Set(personIds)])))
    : [];
  const cams = cameraIds.length
    ? await scope.db
        .select({ id: cameras.id, name: cameras.name })
        .from(cameras)
        .where(and(eq(cameras.tenantId, scope.tenantId), inArray(cameras.id, [...new Set(cameraIds)])))
    : [];
  return {
    people: new Map(people.map((p) => [p.id, p])),
    cameras: new Map(cams.map((c) => [c.id, c.name])),
  };
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  // Quote what needs it, and defuse spreadsheet formulas in names (a name may start with = + - @).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Pure: the report as CSV; times are ISO 8601 with the tenant zone's offset. */
export function attendanceCsv(report: AttendanceReport): string {
  const header = [
    "date",
    "person_id",
    "name",
    "employee_number",
    "first_seen",
    "last_seen",
    "cameras",
    "visible_seconds",
  ];
  const lines = report.attendance.map((r) =>
    [
      r.day,
      r.personId,
      r.name,
      r.employeeNumber,
      isoWithOffset(Date.parse(r.firstSeen), report.timezone),
      isoWithOffset(Date.parse(r.lastSeen), report.timezone),
      r.cameras.map((c) => c.name).join("; "),
      r.visibleSeconds,
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}
