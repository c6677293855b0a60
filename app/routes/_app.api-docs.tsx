// Browsable API reference (SPEC P6), rendered from the same OpenAPI document as /api/v1/openapi.json.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireTenant } from "~/auth/guards.server";
import { buildOpenApiDocument } from "~/models/productivity/openapi.server";

export const meta: MetaFunction = () => [{ title: "API docs · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireTenant(request, context);
  return { doc: JSON.parse(JSON.stringify(buildOpenApiDocument())) as OpenApiView };
}

interface OpenApiView {
  info: { title: string; description: string; version: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, OperationView>>;
}
interface OperationView {
  tags: string[];
  summary: string;
  description: string;
  operationId: string;
  parameters: Array<{ name: string; in: string; required: boolean; description?: string; schema: { type?: string } }>;
  requestBody?: { content: { "application/json": { schema: unknown } } };
  responses: Record<string, { description: string; content?: { "application/json": { schema: unknown } } }>;
}

const METHOD_STYLE: Record<string, string> = {
  get: "bg-sky-100 text-sky-800",
  post: "bg-emerald-100 text-emerald-800",
  patch: "bg-amber-100 text-amber-800",
  delete: "bg-red-100 text-red-800",
};

export default function ApiDocs() {
  const { doc } = useLoaderData<typeof loader>();
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">{doc.info.title}</h1>
        <p className="mt-2 max-w-3xl text-sm text-slate-600">{doc.info.description}</p>
        <p className="mt-2 text-sm">
          <a className="text-indigo-600 hover:underline" href="/api/v1/openapi.json">
            OpenAPI 3.1 JSON
          </a>{" "}
          · version {doc.info.version}
        </p>
      </div>
      {doc.tags.map(({ name }) => (
        <section key={name} className="space-y-2">
          <h2 className="text-lg font-semibold">{name}</h2>
          {ops
            .filter((o) => o.op.tags.includes(name))
            .map(({ path, method, op }) => (
              <details key={op.operationId} id={op.operationId} className="rounded-lg bg-white ring-1 ring-slate-200">
                <summary className="flex cursor-pointer items-center gap-3 px-4 py-2">
                  <span
                    className={`w-16 rounded px-2 py-0.5 text-center font-mono text-xs font-bold uppercase ${METHOD_STYLE[method] ?? ""}`}
                  >
                    {method}
                  </span>
                  <code className="font-mono text-sm">{path}</code>
                  <span className="text-sm text-slate-600">{op.summary}</span>
                </summary>
                <div className="space-y-3 border-t border-slate-100 px-4 py-3 text-sm">
                  <p className="whitespace-pre-line text-slate-700">{op.description}</p>
                  {op.parameters.length ? (
                    <table className="text-xs">
                      <thead>
                        <tr className="text-left text-slate-500">
                          <th className="pr-4">Parameter</th>
                          <th className="pr-4">In</th>
                          <th className="pr-4">Required</th>
                          <th>Description</th>
                        </tr>
                      </thead>
                      <tbody>
                        {op.parameters.map((p) => (
                          <tr key={p.in + p.name}>
                            <td className="pr-4 font-mono">{p.name}</td>
                            <td className="pr-4">{p.in}</td>
                            <td className="pr-4">{p.required ? "yes" : "no"}</td>
                            <td>{p.description ?? p.schema.type}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                  {op.requestBody ? (
                    <Schema
                      title="Request body (application/json)"
                      schema={op.requestBody.content["application/json"].schema}
                    />
                  ) : null}
                  {Object.entries(op.responses).map(([status, r]) => (
                    <div key={status}>
                      <p>
                        <span className="font-mono font-semibold">{status}</span> {r.description}
                      </p>
                      {r.content ? <Schema title="Response" schema={r.content["application/json"].schema} /> : null}
                    </div>
                  ))}
                </div>
              </details>
            ))}
        </section>
      ))}
    </div>
  );
}

function Schema({ title, schema }: { title: string; schema: unknown }) {
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-slate-500">{title}</summary>
      <pre className="mt-1 max-h-80 overflow-auto rounded bg-slate-50 p-2 text-xs">
        {JSON.stringify(schema, null, 2)}
      </pre>
    </details>
  );
}
