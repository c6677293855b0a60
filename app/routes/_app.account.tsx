// The signed-in user's own account (U1): change the password, see and revoke sessions.
// Revoking sessions also drops the user's live sockets; that includes this browser's, so those
// redirects reload the document to open a fresh socket on the (still valid) current session.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { z, ZodError } from "zod";
import { requireUser } from "~/auth/guards.server";
import {
  createSession,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  serializeSessionCookie,
} from "~/auth/session.server";
import { ConfirmButton } from "~/components/confirm-button";
import { Badge, Button, Card, Field, FormError, PageHeader, type FieldErrors } from "~/components/form";
import { LocalTime } from "~/components/local-time";
import { Table, Td } from "~/components/table";
import { describeUserAgent } from "~/components/user-agent";
import { recordAudit } from "~/models/audit.server";
import { changePassword, passwordSchema } from "~/models/users.server";
import { HttpError } from "~/utils/errors.server";
import { redirectWithFlash } from "~/utils/flash.server";

export const meta: MetaFunction = () => [{ title: "Account · Argus" }];

const RELOAD = { "X-Remix-Reload-Document": "true" };

// A function, not a constant: its parts come from *.server modules, which the browser bundle lacks.
function actionSchema() {
  return z.discriminatedUnion("intent", [
    z
      .object({
        intent: z.literal("password"),
        currentPassword: z.string().min(1, "Enter your current password").max(256),
        newPassword: passwordSchema,
        confirmPassword: z.string(),
      })
      .refine((v) => v.newPassword === v.confirmPassword, {
        message: "The passwords do not match",
        path: ["confirmPassword"],
      }),
    z.object({ intent: z.literal("revoke"), sessionId: z.string().regex(/^[0-9a-f]{64}$/, "Unknown session") }),
    z.object({ intent: z.literal("others") }),
  ]);
}

interface ActionResult {
  error?: string;
  fieldErrors?: FieldErrors;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = requireUser(request, context);
  const sessions = await listUserSessions(context.services.db, auth.user.id);
  return {
    user: { name: auth.user.name, email: auth.user.email, isPlatformAdmin: auth.user.isPlatformAdmin },
    sessions: sessions
      .map((s) => ({
        id: s.id,
        current: s.id === auth.session.id,
        createdAt: s.createdAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        ip: s.ip,
        userAgent: s.userAgent,
      }))
      // This device first, then newest first.
      .sort((a, b) => Number(b.current) - Number(a.current) || b.createdAt.localeCompare(a.createdAt)),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const auth = requireUser(request, context);
  const parsed = actionSchema().safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  const input = parsed.data;
  const { db, config, realtime } = context.services;
  const userId = auth.user.id;
  try {
    if (input.intent === "password") {
      // changePassword revokes every session, this one included; sign this browser back in.
      await changePassword(db, userId, input.currentPassword, input.newPassword);
      realtime.disconnectUser(userId);
      const token = generateSessionToken();
      const session = await createSession(db, {
        token,
        userId,
        ttlDays: config.SESSION_TTL_DAYS,
        activeTenantId: auth.session.activeTenantId,
        ip: context.clientIp,
        userAgent: request.headers.get("user-agent") ?? undefined,
      });
      const headers = { ...RELOAD, "Set-Cookie": serializeSessionCookie(token, session.expiresAt, context.secure) };
      return redirectWithFlash(
        "/account",
        { type: "success", message: "Password changed. Every other session was signed out." },
        context,
        { headers },
      );
    }
    if (input.intent === "revoke") {
      // Only the user's own sessions, and not this one (signing out is the user menu's job).
      const own = await listUserSessions(db, userId);
      if (input.sessionId === auth.session.id || !own.some((s) => s.id === input.sessionId)) {
        return data<ActionResult>({ error: "That session cannot be revoked here" }, { status: 400 });
      }
      await invalidateSession(db, input.sessionId);
      realtime.disconnectUser(userId);
      await recordAudit(db, { userId, action: "session.revoke", ip: context.clientIp });
      return redirectWithFlash("/account", { type: "success", message: "Session revoked" }, context, {
        headers: RELOAD,
      });
    }
    const count = await invalidateUserSessions(db, userId, auth.session.id);
    realtime.disconnectUser(userId);
    await recordAudit(db, { userId, action: "session.revoke_others", ip: context.clientIp, details: { count } });
    const message =
      count === 0 ? "No other sessions were open" : `Signed out ${count} other ${count === 1 ? "session" : "sessions"}`;
    return redirectWithFlash("/account", { type: "success", message }, context, { headers: RELOAD });
  } catch (error) {
    if (error instanceof HttpError) return data<ActionResult>({ error: error.message }, { status: error.status });
    if (error instanceof ZodError)
      return data<ActionResult>({ fieldErrors: z.flattenError(error).fieldErrors }, { status: 400 });
    throw error;
  }
}

export default function AccountPage() {
  const { user, sessions } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader
        title="Account"
        description={`Signed in as ${user.email}${user.isPlatformAdmin ? " · platform admin" : ""}`}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <SessionsCard sessions={sessions} />
        </div>
        <PasswordCard email={user.email} />
      </div>
    </div>
  );
}

function PasswordCard({ email }: { email: string }) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  const errors = fetcher.data?.fieldErrors;
  return (
    <Card title="Change password">
      <fetcher.Form method="post" className="space-y-4">
        {/* Lets password managers pair the new password with the account. */}
        <input type="hidden" name="username" autoComplete="username" value={email} readOnly />
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={errors?.currentPassword?.[0]}
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          hint="At least 12 characters."
          error={errors?.newPassword?.[0]}
        />
        <Field
          label="Confirm new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          error={errors?.confirmPassword?.[0]}
        />
        <FormError message={fetcher.data?.error} />
        <p className="text-xs text-slate-500">Changing it signs you out everywhere else.</p>
        <Button name="intent" value="password" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </Button>
      </fetcher.Form>
    </Card>
  );
}

interface SessionView {
  id: string;
  current: boolean;
  createdAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

function SessionsCard({ sessions }: { sessions: SessionView[] }) {
  const fetcher = useFetcher<ActionResult>();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <Card
      title="Sessions"
      actions={
        others > 0 ? (
          <fetcher.Form method="post">
            <ConfirmButton
              label="Sign out everywhere else"
              question={`End ${others} other ${others === 1 ? "session" : "sessions"}?`}
              confirmLabel="Sign out"
              value="others"
              busy={fetcher.state !== "idle"}
            />
          </fetcher.Form>
        ) : null
      }
    >
      <FormError message={fetcher.data?.error} />
      <Table
        caption="Your sessions"
        columns={["Device", "Signed in", "Expires", { label: "Actions", srOnly: true, align: "right" }]}
      >
        {sessions.map((session) => (
          <SessionRow key={session.id} session={session} />
        ))}
      </Table>
    </Card>
  );
}

function SessionRow({ session }: { session: SessionView }) {
  const fetcher = useFetcher<ActionResult>();
  const device = describeUserAgent(session.userAgent);
  return (
    <tr data-testid={session.current ? "current-session" : "session"}>
      <Td>
        <p className="font-medium text-slate-900" title={session.userAgent ?? undefined}>
          {device} {session.current ? <Badge tone="emerald">this device</Badge> : null}
        </p>
        <p className="font-mono text-xs text-slate-500">{session.ip ?? "unknown IP"}</p>
      </Td>
      <Td className="whitespace-nowrap text-slate-600">
        <LocalTime iso={session.createdAt} />
      </Td>
      <Td className="whitespace-nowrap text-slate-600">
        <LocalTime iso={session.expiresAt} />
      </Td>
      <Td className="text-right">
        {session.current ? null : (
          <fetcher.Form method="post">
            <input type="hidden" name="sessionId" value={session.id} />
            <ConfirmButton
              label="Revoke"
              question={`Sign out ${device}?`}
              confirmLabel="Revoke"
              value="revoke"
              busy={fetcher.state !== "idle"}
            />
          </fetcher.Form>
        )}
        {fetcher.data?.error ? (
          <div className="mt-2 text-left">
            <FormError message={fetcher.data.error} />
          </div>
        ) : null}
      </Td>
    </tr>
  );
}
