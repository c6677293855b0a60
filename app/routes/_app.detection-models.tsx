// Detection models (SPEC D1): the models this tenant's cameras can use (built-in, shared by a platform admin, the
// tenant's own) and, for admins, the upload of a YOLOv8/v11-style ONNX file. The upload goes straight to
// POST /api/v1/detection-models (its own size limit, DETECTION_MODEL_MAX_MB; streamed to DATA_DIR/models with its
// checksum): a Remix form action would hit the 2 MiB limit of every other route.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useRef, useState, type FormEvent } from "react";
import { requireTenant } from "~/auth/guards.server";
import { Badge, Button, Card, Field, FormError, PageHeader } from "~/components/form";
import { LocalTime } from "~/components/local-time";
import { EmptyRow, Table, Td } from "~/components/table";
import { defaultModelId, listModels } from "~/models/detections/models.server";
import { hasRole } from "~/models/scope.server";

export const meta: MetaFunction = () => [{ title: "Detection models · Argus" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope, auth } = await requireTenant(request, context);
  return {
    models: await listModels(context.services.db, scope.tenantId),
    defaultModelId: defaultModelId(),
    canUpload: hasRole(scope.role, "admin"),
    canShare: auth.user.isPlatformAdmin,
    maxMb: context.services.config.DETECTION_MODEL_MAX_MB,
  };
}

interface UploadError {
  message: string;
  details?: Array<{ path: string; message: string }>;
}

export default function DetectionModelsPage() {
  const { models, defaultModelId, canUpload, canShare, maxMb } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const form = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UploadError | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const res = await fetch("/api/v1/detection-models", { method: "POST", body: new FormData(event.currentTarget) });
      const body = (await res.json().catch(() => null)) as {
        model?: { id: string; version: string };
        message?: string;
        details?: UploadError["details"];
      } | null;
      if (!res.ok) {
        setError({ message: body?.message ?? `Upload failed (HTTP ${res.status})`, details: body?.details });
        return;
      }
      setDone(
        `Model ${body?.model?.id ?? ""} ${body?.model?.version ?? ""} uploaded: choose it in a camera's settings.`,
      );
      form.current?.reset();
      revalidator.revalidate();
    } catch {
      setError({ message: "The server could not be reached" });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Detection models"
        description="What workers detect with. Each camera picks one in its settings; every event records the model id and version."
      />
      <Card title={`Models (${models.length})`}>
        <Table
          caption="Detection models available to this tenant"
          columns={["Model", "Format", "Input", "Classes", "Licence", "Size", "Added"]}
        >
          {models.length === 0 ? (
            <EmptyRow colSpan={7}>No models yet: `npm run setup` builds the built-in ones.</EmptyRow>
          ) : null}
          {models.map((m) => (
            <tr key={`${m.id}@${m.version}`} data-testid="model-row" data-model-id={m.id}>
              <Td>
                <div className="flex flex-wrap items-center gap-1.5">
                  <span className="font-medium">{m.id}</span>
                  <span className="text-xs text-slate-500">v{m.version}</span>
                  {m.id === defaultModelId ? <Badge tone="indigo">default</Badge> : null}
                  {m.builtin ? <Badge>built-in</Badge> : m.shared ? <Badge tone="emerald">shared</Badge> : null}
                </div>
                <p className="mt-0.5 font-mono text-[11px] text-slate-500" title="SHA-256 of the ONNX file">
                  {m.sha256.slice(0, 16)}…
                </p>
              </Td>
              <Td>{m.format}</Td>
              <Td className="tabular-nums">
                {m.inputWidth}×{m.inputHeight}
              </Td>
              <Td>
                <span title={m.classes.join(", ")}>{m.classes.length}</span>
              </Td>
              <Td className="max-w-xs text-xs">{m.licence ?? "—"}</Td>
              <Td className="tabular-nums">{(m.sizeBytes / 1024 / 1024).toFixed(1)} MB</Td>
              <Td className="whitespace-nowrap">
                <LocalTime iso={m.createdAt} />
              </Td>
            </tr>
          ))}
        </Table>
      </Card>
      {canUpload ? (
        <Card title="Upload a YOLO model">
          <p className="mb-4 text-sm text-slate-600">
            A YOLOv8 or YOLOv11 detector exported to ONNX (one output <code>[1, 4 + classes, N]</code>), up to {maxMb}{" "}
            MB. Workers download it with their own credential and check its SHA-256 before running it.
          </p>
          <form
            ref={form}
            method="post"
            action="/api/v1/detection-models"
            encType="multipart/form-data"
            onSubmit={upload}
            className="grid gap-4 sm:grid-cols-2"
            aria-busy={busy}
          >
            <Field
              label="Model id"
              name="id"
              required
              placeholder="yolo11n-site"
              pattern="[A-Za-z0-9][A-Za-z0-9._:\-]*"
            />
            <Field label="Version" name="version" required placeholder="1" />
            <Field label="Input size" name="inputSize" defaultValue="640" hint='Square ("640") or "640x384"' />
            <Field label="Licence" name="licence" placeholder="AGPL-3.0" />
            <div className="sm:col-span-2">
              <label htmlFor="classes" className="block text-sm font-medium text-slate-700">
                Classes
              </label>
              <textarea
                id="classes"
                name="classes"
                required
                rows={3}
                placeholder="person, bicycle, car, motorcycle, bus, truck"
                aria-describedby="classes-hint"
                className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500 focus:outline-none"
              />
              <p id="classes-hint" className="mt-1 text-xs text-slate-500">
                In the model&apos;s output order: a comma list or a JSON array.
              </p>
            </div>
            <div className="sm:col-span-2">
              <label htmlFor="file" className="block text-sm font-medium text-slate-700">
                ONNX file
              </label>
              <input id="file" name="file" type="file" accept=".onnx" required className="mt-1 block text-sm" />
            </div>
            {canShare ? (
              <label className="flex items-center gap-2 text-sm sm:col-span-2">
                <input type="checkbox" name="shared" value="true" /> Share with every tenant
              </label>
            ) : null}
            <div className="space-y-2 sm:col-span-2">
              {error ? (
                <>
                  <FormError message={error.message} />
                  {error.details?.length ? (
                    <ul className="list-disc pl-5 text-sm text-red-700">
                      {error.details.map((d) => (
                        <li key={d.path + d.message}>{d.path ? `${d.path}: ${d.message}` : d.message}</li>
                      ))}
                    </ul>
                  ) : null}
                </>
              ) : null}
              {done ? (
                <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
                  {done}
                </p>
              ) : null}
              <Button disabled={busy}>{busy ? "Uploading…" : "Upload model"}</Button>
            </div>
          </form>
        </Card>
      ) : null}
    </div>
  );
}
