// Every tenant on this installation (U2), for platform admins: create one, then switch into it.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useFetcher, useLoaderData } from "@remix-run/react";
import { z, ZodError } from "zod";
import { requirePlatformAdmin } from "~/auth/guards.server";
import { Badge, Button, Card, Field, FormError, PageHeader, type FieldErrors } from "~/components/form";
import { LocalTime } from "~/components/local-time";
import { Table, Td } from "~/components/table";
import { useResetOnSuccess } from "~/components/use-reset-on-success";
import { listMemberships } from "~/models/scope.server";
import { createTenant, listAllTenants, tenantInputSchema } from "~/models/tenants.server";
import { HttpError } from "~/utils/errors.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Tenants · Argus" }];

// A function, not a constant: its parts come from *.server modules, which the browser bundle lacks.
function createSchema() {
  // An empty slug field means "derive it from the name".
  return tenantInputSchema.extend({
    slug: z.preprocess((v) => (v === "" ? undefined : v), tenantInputSchema.shape.slug),
  });
}

interface ActionResult {
  error?: string;
  fieldErrors?: FieldErrors;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requirePlatformAdmin(request, context);
  const { db } = context.services;
  const [tenants, memberships] = await Promise.all([listAllTenants(db, auth.user), listMemberships(db, auth.user.id)]);
  const memberOf = new Set(memberships.map((m) => m.tenantId));
  const createdId = new URL(request.url).searchParams.get("created");
  return {
    activeTenantId: auth.session.activeTenantId,
    created: tenants.find((t) => t.id === createdId && memberOf.has(t.id)) ?? null,
    tenants: tenants.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), isMember: memberOf.has(t.id) })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requirePlatformAdmin(request, context);
  const parsed = createSchema().safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  try {
    const tenant = await createTenant(context.services.db, auth.user, parsed.data);
    return redirectWithFlash(
      `/tenants?created=${tenant.id}`,
      { type: "success", message: `Tenant "${tenant.name}" created; you are its admin` },
      context,
    );
  } catch (error) {
    if (error instanceof HttpError) return data<ActionResult>({ error: error.message }, { status: error.status });
    if (error instanceof ZodError)
      return data<ActionResult>({ fieldErrors: z.flattenError(error).fieldErrors }, { status: 400 });
    throw error;
  }
}

export default function TenantsPage() {
  const { tenants, created, activeTenantId } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader title="Tenants" description="Separate organisations on this installation. Their data never mixes." />
      {created && created.id !== activeTenantId ? (
        <section
          aria-label="New tenant"
          className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-xl bg-indigo-50 px-5 py-4 ring-1 ring-indigo-200"
        >
          <p className="text-sm text-indigo-900">
            <strong>{created.name}</strong> is ready. Switch to it to add members and sites.
          </p>
          <SwitchButton tenantId={created.id} label={`Switch to ${created.name}`} />
        </section>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <Card title={`${tenants.length} ${tenants.length === 1 ? "tenant" : "tenants"}`}>
            <Table
              caption="All tenants"
              columns={["Tenant", "Members", "Created", { label: "Actions", srOnly: true, align: "right" }]}
            >
              {tenants.map((tenant) => (
                <tr key={tenant.id}>
                  <Td>
                    <p className="font-medium text-slate-900">{tenant.name}</p>
                    <p className="font-mono text-xs text-slate-500">{tenant.slug}</p>
                  </Td>
                  <Td className="text-slate-600">{tenant.members}</Td>
                  <Td className="whitespace-nowrap text-slate-600">
                    <LocalTime iso={tenant.createdAt} />
                  </Td>
                  <Td className="text-right">
                    {tenant.id === activeTenantId ? (
                      <Badge tone="emerald">Active</Badge>
                    ) : tenant.isMember ? (
                      <SwitchButton
                        tenantId={tenant.id}
                        label="Switch"
                        ariaLabel={`Switch to ${tenant.name}`}
                        variant="secondary"
                      />
                    ) : (
                      <span className="text-xs text-slate-500">Not a member</span>
                    )}
                  </Td>
                </tr>
              ))}
            </Table>
          </Card>
        </div>
        <CreateTenantCard />
      </div>
    </div>
  );
}

function SwitchButton({
  tenantId,
  label,
  ariaLabel,
  variant = "primary",
}: {
  tenantId: string;
  label: string;
  ariaLabel?: string;
  variant?: "primary" | "secondary";
}) {
  return (
    <Form method="post" action="/tenant/switch" className="inline">
      <input type="hidden" name="tenantId" value={tenantId} />
      <Button variant={variant} aria-label={ariaLabel}>
        {label}
      </Button>
    </Form>
  );
}

function CreateTenantCard() {
  const fetcher = useFetcher<ActionResult>();
  const formRef = useResetOnSuccess(fetcher);
  const busy = fetcher.state !== "idle";
  return (
    <Card title="Create a tenant">
      <fetcher.Form method="post" ref={formRef} className="space-y-4">
        <Field
          label="Name"
          name="name"
          id="tenant-name"
          required
          maxLength={100}
          autoComplete="off"
          error={fetcher.data?.fieldErrors?.name?.[0]}
        />
        <Field
          label="Slug (optional)"
          name="slug"
          id="tenant-slug"
          maxLength={50}
          autoComplete="off"
          hint="Lowercase letters, digits and dashes; derived from the name when empty."
          error={fetcher.data?.fieldErrors?.slug?.[0]}
        />
        <FormError message={fetcher.data?.error} />
        <p className="text-xs text-slate-500">You become the new tenant&apos;s admin; it starts with one site.</p>
        <Button disabled={busy}>{busy ? "Creating…" : "Create tenant"}</Button>
      </fetcher.Form>
    </Card>
  );
}
