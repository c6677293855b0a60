// Range and bucket controls (V2): presets relative to now, a custom range picked on two calendars (react-day-picker,
// range mode, the selection highlighted across both months) with start and end times, and bucket presets that are
// disabled, with a title saying why, when they would draw more than MAX_POINTS bars. Dates and times are the
// viewer's (the browser's zone, which the page sends as `tz`); the URL carries the instants as ISO UTC.
import type { LinksFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { useId, useState } from "react";
import { DayPicker, type DateRange } from "react-day-picker";
import dayPickerStyles from "react-day-picker/style.css";
import { MAX_POINTS, VCC_BUCKETS, type VccBucket } from "~/models/vcc/types";
import { BUCKET_LABELS, bucketFits, PRESET_LABELS, pointsFor, RANGE_PRESETS, type RangePreset } from "./range";

export const rangePickerLinks: LinksFunction = () => [{ rel: "stylesheet", href: dayPickerStyles }];

const pad = (n: number) => String(n).padStart(2, "0");
const timeOf = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
const dayOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());

/** A local calendar day at a local "HH:MM" (DST-correct: the Date constructor resolves the zone's offset). */
export function atLocalTime(day: Date, time: string): Date {
  const [h, m] = time.split(":").map(Number);
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), h || 0, m || 0);
}

export function PresetBar({
  preset,
  hrefFor,
}: {
  preset: RangePreset | null;
  hrefFor: (preset: RangePreset) => string;
}) {
  return (
    <nav aria-label="Time range presets" className="flex flex-wrap gap-1.5">
      {RANGE_PRESETS.map((p) => (
        <Link
          key={p}
          to={hrefFor(p)}
          data-preset={p}
          aria-current={p === preset ? "true" : undefined}
          className={`rounded-md px-2.5 py-1.5 text-sm ring-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${p === preset ? "bg-indigo-600 text-white ring-indigo-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
        >
          {PRESET_LABELS[p]}
        </Link>
      ))}
    </nav>
  );
}

export function BucketBar({
  bucket,
  start,
  end,
  tz,
  onPick,
}: {
  bucket: VccBucket;
  start: number;
  end: number;
  tz: string;
  onPick: (bucket: VccBucket) => void;
}) {
  return (
    <div role="group" aria-label="Bucket size" className="inline-flex flex-wrap gap-1.5">
      {VCC_BUCKETS.map((b) => {
        const fits = bucketFits(start, end, b, tz);
        return (
          <button
            key={b}
            type="button"
            data-bucket={b}
            aria-pressed={b === bucket}
            disabled={!fits}
            title={
              fits
                ? `One bar per ${BUCKET_LABELS[b]}`
                : `${pointsFor(start, end, b, tz).toLocaleString()} bars: more than ${MAX_POINTS.toLocaleString()} for this range; pick a shorter range or a larger bucket`
            }
            onClick={() => onPick(b)}
            className={`rounded-md px-2.5 py-1.5 text-sm ring-1 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-40 ${b === bucket ? "bg-slate-800 text-white ring-slate-800" : "bg-white text-slate-700 ring-slate-300 hover:enabled:bg-slate-50"}`}
          >
            {b}
          </button>
        );
      })}
    </div>
  );
}

/** The custom range: two calendars, two time inputs, Apply. */
export function RangePicker({
  start,
  end,
  onApply,
  onCancel,
}: {
  start: number;
  end: number;
  onApply: (start: Date, end: Date) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [range, setRange] = useState<DateRange | undefined>({
    from: dayOf(new Date(start)),
    to: dayOf(new Date(end)),
  });
  const [pickingEnd, setPickingEnd] = useState(false);
  const [startTime, setStartTime] = useState(timeOf(new Date(start)));
  const [endTime, setEndTime] = useState(timeOf(new Date(end)));
  const from = range?.from ? atLocalTime(range.from, startTime) : null;
  const to = range?.from ? atLocalTime(range.to ?? range.from, endTime) : null;
  const problem =
    !from || !to ? "Pick a first and a last day." : to <= from ? "The end must be after the start." : null;
  const endMonth = new Date(new Date(end).getFullYear(), new Date(end).getMonth(), 1);
  const startMonth = new Date(endMonth.getFullYear(), endMonth.getMonth() - 1, 1);

  return (
    <form
      aria-label="Custom time range"
      data-testid="range-picker"
      className="rounded-xl bg-white p-4 shadow-lg ring-1 ring-slate-200"
      onSubmit={(event) => {
        event.preventDefault();
        if (from && to && !problem) onApply(from, to);
      }}
    >
      <DayPicker
        mode="range"
        numberOfMonths={2}
        defaultMonth={startMonth}
        selected={range}
        onSelect={(_next, day) => {
          // First click starts a new range, the second ends it (either order): the usual two-click pattern.
          if (!pickingEnd || !range?.from) {
            setRange({ from: day, to: undefined });
            setPickingEnd(true);
          } else {
            setRange(day < range.from ? { from: day, to: range.from } : { from: range.from, to: day });
            setPickingEnd(false);
          }
        }}
        disabled={{ after: new Date() }}
        showOutsideDays={false}
        className="text-sm [--rdp-accent-background-color:#e0e7ff]! [--rdp-accent-color:#4f46e5]! [--rdp-day-height:2.25rem]! [--rdp-day-width:2.25rem]! [--rdp-day_button-height:2.125rem]! [--rdp-day_button-width:2.125rem]! [--rdp-months-gap:1.5rem]!"
      />
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        <label htmlFor={`${id}-start`} className="text-sm font-medium text-slate-700">
          Start time
          <input
            id={`${id}-start`}
            name="start"
            type="time"
            required
            value={startTime}
            onChange={(e) => setStartTime(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
          <span className="mt-0.5 block text-xs font-normal text-slate-500">
            {range?.from ? range.from.toLocaleDateString() : "no day picked"}
          </span>
        </label>
        <label htmlFor={`${id}-end`} className="text-sm font-medium text-slate-700">
          End time
          <input
            id={`${id}-end`}
            name="end"
            type="time"
            required
            value={endTime}
            onChange={(e) => setEndTime(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm"
          />
          <span className="mt-0.5 block text-xs font-normal text-slate-500">
            {range?.from ? (range.to ?? range.from).toLocaleDateString() : "no day picked"}
          </span>
        </label>
      </div>
      <p className="mt-2 text-xs text-slate-500">
        Click the first day, then the last (arrow keys move between days). Times in your time zone (
        {Intl.DateTimeFormat().resolvedOptions().timeZone}).
      </p>
      {problem ? (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {problem}
        </p>
      ) : null}
      <div className="mt-3 flex justify-end gap-2">
        <button
          type="button"
          onClick={onCancel}
          className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Cancel
        </button>
        <button
          type="submit"
          disabled={Boolean(problem)}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          Apply range
        </button>
      </div>
    </form>
  );
}
