// /api-docs: the API reference inside the signed-in shell (SPEC P6, issue 12 §3), rendered on the server from the
// same OpenAPI document as /api/v1/openapi.json. Visitors without a session read the same page at /docs.
import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ApiReference } from "~/components/api-reference";
import { buildOpenApiDocument } from "~/http/openapi.server";

export const meta: MetaFunction = () => [{ title: "API reference · Argus" }];

// The shell's loader has already required a session; the document itself holds no tenant data.
export function loader() {
  return { doc: buildOpenApiDocument() };
}

export default function ApiDocs() {
  const { doc } = useLoaderData<typeof loader>();
  return <ApiReference doc={doc} />;
}
