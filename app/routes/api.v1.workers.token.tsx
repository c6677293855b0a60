// POST /api/v1/workers/token (SPEC W8): `Authorization: Bearer <worker credential>` -> a short-lived
// signed token for the /workers socket.io handshake. No session: the credential is the authentication.
import { workerCredential } from "~/http/api-route-guards.server";
import { defineApiRoute } from "~/http/api-route.server";

const route = defineApiRoute({ path: "/api/v1/workers/token", tag: "Workers" }, (op) => ({
  post: op({
    summary: "Exchange a worker credential for a short-lived socket token",
    auth: workerCredential,
    responses: {
      200: "The signed token and its expiry (Cache-Control: no-store)",
      401: "Missing or revoked credential",
    },
    handler: async ({ auth: credential, context }) =>
      Response.json(await context.services.fleet.credentials.exchange(credential), {
        headers: { "cache-control": "no-store" },
      }),
  }),
}));

export const loader = route.loader;
export const action = route.action;
