// Productivity settings (tenant admins): state duration, auto-create, drift thresholds; API keys
// (shown once); data management (SPEC P4): seed, generate, refresh, clear.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ZodError } from "zod";
import { Button, Card, Field, FormError } from "~/components/form";
import { LocalTime } from "~/components/local-time";
import { SecretOnce } from "~/components/secret-once";
import { countOf } from "~/components/plural";
import { describeIssues } from "~/components/productivity/format";
import { GenerateTrafficForm } from "~/components/vcc/generate-traffic";
import { requireTenant } from "~/auth/guards.server";
import { createApiKey, listApiKeys, revokeApiKey } from "~/models/productivity/api-keys.server";
import { checkDrift } from "~/models/productivity/drift.server";
import { clearEvents, generateEvents, refreshAll, seedSampleEntities } from "~/models/productivity/generate.server";
import { getSettings, updateSettings } from "~/models/productivity/settings.server";
import { HttpError } from "~/utils/errors.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Productivity settings · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context, "admin");
  const [settings, keys] = await Promise.all([getSettings(scope), listApiKeys(scope)]);
  return { settings, keys };
}

type ActionResult = { error?: string; createdKey?: { name: string; key: string } };

export async function action({ request, context }: ActionFunctionArgs): Promise<Response | ActionResult> {
  const { scope } = await requireTenant(request, context, "admin");
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? "");
  const back = (message: string) => redirectWithFlash("/productivity/settings", { type: "success", message }, context);
  const emit = (stored: number, latest: string | null) =>
    context.services.realtime.emitToTenant(scope.tenantId, "productivity:events", { stored, latest });
  try {
    switch (text("intent")) {
      case "settings":
        await updateSettings(scope, {
          state_duration_seconds: Number(text("state_duration_seconds")),
          auto_create_entities: form.get("auto_create_entities") === "on",
          drift_confidence_threshold: Number(text("drift_confidence_threshold")),
          drift_kl_threshold: Number(text("drift_kl_threshold")),
          drift_window_minutes: Number(text("drift_window_minutes")),
          drift_baseline_hours: Number(text("drift_baseline_hours")),
        });
        return back("Settings saved");
      case "create-key": {
        const created = await createApiKey(scope, { name: text("name") });
        return { createdKey: { name: created.name, key: created.key } };
      }
      case "revoke-key":
        await revokeApiKey(scope, text("id"));
        return back("API key revoked");
      case "seed": {
        const r = await seedSampleEntities(scope, {
          workers: Number(text("workers") || 6),
          workstations: Number(text("workstations") || 6),
        });
        return back(`Added ${countOf(r.workers, "person", "people")} and ${countOf(r.workstations, "workstation")}`);
      }
      case "generate": {
        const r = await generateEvents(scope, {
          days: Number(text("days") || 7),
          simulate_drift: form.get("simulate_drift") === "on",
        });
        const drift = await checkDrift(scope);
        emit(r.events, r.to);
        return back(
          `Generated ${r.events.toLocaleString("en-US")} events in ${(r.ms / 1000).toFixed(1)} s${drift.raised.length ? `; ${drift.raised.length} drift alert(s) raised` : ""}`,
        );
      }
      case "refresh": {
        const r = await refreshAll(scope);
        return back(`Aggregates refreshed in ${(r.ms / 1000).toFixed(1)} s`);
      }
      case "clear": {
        const r = await clearEvents(scope);
        emit(0, null);
        return back(`Deleted ${r.deleted.toLocaleString("en-US")} events`);
      }
      default:
        return { error: "Unknown action" };
    }
  } catch (error) {
    if (error instanceof ZodError) return { error: describeIssues(error.issues) };
    if (error instanceof HttpError) return { error: error.message };
    throw error;
  }
}

export default function ProductivitySettings() {
  const { settings, keys } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <div className="grid gap-6 xl:grid-cols-2">
      <Card title="Sample data">
        <FormError message={result?.error} />
        <div className="space-y-4">
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="seed" />
            <Field
              label="People"
              name="workers"
              id="seed-people"
              type="number"
              min={1}
              max={500}
              defaultValue={6}
              className="w-24 rounded-md border border-slate-300 px-2 py-1"
            />
            <Field
              label="Workstations"
              name="workstations"
              type="number"
              min={1}
              max={500}
              defaultValue={6}
              className="w-24 rounded-md border border-slate-300 px-2 py-1"
            />
            <Button disabled={busy}>Seed people & stations</Button>
          </Form>
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="generate" />
            {/* Named apart from the sample traffic form's "Days" below: one page, two fields, two names. */}
            <Field
              label="Days of events"
              name="days"
              id="generate-days"
              type="number"
              min={1}
              max={90}
              defaultValue={7}
              className="w-24 rounded-md border border-slate-300 px-2 py-1"
            />
            <label className="flex items-center gap-2 pb-2 text-sm">
              <input type="checkbox" name="simulate_drift" /> Simulate model drift (last 90 min)
            </label>
            <Button disabled={busy}>{busy ? "Working…" : "Generate events"}</Button>
          </Form>
          <div className="flex flex-wrap gap-2">
            <Form method="post">
              <input type="hidden" name="intent" value="refresh" />
              <Button variant="secondary" disabled={busy}>
                Refresh aggregates
              </Button>
            </Form>
            <Form
              method="post"
              onSubmit={(e) => {
                if (!confirm("Delete all productivity events of this tenant?")) e.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value="clear" />
              <Button variant="danger" disabled={busy}>
                Clear events
              </Button>
            </Form>
          </div>
          <div className="border-t border-slate-100 pt-4">
            <h3 className="mb-1 text-sm font-semibold text-slate-800">Sample traffic for Analytics</h3>
            <p className="mb-2 text-sm text-slate-600">
              Line crossings for sample cameras, written through the detection ingest path (
              <code>npm run seed:vcc</code> writes more).
            </p>
            <GenerateTrafficForm />
          </div>
        </div>
      </Card>

      <Card title="API keys">
        <p className="mb-3 text-sm text-slate-600">
          CV systems send events with <code>Authorization: Bearer &lt;key&gt;</code> to <code>/api/v1/events</code> and{" "}
          <code>/api/v1/events/batch</code>. Only a hash is stored: a key is shown once.
        </p>
        {result?.createdKey ? (
          <div className="mb-3">
            <SecretOnce
              title={<>New key “{result.createdKey.name}”</>}
              secret={result.createdKey.key}
              what="key"
              testId="new-api-key"
            />
          </div>
        ) : null}
        <Form method="post" className="mb-3 flex items-end gap-2">
          <input type="hidden" name="intent" value="create-key" />
          <Field label="Key name" name="name" placeholder="Line 1 camera" required />
          <Button disabled={busy}>Create key</Button>
        </Form>
        <ul className="divide-y divide-slate-100 text-sm">
          {keys.map((k) => (
            <li key={k.id} className="flex items-center gap-3 py-2">
              <span className="flex-1">
                {k.name} <code className="text-xs text-slate-500">{k.prefix}…</code>
              </span>
              <span className="text-xs text-slate-500">
                {k.last_used_at ? (
                  <>
                    used <LocalTime iso={k.last_used_at} relative />
                  </>
                ) : (
                  "never used"
                )}
              </span>
              {k.revoked_at ? (
                <span className="text-xs text-red-700">revoked</span>
              ) : (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke-key" />
                  <input type="hidden" name="id" value={k.id} />
                  <Button variant="danger">Revoke</Button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </Card>

      <Card title="Metrics and drift settings">
        <Form method="post" className="grid gap-3 sm:grid-cols-2">
          <input type="hidden" name="intent" value="settings" />
          <Field
            label="Each state event counts for (seconds)"
            name="state_duration_seconds"
            type="number"
            min={1}
            max={86400}
            defaultValue={settings.state_duration_seconds}
          />
          <Field
            label="Drift window (minutes)"
            name="drift_window_minutes"
            type="number"
            min={5}
            max={1440}
            defaultValue={settings.drift_window_minutes}
          />
          <Field
            label="Baseline (hours before the window)"
            name="drift_baseline_hours"
            type="number"
            min={1}
            max={720}
            defaultValue={settings.drift_baseline_hours}
          />
          <Field
            label="Alert below mean confidence"
            name="drift_confidence_threshold"
            type="number"
            step="0.01"
            min={0}
            max={1}
            defaultValue={settings.drift_confidence_threshold}
          />
          <Field
            label="Alert above KL divergence"
            name="drift_kl_threshold"
            type="number"
            step="0.01"
            min={0.01}
            max={20}
            defaultValue={settings.drift_kl_threshold}
          />
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input type="checkbox" name="auto_create_entities" defaultChecked={settings.auto_create_entities} /> Create
            unknown people/stations on ingest
          </label>
          <div className="sm:col-span-2">
            <Button disabled={busy}>Save settings</Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
