import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { safeText } from "../../protocol/strings";
import { getDummyHash, verifyPassword } from "~/auth/password.server";
import { createSession, generateSessionToken, serializeSessionCookie } from "~/auth/session.server";
import { recordAudit } from "~/models/audit.server";
import { listMemberships } from "~/models/scope.server";
import { findUserByEmail } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Argus" }];

// Remix drops an action's non-cookie headers from document responses unless the route exports
// headers; without this the 429 below reached clients without its Retry-After.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

const loginSchema = z.object({
  // The type-level message too: a missing field is undefined, not "", and zod's default is cryptic.
  email: safeText({ error: "Enter your email" }).trim().toLowerCase().min(1, "Enter your email").max(254),
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(256),
  redirectTo: z.string().optional(),
});

/** Only same-site paths, never //host or scheme URLs (open redirect). */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (context.auth) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { db, config, loginLimiter, loginIpLimiter, logger } = context.services;
  // formData() throws on bodies that are not forms (e.g. JSON): that is a client error, not a 500.
  const form = await request.formData().catch(() => null);
  if (!form) return Response.json({ error: "Send the sign-in form (email and password)" }, { status: 400 });
  const parsed = loginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return Response.json({ error: parsed.error.issues[0].message }, { status: 400 });
  const { email, password } = parsed.data;

  // Two limits: attempts per email+IP, and failed attempts per IP across emails (a spray of many emails
  // from one address). Both are keyed by the IP, so an attacker elsewhere cannot lock the real user out.
  const limiterKey = `${email}|${context.clientIp}`;
  const wait = Math.max(loginIpLimiter.peek(context.clientIp), loginLimiter.hit(limiterKey));
  if (wait > 0) {
    logger.warn({ ip: context.clientIp }, "login rate limited");
    return Response.json(
      { error: `Too many attempts. Try again in ${Math.ceil(wait / 60)} minute(s).` },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }

  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), password);
  if (!user || !valid) {
    loginIpLimiter.hit(context.clientIp);
    await recordAudit(db, { userId: user?.id, action: "login.failure", ip: context.clientIp });
    return Response.json({ error: "Wrong email or password" }, { status: 401 });
  }
  loginLimiter.reset(limiterKey);

  const memberships = await listMemberships(db, user.id);
  const token = generateSessionToken();
  const session = await createSession(db, {
    token,
    userId: user.id,
    ttlDays: config.SESSION_TTL_DAYS,
    activeTenantId: memberships[0]?.tenantId ?? null,
    ip: context.clientIp,
    userAgent: request.headers.get("user-agent") ?? undefined,
  });
  await recordAudit(db, {
    tenantId: session.activeTenantId,
    userId: user.id,
    action: "login.success",
    ip: context.clientIp,
  });
  logger.info({ userId: user.id }, "user signed in");
  return redirect(safeRedirect(parsed.data.redirectTo), {
    headers: { "Set-Cookie": serializeSessionCookie(token, session.expiresAt, context.secure) },
  });
}

export default function Login() {
  const actionData = useActionData<{ error?: string }>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <span
            aria-hidden
            className="inline-flex h-12 w-12 items-center justify-center rounded-xl bg-indigo-600 text-2xl font-black text-white"
          >
            A
          </span>
          <h1 className="mt-4 text-2xl font-bold tracking-tight">Sign in to Argus</h1>
        </div>
        <Form method="post" className="space-y-4 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <div>
            <label htmlFor="email" className="block text-sm font-medium">
              Email
            </label>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              required
              autoFocus
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500 focus:outline-none"
            />
          </div>
          <div>
            <label htmlFor="password" className="block text-sm font-medium">
              Password
            </label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500 focus:outline-none"
            />
          </div>
          {actionData?.error ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              {actionData.error}
            </p>
          ) : null}
          <button
            type="submit"
            disabled={busy}
            className="w-full rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
          >
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </Form>
      </div>
    </main>
  );
}
