// Model operations (SPEC P5): model versions, confidence trend, event-type mix, drift alerts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useRevalidator } from "@remix-run/react";
import { Button, Card } from "~/components/form";
import { LocalTime } from "~/components/local-time";
import { formatNumber, formatPercent } from "~/components/productivity/format";
import { ConfidenceChart } from "~/components/productivity/utilisation-chart";
import { useRealtime } from "~/components/use-realtime";
import { requireTenant } from "~/auth/guards.server";
import {
  acknowledgeAlert,
  checkDrift,
  confidenceTrend,
  listAlerts,
  listModelVersions,
} from "~/models/productivity/drift.server";
import { EVENT_TYPES } from "~/models/productivity/schemas";
import { getSettings } from "~/models/productivity/settings.server";
import { hasRole } from "~/models/scope.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Models & alerts · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const end = new Date();
  const range = { start: new Date(end.getTime() - 48 * 3600_000), end };
  const [models, trend, alerts, settings] = await Promise.all([
    listModelVersions(scope, range),
    confidenceTrend(scope, range, "1 hour"),
    listAlerts(scope, "all", 50),
    getSettings(scope),
  ]);
  const byModel = new Map<string, Array<{ bucket: string; confidence: number }>>();
  for (const p of trend)
    byModel.set(p.model, [...(byModel.get(p.model) ?? []), { bucket: p.bucket, confidence: p.confidence }]);
  return {
    models,
    series: [...byModel].map(([model, points]) => ({ model, points })),
    alerts,
    settings,
    canAck: hasRole(scope.role, "operator"),
    isAdmin: hasRole(scope.role, "admin"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get("intent") === "check") {
    const { scope } = await requireTenant(request, context, "admin");
    const result = await checkDrift(scope);
    return redirectWithFlash(
      "/productivity/models",
      {
        type: "info",
        message: `Drift check: ${result.raised.length} new, ${result.ongoing} ongoing, ${result.resolved} resolved`,
      },
      context,
    );
  }
  const { scope } = await requireTenant(request, context, "operator");
  await acknowledgeAlert(scope, String(form.get("id")));
  return redirectWithFlash("/productivity/models", { type: "success", message: "Alert acknowledged" }, context);
}

export default function Models() {
  const { models, series, alerts, settings, canAck, isAdmin } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  useRealtime({ "productivity:alert": () => revalidator.revalidate() });
  return (
    <div className="space-y-6">
      <Card
        title="Drift alerts"
        actions={
          isAdmin ? (
            <Form method="post">
              <input type="hidden" name="intent" value="check" />
              <Button variant="secondary">Run drift check now</Button>
            </Form>
          ) : null
        }
      >
        {alerts.length === 0 ? (
          <p className="text-sm text-slate-500">
            No alerts. The check runs every minute: mean confidence below {settings.drift_confidence_threshold}, or
            event-type KL divergence above {settings.drift_kl_threshold}, over the last {settings.drift_window_minutes}{" "}
            minutes.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="alerts-list">
            {alerts.map((a) => {
              const state = a.resolved_at ? "resolved" : a.acknowledged_at ? "acknowledged" : "open";
              return (
                <li key={a.id} className="flex flex-wrap items-center gap-3 py-3 text-sm" data-state={state}>
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-medium ${state === "open" ? "bg-red-100 text-red-800" : state === "acknowledged" ? "bg-amber-100 text-amber-800" : "bg-slate-100 text-slate-600"}`}
                  >
                    {state}
                  </span>
                  <span className="font-mono text-xs">
                    {a.kind === "low_confidence" ? "Low confidence" : "Distribution drift"}
                  </span>
                  <span className="flex-1">{a.message}</span>
                  <span className="text-xs text-slate-500">
                    <LocalTime iso={a.raised_at} relative />
                  </span>
                  {canAck && !a.acknowledged_at ? (
                    <Form method="post">
                      <input type="hidden" name="id" value={a.id} />
                      <Button variant="secondary">Acknowledge</Button>
                    </Form>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <Card title="Confidence trend, last 48 hours">
        <ConfidenceChart series={series} threshold={settings.drift_confidence_threshold} />
      </Card>
      <Card title="Model versions, last 48 hours">
        {models.length === 0 ? (
          <p className="text-sm text-slate-500">No events yet.</p>
        ) : (
          // Scrolls inside the card on a phone (one column per event type); focusable so keyboards can scroll it.
          <div className="overflow-x-auto" role="region" aria-label="Model versions" tabIndex={0}>
            <table className="min-w-full text-sm" data-testid="models-table">
              <thead>
                <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                  <th className="py-2">Model</th>
                  <th>Version</th>
                  <th className="text-right">Events</th>
                  <th className="text-right">Mean confidence</th>
                  {EVENT_TYPES.map((t) => (
                    <th key={t} className="text-right">
                      {t}
                    </th>
                  ))}
                  <th className="text-right">Last seen</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {models.map((m) => (
                  <tr key={`${m.model_id}@${m.model_version}`}>
                    <td className="py-2 font-mono">{m.model_id ?? "—"}</td>
                    <td className="font-mono">{m.model_version ?? "—"}</td>
                    <td className="text-right tabular-nums">{formatNumber(m.event_count)}</td>
                    <td className="text-right tabular-nums">
                      {m.average_confidence === null ? "—" : m.average_confidence.toFixed(2)}
                    </td>
                    {EVENT_TYPES.map((t) => (
                      <td key={t} className="text-right tabular-nums">
                        {formatPercent(m.distribution[t] ?? 0)}
                      </td>
                    ))}
                    <td className="text-right text-xs text-slate-500">
                      <LocalTime iso={m.last_seen} relative />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
