// Attendance (issue 14, S1): per person per day in the tenant's zone (the face-settings time zone), with a date range,
// a person filter and CSV export (GET /api/v1/attendance?format=csv, ISO times with the tenant zone's offset).
// Times on the page are shown in the viewer's own zone. Viewers see it too: names and times, never images.
// Above the table, a chart of the same rows' visible intervals (components/staff/attendance-timeline). Live: stored
// face events of this tenant ("faces:stored") reload the data, at most every 5 s.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireTenant } from "~/auth/guards.server";
import { Button, Card, Field, FormError, PageHeader, SelectField } from "~/components/form";
import { LiveIndicator } from "~/components/live-indicator";
import { LocalTime } from "~/components/local-time";
import { AttendanceTimeline } from "~/components/staff/attendance-timeline";
import { formatDuration } from "~/components/staff/format";
import { useThrottledRevalidate } from "~/components/use-throttled-revalidate";
import { EmptyRow, Table, Td } from "~/components/table";
import { useRealtime } from "~/components/use-realtime";
import { listPeople } from "~/models/staff/people.server";
import { attendanceQuerySchema, attendanceReport, type AttendanceReport } from "~/models/staff/attendance.server";
import { HttpError } from "~/utils/errors.server";

export const meta: MetaFunction = () => [{ title: "Attendance · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, v]) => v !== ""));
  const people = (await listPeople(scope)).map((p) => ({ id: p.id, name: p.name }));
  const parsed = attendanceQuerySchema.omit({ format: true }).safeParse(params);
  let report: AttendanceReport | null = null;
  let error: string | null = null;
  if (!parsed.success) error = parsed.error.issues[0]?.message ?? "Invalid query";
  else
    try {
      report = await attendanceReport(scope, parsed.data);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      error = e.message;
    }
  return { people, report, error, personId: parsed.success ? (parsed.data.personId ?? "") : "" };
}

/** Live reloads at most this often, however many face events arrive. */
const REVALIDATE_EVERY_MS = 5000;

export default function AttendancePage() {
  const { people, report, error, personId } = useLoaderData<typeof loader>();
  const loading = useNavigation().state === "loading";
  const revalidate = useThrottledRevalidate(REVALIDATE_EVERY_MS);
  const connected = useRealtime({ "faces:stored": () => revalidate() });
  const csv = report
    ? `/api/v1/attendance?${new URLSearchParams({
        format: "csv",
        from: report.from,
        to: report.to,
        ...(personId ? { personId } : {}),
      })}`
    : null;
  return (
    <div>
      <PageHeader
        title="Attendance"
        description={`First and last seen per person per day, from face recognition.${report ? ` Days are counted in ${report.timezone}; times are shown in your time zone.` : ""}`}
        actions={
          <div className="flex items-center gap-4">
            <LiveIndicator connected={connected} />
            <Link to="/staff" className="text-sm font-medium text-indigo-700 hover:underline">
              Staff
            </Link>
          </div>
        }
      />
      <div className="space-y-6">
        <Card>
          <Form method="get" className="grid gap-4 sm:grid-cols-4 sm:items-end">
            <Field label="From" name="from" id="attendance-from" type="date" defaultValue={report?.from ?? ""} />
            <Field label="To" name="to" id="attendance-to" type="date" defaultValue={report?.to ?? ""} />
            <SelectField label="Person" name="personId" id="attendance-person" defaultValue={personId}>
              <option value="">Everyone</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </SelectField>
            <div className="flex flex-wrap items-center gap-3">
              <Button disabled={loading}>{loading ? "Loading…" : "Show"}</Button>
              {csv ? (
                <a href={csv} download className="text-sm font-medium text-indigo-700 hover:underline">
                  Export CSV
                </a>
              ) : null}
            </div>
          </Form>
          <div className="mt-3">
            <FormError message={error} />
          </div>
        </Card>
        {report ? (
          <Card
            title={`${report.attendance.length} ${report.attendance.length === 1 ? "day" : "person-days"}, ${report.from} to ${report.to}`}
          >
            <div aria-busy={loading}>
              {report.attendance.length ? (
                <div className="mb-6">
                  <AttendanceTimeline
                    rows={report.attendance}
                    from={report.from}
                    to={report.to}
                    timezone={report.timezone}
                  />
                </div>
              ) : null}
              <Table caption="Attendance" columns={["Date", "Person", "First seen", "Last seen", "Cameras", "Visible"]}>
                {report.attendance.length === 0 ? (
                  <EmptyRow colSpan={6}>No one was recognised in this range.</EmptyRow>
                ) : null}
                {report.attendance.map((r) => (
                  <tr key={`${r.day}-${r.personId}`}>
                    <Td className="whitespace-nowrap">{r.day}</Td>
                    <Td className="font-medium">{r.name}</Td>
                    <Td className="whitespace-nowrap">
                      <LocalTime iso={r.firstSeen} />
                    </Td>
                    <Td className="whitespace-nowrap">
                      <LocalTime iso={r.lastSeen} />
                    </Td>
                    <Td>{r.cameras.map((c) => c.name).join(", ")}</Td>
                    <Td className="whitespace-nowrap">{formatDuration(r.visibleSeconds)}</Td>
                  </tr>
                ))}
              </Table>
            </div>
          </Card>
        ) : null}
      </div>
    </div>
  );
}
