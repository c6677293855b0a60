// "Top devices" (V1): cameras ranked by crossings in the range; each links to the same dashboard filtered by it
// (the link again, or "All cameras", clears the filter).
import { Link } from "@remix-run/react";
import type { VccResult } from "~/models/vcc/types";

export function TopDevices({
  devices,
  selected,
  hrefFor,
}: {
  devices: VccResult["topDevices"];
  selected: string | null;
  hrefFor: (cameraId: string | null) => string;
}) {
  if (!devices.length) return <p className="text-sm text-slate-500">No camera counted anything in this range.</p>;
  const max = Math.max(1, ...devices.map((d) => d.total));
  return (
    <ol className="space-y-1" data-testid="vcc-top-devices">
      {devices.map((device, i) => {
        const active = device.cameraId === selected;
        return (
          <li key={device.cameraId}>
            <Link
              to={hrefFor(active ? null : device.cameraId)}
              aria-current={active ? "true" : undefined}
              data-camera-id={device.cameraId}
              title={active ? "Show all cameras again" : `Filter the dashboard by ${device.name}`}
              className={`block rounded-md px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 ${active ? "bg-indigo-50 ring-1 ring-indigo-300" : "hover:bg-slate-50"}`}
            >
              <span className="flex items-baseline justify-between gap-2">
                <span className="truncate font-medium text-slate-800">
                  <span className="mr-1.5 text-xs text-slate-500">{i + 1}.</span>
                  {device.name}
                </span>
                <span className="tabular-nums text-slate-600">{device.total.toLocaleString()}</span>
              </span>
              <span className="mt-1 block h-1.5 overflow-hidden rounded-full bg-slate-100" aria-hidden>
                <span
                  className="block h-full rounded-full bg-indigo-500"
                  style={{ width: `${Math.round((device.total / max) * 100)}%` }}
                />
              </span>
            </Link>
          </li>
        );
      })}
    </ol>
  );
}
