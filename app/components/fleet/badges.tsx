// Status and placement badges for the fleet pages (A1, A3): colour plus text, never colour alone.
import type { CameraFleetView, WorkerView } from "~/fleet/views";

const statusTones: Record<string, string> = {
  ONLINE: "bg-sky-50 text-sky-700 ring-sky-200",
  IDLE: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  PROCESSING: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  ERROR: "bg-red-50 text-red-700 ring-red-200",
  MAINTENANCE: "bg-amber-50 text-amber-800 ring-amber-200",
  OFFLINE: "bg-slate-100 text-slate-600 ring-slate-200",
};

export function WorkerStatusBadge({ worker }: { worker: Pick<WorkerView, "status" | "connected"> }) {
  const label = worker.status !== "OFFLINE" && !worker.connected ? `${worker.status} (disconnected)` : worker.status;
  return (
    <span
      data-testid="worker-status"
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${statusTones[worker.status] ?? statusTones.OFFLINE}`}
    >
      {label}
    </span>
  );
}

/** Issue 12: whether a worker serves every tenant (shared pool) or only this one. */
export function WorkerKindBadge({ shared }: { shared: boolean }) {
  return (
    <span
      data-testid="worker-kind"
      data-shared={shared}
      title={shared ? "Serves every tenant (shared pool)" : "Serves this tenant only"}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${shared ? "bg-violet-50 text-violet-800 ring-violet-200" : "bg-slate-50 text-slate-700 ring-slate-200"}`}
    >
      {shared ? "Shared" : "This tenant"}
    </span>
  );
}

export function PlacementBadge({
  placement,
  enabled = true,
}: {
  placement: CameraFleetView | null;
  enabled?: boolean;
}) {
  const a = placement?.assignment;
  if (!enabled) return <span className="text-xs text-slate-500">Disabled</span>;
  if (a?.state === "active")
    return (
      <span className="inline-flex items-center gap-1 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-semibold text-emerald-700 ring-1 ring-emerald-200">
        Active on {a.workerName}
      </span>
    );
  if (a?.state === "pending")
    return (
      <span className="inline-flex items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-semibold text-amber-800 ring-1 ring-amber-200">
        Pending ack from {a.workerName}
      </span>
    );
  return (
    <span className="inline-flex flex-col">
      <span
        className={`inline-flex w-fit items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${placement?.wantAssigned ? "bg-red-50 text-red-700 ring-red-200" : "bg-slate-100 text-slate-600 ring-slate-200"}`}
      >
        Unassigned
      </span>
      {placement?.note ? <span className="mt-1 text-xs text-red-700">{placement.note}</span> : null}
    </span>
  );
}

export function LoadBar({ assigned, capacity }: { assigned: number; capacity: number }) {
  const pct = capacity > 0 ? Math.min(100, Math.round((assigned / capacity) * 100)) : 100;
  return (
    <span className="inline-flex items-center gap-2" title={`${assigned} of ${capacity} cameras`}>
      <span className="h-1.5 w-12 overflow-hidden rounded bg-slate-200" aria-hidden>
        <span className="block h-full bg-indigo-500" style={{ width: `${pct}%` }} />
      </span>
      <span className="tabular-nums">
        {assigned}/{capacity}
      </span>
    </span>
  );
}
