// GET /docs: where the documented productivity API says its browsable docs are ("Visit /docs"). A
// redirect, so there is one reference: to /api-docs (the API reference page, rendered from the OpenAPI
// document), or to that document itself (/api/v1/openapi.json) for a client that asks for JSON.
// Session-guarded like every page: the server's outer wall (app/http/auth-middleware.server.ts) sends a
// visitor without a session through /login and back here. The reference lives in the signed-in shell
// and tells nobody without an account or an API key anything they could use; API-key clients read the
// OpenAPI document at /api/v1/openapi.json, which accepts their key.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

export function loader({ request }: LoaderFunctionArgs) {
  const accept = request.headers.get("accept") ?? "";
  const wantsJson = accept.includes("application/json") && !accept.includes("text/html");
  return redirect(wantsJson ? "/api/v1/openapi.json" : "/api-docs", { headers: { "Cache-Control": "no-store" } });
}
