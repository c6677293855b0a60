// POST /api/v1/workers/token (SPEC W8): `Authorization: Bearer <worker credential>` -> a short-lived
// signed token for the /workers socket.io handshake. No session: the credential is the authentication.
import type { ActionFunctionArgs } from "@remix-run/node";
import { fleetApi } from "~/fleet/http.server";
import { methodNotAllowed } from "~/utils/api.server";
import { HttpError } from "~/utils/errors.server";

export const loader = () => methodNotAllowed(["POST"]);

export const action = fleetApi(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const match = /^Bearer\s+(\S{10,200})$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) throw new HttpError(401, "Send the worker credential as Authorization: Bearer <credential>");
  const reply = await context.services.fleet.credentials.exchange(match[1]);
  return Response.json(reply, { headers: { "cache-control": "no-store" } });
});
