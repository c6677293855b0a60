// A person's page (issue 14, S1): details for everyone in the tenant; for operators and admins, the enrolment images
// with face-found and quality badges, upload (several files) and capture from the browser's camera, and deletion.
// Viewers never receive images or their metadata (the API answers them 403 too).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { z, ZodError } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { ConfirmButton } from "~/components/confirm-button";
import { Badge, Button, Card, Field, FormError, PageHeader, SelectField, type FieldErrors } from "~/components/form";
import { CameraCapture } from "~/components/staff/camera-capture";
import { uploadImage, type UploadResult } from "~/components/staff/enrol-upload";
import { hasRole } from "~/models/scope.server";
import { listSites } from "~/models/sites.server";
import { deleteImage, ENROLMENT_RULES, listImages } from "~/models/staff/images.server";
import { getPerson, updatePerson } from "~/models/staff/people.server";
import { getFaceSettings } from "~/models/staff/settings.server";
import { HttpError } from "~/utils/errors.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.person.name ?? "Person"} · Staff · Argus` },
];

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("update"), name: z.string(), employeeNumber: z.string(), siteId: z.string() }),
  z.object({ intent: z.literal("delete-image"), imageId: z.uuid("Unknown image") }),
]);

interface ActionResult {
  ok?: boolean;
  error?: string;
  fieldErrors?: FieldErrors;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const personId = z.uuid().safeParse(params.personId);
  if (!personId.success) throw new Response("No such person", { status: 404 });
  const person = await getPerson(scope, personId.data).catch((error: unknown) => {
    if (error instanceof HttpError) throw new Response(error.message, { status: error.status });
    throw error;
  });
  const canManage = hasRole(scope.role, "operator");
  const [images, sites, faces] = await Promise.all([
    canManage ? listImages(scope, person.id) : [],
    listSites(scope),
    getFaceSettings(scope.db, scope.tenantId),
  ]);
  return {
    recognitionOn: faces.enabled,
    person,
    images,
    sites: sites.map((s) => ({ id: s.id, name: s.name })),
    canManage,
    rules: ENROLMENT_RULES,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "operator");
  const personId = z.uuid().safeParse(params.personId);
  if (!personId.success) return data<ActionResult>({ error: "No such person" }, { status: 404 });
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<ActionResult>({ error: "Invalid request" }, { status: 400 });
  const input = parsed.data;
  try {
    if (input.intent === "update")
      await updatePerson(scope, personId.data, {
        name: input.name,
        employeeNumber: input.employeeNumber || null,
        siteId: input.siteId || null,
      });
    else await deleteImage(scope, personId.data, input.imageId);
    return data<ActionResult>({ ok: true });
  } catch (error) {
    if (error instanceof HttpError) return data<ActionResult>({ error: error.message }, { status: error.status });
    if (error instanceof ZodError)
      return data<ActionResult>({ fieldErrors: z.flattenError(error).fieldErrors }, { status: 400 });
    throw error;
  }
}

export default function PersonPage() {
  const { person, images, sites, canManage, rules, recognitionOn } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader
        title={person.name}
        description={[
          person.employeeNumber ? `Employee no. ${person.employeeNumber}` : null,
          person.active ? "Active" : "Inactive: not recognised",
          `${person.images} enrolled image${person.images === 1 ? "" : "s"}`,
        ]
          .filter(Boolean)
          .join(" · ")}
        actions={
          <Link to="/staff" className="text-sm font-medium text-indigo-700 hover:underline">
            ← Staff
          </Link>
        }
      />
      {recognitionOn ? null : (
        <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Face recognition is off for this tenant: enrolled people are not recognised until an admin turns it on under{" "}
          <Link to="/staff/recognition" className="font-medium underline">
            Face recognition
          </Link>
          .
        </p>
      )}
      {canManage ? (
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="min-w-0 space-y-6 lg:col-span-2">
            <EnrolCard personId={person.id} rules={rules} />
            <ImagesCard personId={person.id} name={person.name} images={images} />
          </div>
          <EditCard person={person} sites={sites} />
        </div>
      ) : (
        <Card>
          <p className="text-sm text-slate-600">
            Face images are shown only to operators and admins. You can see this person in the directory and in
            attendance.
          </p>
        </Card>
      )}
    </div>
  );
}

function EnrolCard({ personId, rules }: { personId: string; rules: typeof ENROLMENT_RULES }) {
  const revalidator = useRevalidator();
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<UploadResult[]>([]);

  async function enrol(files: Array<{ blob: Blob; name: string }>) {
    setBusy(true);
    const done: UploadResult[] = [];
    for (const f of files) done.push(await uploadImage(personId, f.blob, f.name));
    setResults(done);
    setBusy(false);
    revalidator.revalidate();
  }

  return (
    <Card title="Enrol face images">
      <p className="mb-4 text-sm text-slate-600">
        One face per photo, looking at the camera, sharp, the face at least {rules.minFacePx} px; JPEG or PNG. Several
        photos (different days, light, glasses) make recognition more reliable. Photos are kept only for enrolment and
        shown only on this page.
      </p>
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const input = e.currentTarget.elements.namedItem("images") as HTMLInputElement;
          const files = [...(input.files ?? [])];
          if (files.length) void enrol(files.map((f) => ({ blob: f, name: f.name }))).then(() => (input.value = ""));
        }}
      >
        <label htmlFor="enrol-images" className="block text-sm font-medium text-slate-700">
          Face images
        </label>
        <input
          id="enrol-images"
          name="images"
          type="file"
          accept="image/jpeg,image/png"
          multiple
          required
          className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-indigo-700"
        />
        <Button disabled={busy}>{busy ? "Enrolling…" : "Upload"}</Button>
      </form>
      <div className="mt-6 border-t border-slate-100 pt-4">
        <h3 className="mb-2 text-sm font-medium text-slate-700">Or take a photo</h3>
        <CameraCapture busy={busy} onCapture={(jpeg) => void enrol([{ blob: jpeg, name: "camera.jpg" }])} />
      </div>
      {results.length ? (
        <ul aria-live="polite" className="mt-4 space-y-1 text-sm">
          {results.map((r, i) => (
            <li key={i} className={r.ok ? "text-emerald-700" : "text-red-700"}>
              {r.name}: {r.ok ? `enrolled, ${r.message}` : r.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

interface ImageView {
  id: string;
  width: number;
  height: number;
  quality: { sizePx: number; sharpness: number; frontal: number };
  faceScore: number;
  createdAt: string;
}

function ImagesCard({ personId, name, images }: { personId: string; name: string; images: ImageView[] }) {
  return (
    <Card title={`${images.length} enrolled image${images.length === 1 ? "" : "s"}`}>
      {images.length === 0 ? (
        <p className="text-sm text-slate-500">No images yet: {name} cannot be recognised until one is enrolled.</p>
      ) : (
        <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3">
          {images.map((image, i) => (
            <ImageTile key={image.id} personId={personId} image={image} label={`Enrolment image ${i + 1} of ${name}`} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ImageTile({ personId, image, label }: { personId: string; image: ImageView; label: string }) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  return (
    <li className="min-w-0 space-y-2">
      <img
        src={`/api/v1/staff/${personId}/images/${image.id}`}
        alt={label}
        width={image.width}
        height={image.height}
        loading="lazy"
        className="aspect-square w-full rounded-md bg-slate-100 object-cover"
      />
      <div className="flex flex-wrap gap-1">
        <Badge tone="emerald">Face found</Badge>
        <Badge>{image.quality.sizePx} px</Badge>
        <Badge>Sharpness {image.quality.sharpness}</Badge>
        <Badge>Frontal {image.quality.frontal}</Badge>
      </div>
      <fetcher.Form method="post" aria-label={`Delete ${label}`}>
        <input type="hidden" name="imageId" value={image.id} />
        <ConfirmButton
          label="Delete image"
          question="Delete this image?"
          confirmLabel="Delete"
          value="delete-image"
          busy={busy}
        />
      </fetcher.Form>
      <FormError message={fetcher.data?.error} />
    </li>
  );
}

function EditCard({
  person,
  sites,
}: {
  person: { id: string; name: string; employeeNumber: string | null; siteId: string | null };
  sites: Array<{ id: string; name: string }>;
}) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  return (
    <Card title="Details">
      <fetcher.Form method="post" className="space-y-4">
        <Field
          label="Name"
          name="name"
          id="person-name"
          defaultValue={person.name}
          required
          maxLength={100}
          error={fetcher.data?.fieldErrors?.name?.[0]}
        />
        <Field
          label="Employee number (optional)"
          name="employeeNumber"
          id="person-number"
          defaultValue={person.employeeNumber ?? ""}
          maxLength={40}
          error={fetcher.data?.fieldErrors?.employeeNumber?.[0]}
        />
        <SelectField label="Site (optional)" name="siteId" id="person-site" defaultValue={person.siteId ?? ""}>
          <option value="">No site</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
        <FormError message={fetcher.data?.error} />
        {fetcher.data?.ok && !busy ? (
          <p role="status" className="text-sm text-emerald-700">
            Saved
          </p>
        ) : null}
        <Button name="intent" value="update" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </Button>
      </fetcher.Form>
    </Card>
  );
}
