// The dashboard's charts and cards (V3), drawn from one VccResult whatever the camera filter: counts over time stacked
// by class, the class distribution, the in/out split, totals and the peak bucket.
import { TimeChart } from "~/components/charts/time-chart";
import { BUCKET_MS, type VccResult } from "~/models/vcc/types";

const CLASS_COLOURS: Record<string, string> = {
  person: "#6366f1",
  car: "#0ea5e9",
  truck: "#f59e0b",
  bus: "#10b981",
  motorcycle: "#ef4444",
  bicycle: "#a855f7",
};
const SPARE_COLOURS = ["#64748b", "#ec4899", "#14b8a6", "#84cc16", "#f97316"];
const IN_COLOUR = "#10b981";
const OUT_COLOUR = "#f43f5e";

export function classColour(name: string, index: number): string {
  return CLASS_COLOURS[name] ?? SPARE_COLOURS[index % SPARE_COLOURS.length]!;
}

const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : "–");

function formatBucket(iso: string, stepMs: number): string {
  const date = new Date(iso);
  return stepMs >= 86_400_000
    ? date.toLocaleDateString([], { weekday: "short", month: "short", day: "numeric" })
    : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-value>
        {value}
      </p>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

export function VccStats({ result, hydrated }: { result: VccResult; hydrated: boolean }) {
  const { totals, peak } = result;
  const stepMs = BUCKET_MS[result.query.bucket];
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Stat label="Crossings" value={totals.total.toLocaleString()} testId="vcc-total" hint="both directions" />
      <Stat
        label="In"
        value={totals.in.toLocaleString()}
        hint={`${percent(totals.in, totals.total)} of crossings`}
        testId="vcc-in"
      />
      <Stat
        label="Out"
        value={totals.out.toLocaleString()}
        hint={`${percent(totals.out, totals.total)} of crossings`}
        testId="vcc-out"
      />
      <Stat
        label="Peak bucket"
        value={peak ? peak.total.toLocaleString() : "–"}
        hint={
          peak
            ? hydrated
              ? `at ${formatBucket(peak.bucket, stepMs)}`
              : `at ${peak.bucket.slice(0, 16).replace("T", " ")} UTC`
            : "no crossings"
        }
        testId="vcc-peak"
      />
    </div>
  );
}

export function CountsChart({ result }: { result: VccResult }) {
  const times = result.buckets.map((b) => Date.parse(b));
  return (
    <TimeChart
      kind="stacked-bars"
      times={times}
      stepMs={BUCKET_MS[result.query.bucket]}
      label={`Crossings per ${result.query.bucket} bucket, stacked by class: ${result.totals.total} in total`}
      testId="vcc-counts-chart"
      height={260}
      series={result.classes.map((name, i) => ({
        label: name,
        values: result.byClass[name] ?? [],
        color: classColour(name, i),
      }))}
    />
  );
}

export function DirectionChart({ result }: { result: VccResult }) {
  return (
    <TimeChart
      kind="lines"
      times={result.buckets.map((b) => Date.parse(b))}
      stepMs={BUCKET_MS[result.query.bucket]}
      label={`In ${result.totals.in}, out ${result.totals.out} per ${result.query.bucket} bucket`}
      testId="vcc-direction-chart"
      height={180}
      series={[
        { label: "In", values: result.direction.in, color: IN_COLOUR },
        { label: "Out", values: result.direction.out, color: OUT_COLOUR },
      ]}
    />
  );
}

/** Class distribution: one proportional bar per class (a ranked list reads better than a pie). */
export function ClassDistribution({ result }: { result: VccResult }) {
  const { totals, classes } = result;
  return (
    <ul className="space-y-2.5" data-testid="vcc-classes" aria-label="Crossings by class">
      {classes.map((name, i) => {
        const count = totals.byClass[name] ?? 0;
        return (
          <li key={name} data-class={name} data-count={count}>
            <div className="flex items-baseline justify-between gap-2 text-sm">
              <span className="font-medium capitalize text-slate-800">{name}</span>
              <span className="tabular-nums text-slate-600">
                {count.toLocaleString()} <span className="text-xs text-slate-500">{percent(count, totals.total)}</span>
              </span>
            </div>
            <meter
              className="sr-only"
              min={0}
              max={Math.max(1, totals.total)}
              value={count}
              aria-label={`${name}: ${count} of ${totals.total}`}
            />
            <div className="mt-1 h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden>
              <div
                className="h-full rounded-full"
                style={{ width: percent(count, totals.total), backgroundColor: classColour(name, i) }}
              />
            </div>
          </li>
        );
      })}
    </ul>
  );
}

export function DirectionSplit({ result }: { result: VccResult }) {
  const { totals } = result;
  return (
    <div data-testid="vcc-direction-split">
      <div className="flex h-3 overflow-hidden rounded-full bg-slate-100" aria-hidden>
        <div style={{ width: percent(totals.in, totals.total), backgroundColor: IN_COLOUR }} />
        <div style={{ width: percent(totals.out, totals.total), backgroundColor: OUT_COLOUR }} />
      </div>
      <p className="mt-2 flex justify-between text-sm text-slate-700">
        <span>
          <span className="mr-1 inline-block h-2 w-2 rounded-full bg-emerald-500" aria-hidden />
          In {totals.in.toLocaleString()} ({percent(totals.in, totals.total)})
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-2 rounded-full bg-rose-500" aria-hidden />
          Out {totals.out.toLocaleString()} ({percent(totals.out, totals.total)})
        </span>
      </p>
    </div>
  );
}
