// Members of the active tenant (U1, U2): tenant admins add people, change roles and remove them.
// Any change to someone's access drops their live sockets, so they stop receiving tenant events.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { z, ZodError } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { ConfirmButton } from "~/components/confirm-button";
import { Badge, Button, Card, Field, FormError, PageHeader, SelectField, type FieldErrors } from "~/components/form";
import { LocalTime } from "~/components/local-time";
import { Table, Td } from "~/components/table";
import { useResetOnSuccess } from "~/components/use-reset-on-success";
import {
  addMember,
  changeMemberRole,
  listMembers,
  newMemberSchema,
  removeMember,
  roleSchema,
} from "~/models/users.server";
import { HttpError } from "~/utils/errors.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Members · Argus" }];

// A function, not a constant: its parts come from *.server modules, which the browser bundle lacks.
function actionSchema() {
  const userId = z.uuid("Unknown member");
  return z.discriminatedUnion("intent", [
    // The password only matters for new accounts, so addMember validates it (it knows which case this is).
    newMemberSchema.extend({ intent: z.literal("add"), password: z.string().max(256) }),
    z.object({ intent: z.literal("role"), userId, role: roleSchema }),
    z.object({ intent: z.literal("remove"), userId }),
  ]);
}

interface ActionResult {
  error?: string;
  fieldErrors?: FieldErrors;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope, tenant } = await requireTenant(request, context, "admin");
  const members = await listMembers(scope);
  return {
    tenantName: tenant.tenantName,
    roles: roleSchema.options,
    currentUserId: scope.userId,
    members: members.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "admin");
  const parsed = actionSchema().safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  const input = parsed.data;
  const { realtime } = context.services;
  try {
    if (input.intent === "add") {
      const { member, created } = await addMember(scope, input);
      const message = created
        ? `Added ${member.email} as ${member.role}`
        : `${member.email} already had an account and was added as ${member.role}`;
      return redirectWithFlash("/members", { type: "success", message }, context);
    }
    if (input.intent === "role") {
      await changeMemberRole(scope, input.userId, input.role);
      realtime.disconnectUser(input.userId);
      return redirectWithFlash(
        "/members",
        { type: "success", message: `Role changed to ${input.role}` },
        context,
        reloadIfSelf(input.userId, scope.userId),
      );
    }
    await removeMember(scope, input.userId);
    realtime.disconnectUser(input.userId);
    // Removing yourself leaves nothing to manage here; the overview picks another tenant.
    const to = input.userId === scope.userId ? "/" : "/members";
    return redirectWithFlash(
      to,
      { type: "success", message: "Member removed" },
      context,
      reloadIfSelf(input.userId, scope.userId),
    );
  } catch (error) {
    if (error instanceof HttpError) return data<ActionResult>({ error: error.message }, { status: error.status });
    if (error instanceof ZodError)
      return data<ActionResult>({ fieldErrors: z.flattenError(error).fieldErrors }, { status: 400 });
    throw error;
  }
}

/** Our own sockets were just dropped; a full page load opens a fresh one (it does not reconnect by itself). */
function reloadIfSelf(targetUserId: string, currentUserId: string): ResponseInit {
  return targetUserId === currentUserId ? { headers: { "X-Remix-Reload-Document": "true" } } : {};
}

export default function MembersPage() {
  const { tenantName, members, currentUserId, roles } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader title="Members" description={`People who can sign in to ${tenantName}, and what they may do.`} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <Card title={`${members.length} ${members.length === 1 ? "member" : "members"}`}>
            <Table
              caption={`Members of ${tenantName}`}
              columns={["Member", "Role", "Added", { label: "Actions", srOnly: true, align: "right" }]}
            >
              {members.map((member) => (
                <MemberRow key={member.userId} member={member} isSelf={member.userId === currentUserId} roles={roles} />
              ))}
            </Table>
          </Card>
          <RoleLegend />
        </div>
        <AddMemberCard roles={roles} />
      </div>
    </div>
  );
}

function AddMemberCard({ roles }: { roles: readonly string[] }) {
  const fetcher = useFetcher<ActionResult>();
  const formRef = useResetOnSuccess(fetcher);
  const busy = fetcher.state !== "idle";
  const errors = fetcher.data?.fieldErrors;
  return (
    <Card title="Add a member">
      <fetcher.Form method="post" ref={formRef} className="space-y-4">
        <Field
          label="Email"
          name="email"
          id="member-email"
          type="email"
          required
          autoComplete="off"
          error={errors?.email?.[0]}
        />
        <Field
          label="Name"
          name="name"
          id="member-name"
          required
          maxLength={100}
          autoComplete="off"
          error={errors?.name?.[0]}
        />
        <Field
          label="Initial password"
          name="password"
          id="member-password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters. Ignored when the person already has an Argus account."
          error={errors?.password?.[0]}
        />
        <SelectField label="Role" name="role" id="member-role" defaultValue="viewer" error={errors?.role?.[0]}>
          {roles.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </SelectField>
        <FormError message={fetcher.data?.error} />
        <Button name="intent" value="add" disabled={busy}>
          {busy ? "Adding…" : "Add member"}
        </Button>
      </fetcher.Form>
    </Card>
  );
}

interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
}

function MemberRow({ member, isSelf, roles }: { member: MemberView; isSelf: boolean; roles: readonly string[] }) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  const who = isSelf ? "yourself" : member.email;
  return (
    <tr>
      <Td>
        <p className="font-medium text-slate-900">
          {member.name} {isSelf ? <Badge tone="indigo">you</Badge> : null}
        </p>
        <p className="text-slate-500">{member.email}</p>
      </Td>
      <Td>
        <fetcher.Form method="post" className="flex items-center gap-2">
          <input type="hidden" name="userId" value={member.userId} />
          <label htmlFor={`role-${member.userId}`} className="sr-only">
            Role of {member.email}
          </label>
          <select
            id={`role-${member.userId}`}
            name="role"
            defaultValue={member.role}
            key={member.role}
            className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500 focus:outline-none"
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
          <Button
            variant="secondary"
            name="intent"
            value="role"
            disabled={busy}
            aria-label={`Save role of ${member.email}`}
          >
            {busy && fetcher.formData?.get("intent") === "role" ? "Saving…" : "Save"}
          </Button>
        </fetcher.Form>
      </Td>
      <Td className="whitespace-nowrap text-slate-600">
        <LocalTime iso={member.createdAt} />
      </Td>
      <Td className="text-right">
        <fetcher.Form method="post">
          <input type="hidden" name="userId" value={member.userId} />
          <ConfirmButton label="Remove" question={`Remove ${who} from this tenant?`} value="remove" busy={busy} />
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

function RoleLegend() {
  return (
    <dl className="mt-4 grid gap-2 text-xs text-slate-600 sm:grid-cols-3">
      <div>
        <dt className="font-semibold text-slate-700">viewer</dt>
        <dd>Sees dashboards and sites.</dd>
      </div>
      <div>
        <dt className="font-semibold text-slate-700">operator</dt>
        <dd>Also creates and edits sites and cameras.</dd>
      </div>
      <div>
        <dt className="font-semibold text-slate-700">admin</dt>
        <dd>Also manages members and deletes things.</dd>
      </div>
    </dl>
  );
}
