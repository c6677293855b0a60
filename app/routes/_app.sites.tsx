// Sites of the active tenant (U2): everyone reads, operators create and edit, admins delete.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z, ZodError } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { ConfirmButton } from "~/components/confirm-button";
import { Button, Card, Field, FormError, PageHeader, SelectField, type FieldErrors } from "~/components/form";
import { LocalTime } from "~/components/local-time";
import { EmptyRow, Table, Td } from "~/components/table";
import { browserTimeZone, listTimeZones } from "~/components/time-zones";
import { useResetOnSuccess } from "~/components/use-reset-on-success";
import { hasRole } from "~/models/scope.server";
import { createSite, deleteSite, listSites, siteInputSchema, updateSite } from "~/models/sites.server";
import { HttpError } from "~/utils/errors.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Sites · Argus" }];

// A function, not a constant: its parts come from *.server modules, which the browser bundle lacks.
function actionSchema() {
  const siteId = z.uuid("Unknown site");
  return z.discriminatedUnion("intent", [
    siteInputSchema.extend({ intent: z.literal("create") }),
    siteInputSchema.extend({ intent: z.literal("update"), siteId }),
    z.object({ intent: z.literal("delete"), siteId }),
  ]);
}

interface ActionResult {
  error?: string;
  fieldErrors?: FieldErrors;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const sites = await listSites(scope);
  return {
    sites: sites.map((s) => ({ id: s.id, name: s.name, timezone: s.timezone, createdAt: s.createdAt.toISOString() })),
    canEdit: hasRole(scope.role, "operator"),
    canDelete: hasRole(scope.role, "admin"),
    timeZones: listTimeZones(sites.map((s) => s.timezone)),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Viewers change nothing here; deleting additionally needs admin (checked in the model).
  const { scope } = await requireTenant(request, context, "operator");
  const parsed = actionSchema().safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  const input = parsed.data;
  try {
    if (input.intent === "create") {
      const site = await createSite(scope, input);
      return redirectWithFlash("/sites", { type: "success", message: `Site "${site.name}" created` }, context);
    }
    if (input.intent === "update") {
      const site = await updateSite(scope, input.siteId, input);
      return redirectWithFlash("/sites", { type: "success", message: `Site "${site.name}" saved` }, context);
    }
    await deleteSite(scope, input.siteId);
    return redirectWithFlash("/sites", { type: "success", message: "Site deleted" }, context);
  } catch (error) {
    if (error instanceof HttpError) return data<ActionResult>({ error: error.message }, { status: error.status });
    if (error instanceof ZodError)
      return data<ActionResult>({ fieldErrors: z.flattenError(error).fieldErrors }, { status: 400 });
    throw error;
  }
}

export default function SitesPage() {
  const { sites, canEdit, canDelete, timeZones } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader
        title="Sites"
        description="Places where cameras are installed. Each site has its own time zone for reports."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className={`min-w-0 ${canEdit ? "lg:col-span-2" : "lg:col-span-3"}`}>
          <Card title={`${sites.length} ${sites.length === 1 ? "site" : "sites"}`}>
            <Table
              caption="Sites"
              columns={["Name", "Time zone", "Created", { label: "Actions", srOnly: true, align: "right" }]}
            >
              {sites.length === 0 ? <EmptyRow colSpan={4}>No sites yet.</EmptyRow> : null}
              {sites.map((site) => (
                <SiteRow key={site.id} site={site} canEdit={canEdit} canDelete={canDelete} timeZones={timeZones} />
              ))}
            </Table>
          </Card>
        </div>
        {canEdit ? <CreateSiteCard timeZones={timeZones} /> : null}
      </div>
    </div>
  );
}

function CreateSiteCard({ timeZones }: { timeZones: string[] }) {
  const fetcher = useFetcher<ActionResult>();
  const formRef = useResetOnSuccess(fetcher);
  const busy = fetcher.state !== "idle";
  // The server renders UTC; after hydration the default becomes the viewer's own zone.
  const [zone, setZone] = useState("UTC");
  const [zones, setZones] = useState(timeZones);
  useEffect(() => {
    const local = browserTimeZone();
    if (!local) return;
    setZones(listTimeZones([...timeZones, local]));
    setZone(local);
  }, [timeZones]);
  return (
    <Card title="Add a site">
      <fetcher.Form
        method="post"
        ref={formRef}
        className="space-y-4"
        onReset={() => setZone(browserTimeZone() ?? "UTC")}
      >
        <Field
          label="Name"
          name="name"
          id="new-site-name"
          required
          maxLength={100}
          autoComplete="off"
          error={fetcher.data?.fieldErrors?.name?.[0]}
        />
        <SelectField
          label="Time zone"
          name="timezone"
          id="new-site-timezone"
          value={zone}
          onChange={(e) => setZone(e.target.value)}
          error={fetcher.data?.fieldErrors?.timezone?.[0]}
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </SelectField>
        <FormError message={fetcher.data?.error} />
        <Button name="intent" value="create" disabled={busy}>
          {busy ? "Adding…" : "Add site"}
        </Button>
      </fetcher.Form>
    </Card>
  );
}

interface SiteView {
  id: string;
  name: string;
  timezone: string;
  createdAt: string;
}

function SiteRow({
  site,
  canEdit,
  canDelete,
  timeZones,
}: {
  site: SiteView;
  canEdit: boolean;
  canDelete: boolean;
  timeZones: string[];
}) {
  const fetcher = useFetcher<ActionResult>();
  const [editing, setEditing] = useState(false);
  const busy = fetcher.state !== "idle";
  const failed = fetcher.data?.error || fetcher.data?.fieldErrors;
  // Leave edit mode once a save went through (the list reloads with the new values).
  useEffect(() => {
    if (fetcher.state === "idle" && !failed) setEditing(false);
  }, [fetcher.state, failed]);

  if (editing) {
    return (
      <tr className="bg-slate-50">
        <td colSpan={4} className="px-5 py-3">
          <fetcher.Form method="post" className="flex flex-wrap items-end gap-3" aria-label={`Edit site ${site.name}`}>
            <input type="hidden" name="siteId" value={site.id} />
            <div className="min-w-48 flex-1">
              <Field
                label="Name"
                name="name"
                id={`name-${site.id}`}
                defaultValue={site.name}
                required
                maxLength={100}
                autoFocus
                error={fetcher.data?.fieldErrors?.name?.[0]}
              />
            </div>
            <div className="min-w-48 flex-1">
              <SelectField
                label="Time zone"
                name="timezone"
                id={`timezone-${site.id}`}
                defaultValue={site.timezone}
                error={fetcher.data?.fieldErrors?.timezone?.[0]}
              >
                {timeZones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </SelectField>
            </div>
            <div className="flex gap-2">
              <Button name="intent" value="update" disabled={busy}>
                {busy ? "Saving…" : "Save"}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setEditing(false)}>
                Cancel
              </Button>
            </div>
            <div className="basis-full empty:hidden">
              <FormError message={fetcher.data?.error} />
            </div>
          </fetcher.Form>
        </td>
      </tr>
    );
  }
  return (
    <tr>
      <Td className="font-medium text-slate-900">{site.name}</Td>
      <Td className="text-slate-600">{site.timezone}</Td>
      <Td className="whitespace-nowrap text-slate-600">
        <LocalTime iso={site.createdAt} />
      </Td>
      <Td className="text-right">
        <fetcher.Form method="post" className="inline-flex items-center justify-end gap-2">
          <input type="hidden" name="siteId" value={site.id} />
          {canEdit ? (
            <Button type="button" variant="secondary" onClick={() => setEditing(true)} aria-label={`Edit ${site.name}`}>
              Edit
            </Button>
          ) : null}
          {canDelete ? (
            <ConfirmButton label="Delete" question={`Delete ${site.name}?`} value="delete" busy={busy} />
          ) : null}
        </fetcher.Form>
        {fetcher.data?.error ? (
          <div className="mt-2 text-left">
            <FormError message={fetcher.data.error} />
          </div>
        ) : null}
      </Td>
    </tr>
  );
}
