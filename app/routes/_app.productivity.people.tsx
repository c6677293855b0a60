// People (the API's "workers") and workstations of the tenant (SPEC P1): list, add, rename, delete.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ZodError } from "zod";
import { Button, Card, Field, FormError } from "~/components/form";
import { describeIssues } from "~/components/productivity/format";
import { requireTenant } from "~/auth/guards.server";
import {
  createWorker,
  createWorkstation,
  deleteWorker,
  deleteWorkstation,
  listWorkers,
  listWorkstations,
  updateWorker,
  updateWorkstation,
} from "~/models/productivity/entities.server";
import { hasRole } from "~/models/scope.server";
import { HttpError } from "~/utils/errors.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "People & stations · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const [workers, workstations] = await Promise.all([listWorkers(scope), listWorkstations(scope)]);
  return { workers, workstations, canEdit: hasRole(scope.role, "operator"), canDelete: hasRole(scope.role, "admin") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const back = (message: string) => redirectWithFlash("/productivity/people", { type: "success", message }, context);
  try {
    switch (form.intent) {
      case "create-worker":
        await createWorker(scope, { worker_id: form.worker_id, name: form.name });
        return back(`Person ${form.worker_id} added`);
      case "rename-worker":
        await updateWorker(scope, form.id, { name: form.name });
        return back(`Person ${form.id} renamed`);
      case "delete-worker":
        await deleteWorker(scope, form.id);
        return back(`Person ${form.id} deleted`);
      case "create-workstation":
        await createWorkstation(scope, {
          workstation_id: form.workstation_id,
          name: form.name,
          station_type: form.station_type || undefined,
        });
        return back(`Workstation ${form.workstation_id} added`);
      case "update-workstation":
        await updateWorkstation(scope, form.id, { name: form.name, station_type: form.station_type });
        return back(`Workstation ${form.id} updated`);
      case "delete-workstation":
        await deleteWorkstation(scope, form.id);
        return back(`Workstation ${form.id} deleted`);
      default:
        return { error: "Unknown action", form: form.intent };
    }
  } catch (error) {
    if (error instanceof ZodError)
      return {
        error: describeIssues(error.issues),
        form: form.intent,
      };
    if (error instanceof HttpError) return { error: error.message, form: form.intent };
    throw error;
  }
}

export default function People() {
  const { workers, workstations, canEdit, canDelete } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    // grid-cols-1 and flex-wrap: on a phone the cards and the add forms fit the screen (issue 12). Every field has
    // its own id: two "name" fields once shared id="name", so the workstation's had no label.
    <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
      <Card title={`People (${workers.length})`}>
        {canEdit ? (
          <Form method="post" className="mb-4 flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="create-worker" />
            <div className="w-28">
              <Field label="Person id" name="worker_id" id="new-person-id" placeholder="W7" required />
            </div>
            <div className="min-w-40 flex-1">
              <Field label="Name" name="name" id="new-person-name" placeholder="Full name" required />
            </div>
            <Button disabled={busy}>Add person</Button>
          </Form>
        ) : null}
        {result?.form?.includes("worker") && !result.form.includes("workstation") ? (
          <FormError message={result.error} />
        ) : null}
        <ul className="divide-y divide-slate-100" data-testid="workers-list">
          {workers.map((w) => (
            <li key={w.worker_id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
              <span className="w-16 font-mono">{w.worker_id}</span>
              {canEdit ? (
                <Form method="post" className="flex min-w-0 flex-1 gap-2">
                  <input type="hidden" name="intent" value="rename-worker" />
                  <input type="hidden" name="id" value={w.worker_id} />
                  <input
                    name="name"
                    defaultValue={w.name}
                    aria-label={`Name of ${w.worker_id}`}
                    className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1"
                  />
                  <Button variant="secondary">Save</Button>
                </Form>
              ) : (
                <span className="flex-1">{w.name}</span>
              )}
              {canDelete ? (
                <Form
                  method="post"
                  onSubmit={(e) => {
                    if (!confirm(`Delete ${w.worker_id}? Their past events stay.`)) e.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="delete-worker" />
                  <input type="hidden" name="id" value={w.worker_id} />
                  <Button variant="danger">Delete</Button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
      <Card title={`Workstations (${workstations.length})`}>
        {canEdit ? (
          <Form method="post" className="mb-4 flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="create-workstation" />
            <div className="w-28">
              <Field label="Station id" name="workstation_id" id="new-station-id" placeholder="S7" required />
            </div>
            <div className="min-w-40 flex-1">
              <Field label="Name" name="name" id="new-station-name" placeholder="Assembly 7" required />
            </div>
            <div className="w-32">
              <Field label="Type" name="station_type" id="new-station-type" placeholder="assembly" />
            </div>
            <Button disabled={busy}>Add station</Button>
          </Form>
        ) : null}
        {result?.form?.includes("workstation") ? <FormError message={result.error} /> : null}
        <ul className="divide-y divide-slate-100" data-testid="workstations-list">
          {workstations.map((s) => (
            <li key={s.workstation_id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
              <span className="w-16 font-mono">{s.workstation_id}</span>
              {canEdit ? (
                <Form method="post" className="flex min-w-0 flex-1 gap-2">
                  <input type="hidden" name="intent" value="update-workstation" />
                  <input type="hidden" name="id" value={s.workstation_id} />
                  <input
                    name="name"
                    defaultValue={s.name}
                    aria-label={`Name of ${s.workstation_id}`}
                    className="min-w-0 flex-1 rounded-md border border-slate-300 px-2 py-1"
                  />
                  <input
                    name="station_type"
                    defaultValue={s.station_type}
                    aria-label={`Type of ${s.workstation_id}`}
                    className="w-24 min-w-0 rounded-md border border-slate-300 px-2 py-1"
                  />
                  <Button variant="secondary">Save</Button>
                </Form>
              ) : (
                <span className="flex-1">
                  {s.name} <span className="text-slate-500">({s.station_type})</span>
                </span>
              )}
              {canDelete ? (
                <Form
                  method="post"
                  onSubmit={(e) => {
                    if (!confirm(`Delete workstation ${s.workstation_id}?`)) e.preventDefault();
                  }}
                >
                  <input type="hidden" name="intent" value="delete-workstation" />
                  <input type="hidden" name="id" value={s.workstation_id} />
                  <Button variant="danger">Delete</Button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
