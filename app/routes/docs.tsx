// GET /docs: where the documented productivity API says its browsable docs are ("Visit /docs"). Public (issue 12
// §3: the reference holds no data): a visitor without a session reads the reference here, standalone; a signed-in
// browser goes to /api-docs (the same reference inside the app's shell); a client asking for JSON gets the
// OpenAPI document itself.
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ApiReference } from "~/components/api-reference";
import { buildOpenApiDocument } from "~/http/openapi.server";

export const meta: MetaFunction = () => [{ title: "API reference · Argus" }];

export function loader({ request, context }: LoaderFunctionArgs) {
  const accept = request.headers.get("accept") ?? "";
  const wantsJson = accept.includes("application/json") && !accept.includes("text/html");
  if (wantsJson || context.auth)
    throw redirect(wantsJson ? "/api/v1/openapi.json" : "/api-docs", { headers: { "Cache-Control": "no-store" } });
  return { doc: buildOpenApiDocument() };
}

export default function Docs() {
  const { doc } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
      <p className="mb-6 text-sm">
        <a href="/login?redirectTo=%2Fapi-docs" className="font-medium text-indigo-700 underline hover:text-indigo-900">
          Sign in
        </a>{" "}
        to call the API from this browser, or send an API key.
      </p>
      <ApiReference doc={doc} />
    </main>
  );
}
