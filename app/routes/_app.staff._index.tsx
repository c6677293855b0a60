// Staff directory (issue 14, S1): everyone in the tenant reads names; operators add and (de)activate people; admins
// delete (with the person's images, embeddings and recognition events, at once). No face image on this page.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z, ZodError } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { ConfirmButton } from "~/components/confirm-button";
import { Badge, Button, Card, Field, FormError, PageHeader, SelectField, type FieldErrors } from "~/components/form";
import { EmptyRow, Table, Td } from "~/components/table";
import { useResetOnSuccess } from "~/components/use-reset-on-success";
import { hasRole } from "~/models/scope.server";
import { listSites } from "~/models/sites.server";
import { createPerson, deletePerson, listPeople, updatePerson } from "~/models/staff/people.server";
import { getFaceSettings } from "~/models/staff/settings.server";
import { HttpError } from "~/utils/errors.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Staff · Argus" }];

const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    name: z.string(),
    employeeNumber: z.string().optional(),
    siteId: z.string().optional(),
  }),
  z.object({ intent: z.enum(["activate", "deactivate", "delete"]), personId: z.uuid("Unknown person") }),
]);

interface ActionResult {
  error?: string;
  fieldErrors?: FieldErrors;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const [people, sites, faces] = await Promise.all([
    listPeople(scope),
    listSites(scope),
    getFaceSettings(scope.db, scope.tenantId),
  ]);
  return {
    people,
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
    recognitionOn: faces.enabled,
    canEdit: hasRole(scope.role, "operator"),
    canDelete: hasRole(scope.role, "admin"),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<ActionResult>({ error: "Invalid request" }, { status: 400 });
  const input = parsed.data;
  try {
    if (input.intent === "create") {
      const person = await createPerson(scope, {
        name: input.name,
        employeeNumber: input.employeeNumber || null,
        siteId: input.siteId || null,
      });
      return redirectWithFlash(
        `/staff/${person.id}`,
        { type: "success", message: `${person.name} added: now enrol face images` },
        context,
      );
    }
    if (input.intent === "delete") {
      const deleted = await deletePerson(scope, input.personId);
      return redirectWithFlash(
        "/staff",
        {
          type: "success",
          message: `Person deleted with ${deleted.images} image(s) and ${deleted.events} recognition event(s)`,
        },
        context,
      );
    }
    await updatePerson(scope, input.personId, { active: input.intent === "activate" });
    return data<ActionResult>({});
  } catch (error) {
    if (error instanceof HttpError) return data<ActionResult>({ error: error.message }, { status: error.status });
    if (error instanceof ZodError)
      return data<ActionResult>({ fieldErrors: z.flattenError(error).fieldErrors }, { status: 400 });
    throw error;
  }
}

export default function StaffPage() {
  const { people, sites, recognitionOn, canEdit, canDelete } = useLoaderData<typeof loader>();
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  return (
    <div>
      <PageHeader
        title="Staff"
        description="People who may be recognised on this tenant's cameras. Each needs face images to be recognised."
        actions={
          <div className="flex flex-wrap gap-2">
            <Link to="/attendance" className="text-sm font-medium text-indigo-700 hover:underline">
              Attendance
            </Link>
            <Link to="/staff/recognition" className="text-sm font-medium text-indigo-700 hover:underline">
              Face recognition: {recognitionOn ? "on" : "off"}
            </Link>
          </div>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className={`min-w-0 ${canEdit ? "lg:col-span-2" : "lg:col-span-3"}`}>
          <Card title={`${people.length} ${people.length === 1 ? "person" : "people"}`}>
            <Table
              caption="Staff directory"
              columns={[
                "Name",
                "Employee no.",
                "Site",
                "Images",
                "Status",
                { label: "Actions", srOnly: true, align: "right" },
              ]}
            >
              {people.length === 0 ? <EmptyRow colSpan={6}>No one in the directory yet.</EmptyRow> : null}
              {people.map((p) => (
                <PersonRow
                  key={p.id}
                  person={p}
                  site={p.siteId ? (siteName.get(p.siteId) ?? "") : ""}
                  canEdit={canEdit}
                  canDelete={canDelete}
                />
              ))}
            </Table>
          </Card>
        </div>
        {canEdit ? <AddPersonCard sites={sites} /> : null}
      </div>
    </div>
  );
}

function AddPersonCard({ sites }: { sites: Array<{ id: string; name: string }> }) {
  const fetcher = useFetcher<ActionResult>();
  const formRef = useResetOnSuccess(fetcher);
  const busy = fetcher.state !== "idle";
  return (
    <Card title="Add a person">
      <fetcher.Form method="post" ref={formRef} className="space-y-4">
        <Field
          label="Name"
          name="name"
          id="new-person-name"
          required
          maxLength={100}
          autoComplete="off"
          error={fetcher.data?.fieldErrors?.name?.[0]}
        />
        <Field
          label="Employee number (optional)"
          name="employeeNumber"
          id="new-person-number"
          maxLength={40}
          autoComplete="off"
          error={fetcher.data?.fieldErrors?.employeeNumber?.[0]}
        />
        <SelectField label="Site (optional)" name="siteId" id="new-person-site" defaultValue="">
          <option value="">No site</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <FormError message={fetcher.data?.error} />
        <Button name="intent" value="create" disabled={busy}>
          {busy ? "Adding…" : "Add person"}
        </Button>
      </fetcher.Form>
    </Card>
  );
}

interface PersonView {
  id: string;
  name: string;
  employeeNumber: string | null;
  active: boolean;
  images: number;
}

function PersonRow({
  person,
  site,
  canEdit,
  canDelete,
}: {
  person: PersonView;
  site: string;
  canEdit: boolean;
  canDelete: boolean;
}) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  return (
    <tr>
      <Td className="font-medium">
        <Link to={`/staff/${person.id}`} className="text-indigo-700 hover:underline">
          {person.name}
        </Link>
      </Td>
      <Td>{person.employeeNumber ?? ""}</Td>
      <Td>{site}</Td>
      <Td>{person.images}</Td>
      <Td>{person.active ? <Badge tone="emerald">Active</Badge> : <Badge>Inactive</Badge>}</Td>
      <Td className="text-right">
        {canEdit ? (
          <fetcher.Form
            method="post"
            className="inline-flex flex-wrap justify-end gap-2"
            aria-label={`Manage ${person.name}`}
          >
            <input type="hidden" name="personId" value={person.id} />
            <Button
              variant="secondary"
              name="intent"
              value={person.active ? "deactivate" : "activate"}
              disabled={busy}
              aria-label={`${person.active ? "Deactivate" : "Activate"} ${person.name}`}
            >
              {person.active ? "Deactivate" : "Activate"}
            </Button>
            {canDelete ? (
              <ConfirmButton
                label="Delete"
                question={`Delete ${person.name}, their ${person.images} image(s) and recognition events?`}
                value="delete"
                busy={busy}
              />
            ) : null}
          </fetcher.Form>
        ) : null}
        {fetcher.data?.error ? <FormError message={fetcher.data.error} /> : null}
      </Td>
    </tr>
  );
}
