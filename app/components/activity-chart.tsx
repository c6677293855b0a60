// Hourly bars for the last day, as SVG: no chart library for one simple shape.
export function ActivityChart({
  buckets,
  hours = 24,
}: {
  buckets: Array<{ bucket: string; events: number }>;
  hours?: number;
}) {
  const now = Date.now();
  const start = Math.floor(now / 3600_000) * 3600_000 - (hours - 1) * 3600_000;
  const byHour = new Map(buckets.map((b) => [new Date(b.bucket).getTime(), b.events]));
  const series = Array.from({ length: hours }, (_, i) => ({
    t: start + i * 3600_000,
    v: byHour.get(start + i * 3600_000) ?? 0,
  }));
  const max = Math.max(1, ...series.map((s) => s.v));
  const total = series.reduce((sum, s) => sum + s.v, 0);
  const width = 24 * hours;
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} 100`}
        className="h-32 w-full"
        role="img"
        aria-label={`${total} events in the last ${hours} hours`}
      >
        {series.map((s, i) => {
          const h = (s.v / max) * 90;
          return (
            <rect
              key={s.t}
              x={i * 24 + 3}
              y={100 - h}
              width={18}
              height={Math.max(h, 1)}
              rx={2}
              className={s.v ? "fill-indigo-500" : "fill-slate-200"}
            >
              <title>{`${new Date(s.t).toLocaleString()}: ${s.v}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-2 text-xs text-slate-500">
        {total} events · one bar per hour, oldest on the left
      </figcaption>
    </figure>
  );
}
