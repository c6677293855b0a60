// The API reference (issue 12 §3, P6), server-rendered from the OpenAPI document (no CDN, no Swagger UI): a
// contents list, then each operation with who may call it, its parameters, body fields and responses. The
// document's descriptions are small Markdown (code spans, bold, links, paragraphs, lists), rendered here rather
// than shown raw. Used by /docs (public) and /api-docs (inside the signed-in shell).
import { Fragment, type ReactNode } from "react";
import type { OpenApiDocument, OpenApiOperation } from "~/http/openapi.server";

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
};

const METHOD_STYLE: Record<string, string> = {
  get: "bg-sky-100 text-sky-900",
  post: "bg-emerald-100 text-emerald-900",
  put: "bg-violet-100 text-violet-900",
  patch: "bg-amber-100 text-amber-900",
  delete: "bg-red-100 text-red-900",
};

export function ApiReference({ doc, jsonHref = "/api/v1/openapi.json" }: { doc: OpenApiDocument; jsonHref?: string }) {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <div className="space-y-8">
      <header className="space-y-3">
        <h1 className="text-2xl font-bold tracking-tight">{doc.info.title}</h1>
        <Markdown text={doc.info.description} className="max-w-3xl text-sm text-slate-700" />
        <p className="text-sm">
          <a className="font-medium text-indigo-700 underline hover:text-indigo-900" href={jsonHref}>
            OpenAPI 3.1 document (JSON)
          </a>{" "}
          · version {doc.info.version} · {ops.length} operations
        </p>
      </header>
      <nav aria-label="API contents" className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
        <h2 className="text-sm font-semibold text-slate-700">Contents</h2>
        <ul className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
          {doc.tags.map(({ name }) => (
            <li key={name}>
              <a className="text-indigo-700 underline hover:text-indigo-900" href={`#${anchor(name)}`}>
                {name}
              </a>{" "}
              <span className="text-slate-500">({ops.filter((o) => o.op.tags.includes(name)).length})</span>
            </li>
          ))}
        </ul>
      </nav>
      {doc.tags.map(({ name }) => (
        <section key={name} aria-labelledby={anchor(name)} className="space-y-3">
          <h2 id={anchor(name)} className="text-lg font-semibold">
            {name}
          </h2>
          {ops
            .filter((o) => o.op.tags.includes(name))
            .map(({ path, method, op }) => (
              <OperationCard key={op.operationId} path={path} method={method} op={op} />
            ))}
        </section>
      ))}
    </div>
  );
}

function OperationCard({ path, method, op }: { path: string; method: string; op: OpenApiOperation }) {
  const body = op.requestBody && Object.entries(op.requestBody.content)[0];
  return (
    <article id={op.operationId} className="rounded-lg bg-white ring-1 ring-slate-200">
      <h3 className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-100 px-4 py-2">
        <span
          className={`rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ${METHOD_STYLE[method] ?? "bg-slate-100"}`}
        >
          {method}
        </span>
        <code className="font-mono text-sm break-all">{path}</code>
        <span className="text-sm font-normal text-slate-700">{renderInline(op.summary)}</span>
      </h3>
      <div className="space-y-3 px-4 py-3 text-sm">
        <Markdown text={op.description} className="text-slate-700" />
        {op.parameters.length ? (
          <FieldTable
            caption="Parameters"
            rows={op.parameters.map((p) => ({
              name: p.name,
              where: p.in,
              required: p.required,
              schema: p.schema as JsonSchema,
              description: p.description,
            }))}
          />
        ) : null}
        {body ? (
          <div>
            <p className="font-medium">
              Request body <span className="font-normal text-slate-600">({body[0]}</span>
              <span className="font-normal text-slate-600">{op.requestBody!.required ? ")" : ", optional)"}</span>
            </p>
            <SchemaFields schema={body[1].schema as JsonSchema} caption="Body fields" />
          </div>
        ) : null}
        <div>
          <p className="font-medium">Responses</p>
          <dl className="mt-1 space-y-1">
            {Object.entries(op.responses).map(([status, r]) => (
              <div key={status} className="flex flex-wrap gap-x-2">
                <dt className="font-mono font-semibold">{status}</dt>
                <dd className="min-w-0 flex-1">
                  <Markdown text={r.description} inline />
                  {/* Every error has the one shape the introduction gives: fields only for successes. */}
                  {r.content && Number(status) < 400
                    ? Object.entries(r.content).map(([type, c]) => (
                        <details key={type} className="mt-1">
                          <summary className="cursor-pointer text-xs text-slate-600">Response fields ({type})</summary>
                          <SchemaFields schema={c.schema as JsonSchema} caption={`${status} response fields`} />
                        </details>
                      ))
                    : null}
                </dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
    </article>
  );
}

interface FieldRow {
  name: string;
  where?: string;
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

function SchemaFields({ schema, caption }: { schema: JsonSchema; caption: string }) {
  const object = schema.properties ? schema : (schema.anyOf?.find((s) => s.properties) ?? schema.oneOf?.[0]);
  if (!object?.properties) return <p className="mt-1 text-xs text-slate-600">{typeLabel(schema)}</p>;
  const variants = (schema.oneOf ?? schema.anyOf ?? []).filter((s) => s.properties);
  const tables = variants.length > 1 ? variants : [object];
  return (
    <>
      {tables.map((variant, i) => (
        <Fragment key={i}>
          {tables.length > 1 ? <p className="mt-2 text-xs text-slate-600">One of ({i + 1}):</p> : null}
          <FieldTable
            caption={caption}
            rows={Object.entries(variant.properties ?? {}).map(([name, s]) => ({
              name,
              required: variant.required?.includes(name) ?? false,
              schema: s,
              description: s.description,
            }))}
          />
        </Fragment>
      ))}
    </>
  );
}

function FieldTable({ caption, rows }: { caption: string; rows: FieldRow[] }) {
  const showWhere = rows.some((r) => r.where);
  return (
    // A region that may scroll sideways on a phone: focusable and named, so keyboard users can scroll it too.
    <div className="relative mt-1 overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
      <table className="min-w-full text-left text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-4 font-semibold">
              Name
            </th>
            {showWhere ? (
              <th scope="col" className="py-1 pr-4 font-semibold">
                In
              </th>
            ) : null}
            <th scope="col" className="py-1 pr-4 font-semibold">
              Type
            </th>
            <th scope="col" className="py-1 font-semibold">
              Description
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={`${r.where ?? ""}${r.name}`} className="align-top">
              <td className="py-1 pr-4 font-mono whitespace-nowrap">
                {r.name}
                {r.required ? <span className="ml-1 text-red-700">required</span> : null}
              </td>
              {showWhere ? <td className="py-1 pr-4">{r.where}</td> : null}
              <td className="py-1 pr-4 font-mono">{typeLabel(r.schema)}</td>
              <td className="py-1">{r.description ? <Markdown text={r.description} inline /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `string (date-time)`, `"a" | "b"`, `integer 1..100`, `array of object`, `string | null`. */
export function typeLabel(schema: JsonSchema | undefined): string {
  if (!schema) return "any";
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return [...new Set(union.map(typeLabel))].join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  if (type === "array") return `array of ${typeLabel(schema.items)}`;
  // zod's int() bounds are the safe-integer range: not worth a reader's attention.
  const bounded = (n: number | undefined) => (n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined);
  const [min, max] = [bounded(schema.minimum), bounded(schema.maximum)];
  const bounds =
    min !== undefined || max !== undefined
      ? ` ${min ?? ""}..${max ?? ""}`
      : schema.maxLength !== undefined
        ? ` (≤ ${schema.maxLength} chars)`
        : "";
  return `${type}${schema.format ? ` (${schema.format})` : ""}${bounds}`;
}

const anchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

/** Paragraphs (blank lines) and "- " lists, each with inline Markdown. */
export function Markdown({ text, className, inline }: { text: string; className?: string; inline?: boolean }) {
  if (inline) return <span className={className}>{renderInline(text)}</span>;
  const blocks = text.split(/\n\s*\n/).filter((b) => b.trim());
  return (
    <div className={`space-y-2 ${className ?? ""}`}>
      {blocks.map((block, i) => {
        const lines = block.split("\n");
        if (lines.every((l) => /^\s*- /.test(l)))
          return (
            <ul key={i} className="list-disc space-y-1 pl-5">
              {lines.map((l, j) => (
                <li key={j}>{renderInline(l.replace(/^\s*- /, ""))}</li>
              ))}
            </ul>
          );
        return <p key={i}>{renderInline(block)}</p>;
      })}
    </div>
  );
}

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Code spans, bold and links; a link must stay on this site (a path or an anchor), so nothing leads outside. */
export function renderInline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const key = out.length;
    if (m[1] !== undefined)
      out.push(
        <code key={key} className="rounded bg-slate-100 px-1 font-mono text-[0.85em] text-slate-900">
          {m[1]}
        </code>,
      );
    else if (m[2] !== undefined) out.push(<strong key={key}>{m[2]}</strong>);
    else if (/^(\/(?!\/)|#)/.test(m[4]))
      out.push(
        <a key={key} href={m[4]} className="text-indigo-700 underline hover:text-indigo-900">
          {m[3]}
        </a>,
      );
    else out.push(m[3]);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
