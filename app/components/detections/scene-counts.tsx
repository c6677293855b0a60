// Running counts under the live video (D3): in/out per counting line and, per zone, live occupancy and entries,
// plus the overlay's legend (C3). The numbers are text, not only canvas pixels, so they are read out and testable.
import { Fragment, useEffect, useState, type RefObject } from "react";
import type { LiveVideoHandle } from "~/components/live-video";
import { LocalTime } from "~/components/local-time";
import type { Scene } from "../../../protocol/scene";
import { CLASS_COLORS, KNOWN_COLOR, OTHER_CLASS_COLOR, UNKNOWN_COLOR, type SceneTotals } from "./overlay-renderer";

export function SceneCounts({
  scene,
  totals,
  since,
  video,
}: {
  scene: Scene;
  totals: SceneTotals;
  since: string;
  video: RefObject<LiveVideoHandle | null>;
}) {
  const occupancy = useZoneOccupancy(video, scene);
  if (scene.lines.length === 0 && scene.zones.length === 0)
    return <p className="text-sm text-slate-500">Draw a counting line or a zone to count here.</p>;
  return (
    <div className="space-y-3 text-sm">
      <p className="text-xs text-slate-500">
        Since <LocalTime iso={since} /> (last 24 hours), live.
      </p>
      {scene.lines.length ? (
        <table className="w-full text-left" data-testid="line-totals">
          <caption className="sr-only">Counting lines</caption>
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Line</th>
              <th className="py-1 text-right font-medium">In</th>
              <th className="py-1 text-right font-medium">Out</th>
            </tr>
          </thead>
          <tbody>
            {scene.lines.map((line) => {
              const t = totals.lines[line.id] ?? { in: 0, out: 0 };
              const classes = Object.entries(t.byClass ?? {}).sort(([a], [b]) => a.localeCompare(b));
              return (
                <Fragment key={line.id}>
                  <tr data-testid="line-total" data-line-id={line.id} data-in={t.in} data-out={t.out}>
                    <td className="py-1 pr-2 break-all">{line.name}</td>
                    <td className="py-1 text-right font-semibold tabular-nums">{t.in}</td>
                    <td className="py-1 text-right font-semibold tabular-nums">{t.out}</td>
                  </tr>
                  {classes.map(([name, c]) => (
                    <tr key={name} className="text-xs text-slate-500" data-testid="line-class-total" data-class={name}>
                      <td className="py-0.5 pl-3">{name}</td>
                      <td className="py-0.5 text-right tabular-nums">{c.in}</td>
                      <td className="py-0.5 text-right tabular-nums">{c.out}</td>
                    </tr>
                  ))}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {scene.zones.length ? (
        <table className="w-full text-left" data-testid="zone-totals">
          <caption className="sr-only">Zones</caption>
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Zone</th>
              <th className="py-1 text-right font-medium">Now</th>
              <th className="py-1 text-right font-medium">Entered</th>
              <th className="py-1 text-right font-medium">Left</th>
            </tr>
          </thead>
          <tbody>
            {scene.zones.map((zone) => {
              const t = totals.zones[zone.id] ?? { enter: 0, exit: 0 };
              return (
                <tr key={zone.id} data-testid="zone-total" data-zone-id={zone.id}>
                  <td className="py-1 pr-2 break-all">{zone.name}</td>
                  <td className="py-1 text-right font-semibold tabular-nums">{occupancy[zone.id] ?? 0}</td>
                  <td className="py-1 text-right tabular-nums">{t.enter}</td>
                  <td className="py-1 text-right tabular-nums">{t.exit}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** Zone occupancy from the overlay's current boxes, sampled once a second. */
function useZoneOccupancy(video: RefObject<LiveVideoHandle | null>, scene: Scene): Record<string, number> {
  const [occupancy, setOccupancy] = useState<Record<string, number>>({});
  useEffect(() => {
    if (scene.zones.length === 0) return;
    const timer = setInterval(() => {
      const next = video.current?.overlay()?.zoneOccupancy() ?? {};
      setOccupancy((current) => (JSON.stringify(current) === JSON.stringify(next) ? current : next));
    }, 1000);
    return () => clearInterval(timer);
  }, [video, scene]);
  return occupancy;
}

const swatch = "inline-block h-3 w-3 shrink-0 rounded-sm ring-2 ring-inset";

export function OverlayLegend() {
  const classes = Object.entries(CLASS_COLORS);
  // The note below the list sits outside the <dl>: a list of terms may only hold dt/dd groups (axe).
  return (
    <div className="text-xs text-slate-700">
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1.5 sm:grid-cols-2 lg:grid-cols-1">
        <LegendItem color={KNOWN_COLOR} term="Green box" detail="recognised (known)" />
        <LegendItem color={UNKNOWN_COLOR} term="Red box" detail="not recognised (unknown)" />
        <div className="flex items-center gap-2">
          <dt className="flex gap-0.5" aria-label="Class colours">
            {[...classes.map(([, c]) => c), OTHER_CLASS_COLOR].map((c) => (
              <span key={c} className={swatch} style={{ color: c, boxShadow: `inset 0 0 0 2px ${c}` }} />
            ))}
          </dt>
          <dd>other boxes by class: {classes.map(([name]) => name).join(", ")}, other</dd>
        </div>
        <div className="flex items-center gap-2">
          <dt className="font-semibold text-amber-700">→ in</dt>
          <dd>counting line; the arrow points to its “in” side</dd>
        </div>
        <div className="flex items-center gap-2">
          <dt>
            <span className="inline-block h-3 w-3 rounded-sm bg-indigo-500/30 ring-1 ring-indigo-500" />
            <span className="sr-only">Shaded area</span>
          </dt>
          <dd>zone, with how many are in it now</dd>
        </div>
      </dl>
      <p className="mt-1.5 text-slate-500">Labels read class, track id and confidence, e.g. “person #12 87%”.</p>
    </div>
  );
}

function LegendItem({ color, term, detail }: { color: string; term: string; detail: string }) {
  return (
    <div className="flex items-center gap-2">
      <dt className="flex items-center gap-1.5 font-medium">
        <span className={swatch} style={{ boxShadow: `inset 0 0 0 2px ${color}` }} />
        {term}
      </dt>
      <dd>{detail}</dd>
    </div>
  );
}
