// The attendance chart (issue 14, S1): one lane per person across the selected range, a light span from first to
// last seen on each day and dark bars for the intervals a camera had the person in view - the SAME merged intervals
// whose lengths make the table's "Visible" column (computeAttendance in models/staff/attendance.ts). Days are the
// tenant's attendance days (grid lines at its local midnights, as the table); clock times on the axis, in the hover
// readout and in the text alternative are in the viewer's zone. Plain HTML boxes positioned in percent rather than a
// canvas: a lane of intervals is not a time series (the app's TimeChart), and boxes stay crisp and fit a phone.
import { useEffect, useMemo, useState } from "react";
import { nextDay, startOfDay } from "~/models/staff/attendance";
import { zoneOffsetMs } from "~/components/vcc/range";
import { formatDuration } from "./format";

export interface TimelineRow {
  day: string;
  personId: string;
  name: string;
  firstSeen: string;
  lastSeen: string;
  intervals: Array<{ start: string; end: string }>;
}

interface Lane {
  personId: string;
  name: string;
  spans: Array<[number, number]>;
  bars: Array<[number, number]>;
  visibleMs: number;
}

const HOUR = 3600_000;
/** Text alternative: at most this many intervals are read out per person (the table has every day). */
const READ_OUT = 8;

/** Pure: rows (person-days) -> one lane per person, by name, with all their days' spans and intervals. */
export function lanesOf(rows: TimelineRow[]): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const r of rows) {
    const lane = lanes.get(r.personId) ?? { personId: r.personId, name: r.name, spans: [], bars: [], visibleMs: 0 };
    lane.spans.push([Date.parse(r.firstSeen), Date.parse(r.lastSeen)]);
    for (const i of r.intervals) {
      const bar: [number, number] = [Date.parse(i.start), Date.parse(i.end)];
      lane.bars.push(bar);
      lane.visibleMs += bar[1] - bar[0];
    }
    lanes.set(r.personId, lane);
  }
  return [...lanes.values()].sort((a, b) => a.name.localeCompare(b.name) || a.personId.localeCompare(b.personId));
}

/** Pure: axis ticks. Up to two days: whole hours in the viewer's zone; longer: the tenant's days, thinned. */
export function ticksOf(
  from: string,
  to: string,
  tenantZone: string,
  viewerZone: string,
): { start: number; end: number; ticks: Array<{ at: number; label: string }>; midnights: number[] } {
  const start = startOfDay(from, tenantZone);
  const end = startOfDay(nextDay(to), tenantZone);
  const midnights: number[] = [];
  const days: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) {
    days.push(d);
    midnights.push(startOfDay(d, tenantZone));
  }
  if (end - start <= 50 * HOUR) {
    const step = end - start <= 26 * HOUR ? 4 : 8;
    const time = new Intl.DateTimeFormat([], { hour: "numeric", timeZone: viewerZone });
    const ticks: Array<{ at: number; label: string }> = [];
    // Whole hours of the viewer's zone (a zone offset may be a half hour: step from the first local whole hour).
    const offset = zoneOffsetMs(start, viewerZone);
    for (let t = Math.ceil((start + offset) / HOUR) * HOUR - offset; t < end; t += HOUR) {
      const hour = new Date(t + zoneOffsetMs(t, viewerZone)).getUTCHours();
      if (hour % step === 0) ticks.push({ at: t, label: time.format(t) });
    }
    return { start, end, ticks, midnights };
  }
  const every = Math.ceil(days.length / 7);
  const date = new Intl.DateTimeFormat([], { day: "numeric", month: "short", timeZone: "UTC" });
  const ticks = days
    .map((d, i) => ({ at: midnights[i]!, label: date.format(Date.parse(`${d}T00:00:00Z`)) }))
    .filter((_, i) => i % every === 0);
  return { start, end, ticks, midnights: days.length <= 31 ? midnights : [] };
}

export function AttendanceTimeline({
  rows,
  from,
  to,
  timezone,
}: {
  rows: TimelineRow[];
  from: string;
  to: string;
  timezone: string;
}) {
  // The server renders in UTC; the browser switches to the viewer's zone after hydration (as LocalTime does).
  const [viewerZone, setViewerZone] = useState("UTC");
  useEffect(() => setViewerZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"), []);
  const [readout, setReadout] = useState("");
  const lanes = useMemo(() => lanesOf(rows), [rows]);
  const axis = useMemo(() => ticksOf(from, to, timezone, viewerZone), [from, to, timezone, viewerZone]);
  const oneDay = axis.end - axis.start <= 26 * HOUR;
  const clock = new Intl.DateTimeFormat([], {
    ...(oneDay ? {} : { weekday: "short", day: "numeric", month: "short" }),
    hour: "2-digit",
    minute: "2-digit",
    timeZone: viewerZone,
  });
  const span = ([s, e]: [number, number]) => `${clock.format(s)}–${clock.format(e)}`;
  const pct = (t: number) => `${(((t - axis.start) / (axis.end - axis.start)) * 100).toFixed(3)}%`;
  const width = ([s, e]: [number, number]) => `${(((e - s) / (axis.end - axis.start)) * 100).toFixed(3)}%`;
  if (!lanes.length) return null;
  const zoneNote = viewerZone === "UTC" ? "UTC" : "your time zone";
  return (
    <figure
      // A short name of its own: the caption says "from" and "to", which would also match the range fields' labels.
      aria-label="Who was here"
      data-testid="attendance-chart"
      data-lanes={lanes.length}
      data-intervals={lanes.reduce((n, l) => n + l.bars.length, 0)}
      className="min-w-0"
    >
      <figcaption className="mb-3 text-sm text-slate-600">
        Who was here, {from === to ? from : `${from} to ${to}`}: <span className="font-medium">dark</span> while a
        camera had the person in view, <span className="font-medium">light</span> from first to last seen that day.
        Times in {zoneNote}
        {oneDay || !axis.midnights.length ? "" : `; grid lines at midnight ${timezone}`}.
      </figcaption>
      <ul className="space-y-1.5">
        {lanes.map((lane) => (
          <li key={lane.personId} className="flex min-w-0 items-center gap-2" data-testid="attendance-lane">
            <span className="w-20 shrink-0 truncate text-xs font-medium text-slate-700 sm:w-36" title={lane.name}>
              {lane.name}
            </span>
            <span className="sr-only">
              {`: in view ${formatDuration(Math.round(lane.visibleMs / 1000))}${lane.bars.length ? `, ${lane.bars.slice(0, READ_OUT).map(span).join(", ")}` : ""}${lane.bars.length > READ_OUT ? ` and ${lane.bars.length - READ_OUT} more (see the table)` : ""}.`}
            </span>
            <span aria-hidden="true" className="relative h-5 min-w-0 flex-1 overflow-hidden rounded bg-slate-50">
              {axis.midnights.map((m) => (
                <span key={m} className="absolute inset-y-0 w-px bg-slate-200" style={{ left: pct(m) }} />
              ))}
              {lane.spans.map((s) => (
                <span
                  key={`s${s[0]}`}
                  className="absolute inset-y-1 rounded-sm bg-indigo-200"
                  style={{ left: pct(s[0]), width: width(s), minWidth: 2 }}
                  title={`${lane.name}: first seen ${clock.format(s[0])}, last seen ${clock.format(s[1])}`}
                  onMouseEnter={() =>
                    setReadout(`${lane.name}: first seen ${clock.format(s[0])}, last seen ${clock.format(s[1])}`)
                  }
                />
              ))}
              {lane.bars.map((b) => (
                <span
                  key={`b${b[0]}`}
                  data-testid="attendance-interval"
                  className="absolute inset-y-0 rounded-sm bg-indigo-600"
                  style={{ left: pct(b[0]), width: width(b), minWidth: 2 }}
                  title={`${lane.name}: in view ${span(b)} (${formatDuration(Math.round((b[1] - b[0]) / 1000))})`}
                  onMouseEnter={() =>
                    setReadout(`${lane.name}: in view ${span(b)} (${formatDuration(Math.round((b[1] - b[0]) / 1000))})`)
                  }
                />
              ))}
            </span>
          </li>
        ))}
      </ul>
      <div aria-hidden="true" className="mt-1 flex gap-2">
        <span className="w-20 shrink-0 sm:w-36" />
        <span className="relative h-4 min-w-0 flex-1 overflow-hidden text-[11px] text-slate-500">
          {axis.ticks.map((t, i) => {
            const at = (t.at - axis.start) / (axis.end - axis.start);
            // Labels near an edge are anchored inside the axis instead of centred (nothing spills over).
            const shift = at < 0.06 ? "0" : at > 0.94 ? "-100%" : "-50%";
            return (
              <span
                key={t.at}
                // On a phone every other label only, so they never run into each other.
                className={`absolute whitespace-nowrap ${i % 2 ? "hidden sm:inline" : ""}`}
                style={{ left: pct(t.at), transform: `translateX(${shift})` }}
              >
                {t.label}
              </span>
            );
          })}
        </span>
      </div>
      <p className="mt-2 min-h-4 text-xs text-slate-600" aria-live="polite" data-testid="attendance-readout">
        {readout || "Point at a bar for its times."}
      </p>
    </figure>
  );
}
