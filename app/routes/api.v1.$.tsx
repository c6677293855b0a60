// Any other /api/v1 path: a JSON 404 instead of the HTML error page, and only after the auth
// check, so unauthenticated callers cannot probe which paths exist.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { api } from "~/utils/api.server";

function notFound({ request, context }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> {
  requireUser(request, context);
  const path = new URL(request.url).pathname;
  return Promise.resolve(
    Response.json({ error: "not_found", message: `No API endpoint at ${request.method} ${path}` }, { status: 404 }),
  );
}

export const loader = api(notFound);
export const action = api(notFound);
