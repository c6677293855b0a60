// Face recognition switch and settings (issue 14, S1, D6; privacy in docs/staff.md). Everyone in the tenant can read
// what is stored; only admins turn recognition on or off (audited) and change the settings. Turning it off stops
// recognition on the workers within seconds (they receive an empty, disabled gallery).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { z, ZodError } from "zod";
import { requireTenant } from "~/auth/guards.server";
import { Badge, Button, Card, Field, FormError, PageHeader, SelectField, type FieldErrors } from "~/components/form";
import { listTimeZones } from "~/components/time-zones";
import { hasRole } from "~/models/scope.server";
import { getFaceSettings, updateFaceSettings } from "~/models/staff/settings.server";
import { HttpError } from "~/utils/errors.server";

export const meta: MetaFunction = () => [{ title: "Face recognition · Staff · Argus" }];

const num = z.coerce.number();
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["turn-on", "turn-off"]) }),
  z.object({
    intent: z.literal("save"),
    threshold: num,
    margin: num,
    minFacePx: num,
    reclassifySeconds: num,
    eventRetentionDays: num,
    timezone: z.string(),
  }),
]);

interface ActionResult {
  ok?: boolean;
  error?: string;
  fieldErrors?: FieldErrors;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { scope } = await requireTenant(request, context);
  const faces = await getFaceSettings(scope.db, scope.tenantId);
  return {
    faces,
    isAdmin: hasRole(scope.role, "admin"),
    timeZones: listTimeZones([faces.timezone]),
    detectionRetentionDays: context.services.config.DETECTION_RAW_RETENTION_DAYS,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { scope } = await requireTenant(request, context, "admin");
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return data<ActionResult>({ fieldErrors: z.flattenError(parsed.error).fieldErrors }, { status: 400 });
  const { intent, ...rest } = parsed.data;
  try {
    if (intent === "save") await updateFaceSettings(scope, rest);
    else await updateFaceSettings(scope, { enabled: intent === "turn-on" });
    return data<ActionResult>({ ok: true });
  } catch (error) {
    if (error instanceof HttpError) return data<ActionResult>({ error: error.message }, { status: error.status });
    if (error instanceof ZodError)
      return data<ActionResult>({ fieldErrors: z.flattenError(error).fieldErrors }, { status: 400 });
    throw error;
  }
}

export default function RecognitionPage() {
  const { faces, isAdmin, timeZones, detectionRetentionDays } = useLoaderData<typeof loader>();
  const toggle = useFetcher<ActionResult>();
  const busy = toggle.state !== "idle";
  return (
    <div>
      <PageHeader
        title="Face recognition"
        description="Recognises enrolled staff on this tenant's cameras: green boxes with a name, red for unknown faces."
        actions={
          <Link to="/staff" className="text-sm font-medium text-indigo-700 hover:underline">
            ← Staff
          </Link>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Status" actions={faces.enabled ? <Badge tone="emerald">On</Badge> : <Badge>Off</Badge>}>
          <div className="space-y-3 text-sm text-slate-700">
            <p className="font-medium">What is stored when face recognition is on</p>
            <ul className="list-disc space-y-1 pl-5">
              <li>
                <strong>Enrolment images</strong> you upload or capture on a person&apos;s page, kept only to enrol
                them, shown only on the staff pages to operators and admins, deleted with the image or the person.
              </li>
              <li>
                <strong>Face embeddings</strong>: a list of numbers computed from each enrolment image, sent to this
                tenant&apos;s workers to match faces. They cannot be turned back into a photo by Argus.
              </li>
              <li>
                <strong>Recognition events</strong>: which person (or an unknown face) a camera saw, when, and for how
                long, with the person&apos;s box. Kept {faces.eventRetentionDays} days (detection events:{" "}
                {detectionRetentionDays}), deleted at once with the person.
              </li>
              <li>
                <strong>Never stored</strong>: camera frames, face crops or snapshots. Faces are analysed in memory on
                the worker and forgotten.
              </li>
            </ul>
            <p>
              Turning recognition off stops it on every worker within seconds; enrolled people and past events stay
              until you delete them.
            </p>
          </div>
          {isAdmin ? (
            <toggle.Form method="post" className="mt-4">
              <FormError message={toggle.data?.error} />
              <Button
                name="intent"
                value={faces.enabled ? "turn-off" : "turn-on"}
                variant={faces.enabled ? "danger" : "primary"}
                disabled={busy}
              >
                {faces.enabled ? "Turn face recognition off" : "Turn face recognition on"}
              </Button>
            </toggle.Form>
          ) : (
            <p className="mt-4 text-sm text-slate-500">Only an admin can turn face recognition on or off.</p>
          )}
        </Card>
        <SettingsCard faces={faces} isAdmin={isAdmin} timeZones={timeZones} />
      </div>
    </div>
  );
}

function SettingsCard({
  faces,
  isAdmin,
  timeZones,
}: {
  faces: Awaited<ReturnType<typeof loader>>["faces"];
  isAdmin: boolean;
  timeZones: string[];
}) {
  const fetcher = useFetcher<ActionResult>();
  const busy = fetcher.state !== "idle";
  const err = (name: string) => fetcher.data?.fieldErrors?.[name]?.[0];
  return (
    <Card title="Settings">
      <fetcher.Form method="post" className="space-y-4">
        <fieldset disabled={!isAdmin} className="space-y-4">
          <legend className="sr-only">Face recognition settings</legend>
          <Field
            label="Match threshold (cosine similarity, 0-1)"
            name="threshold"
            id="faces-threshold"
            type="number"
            step="0.01"
            min={0}
            max={1}
            defaultValue={faces.settings.threshold}
            error={err("threshold")}
          />
          <Field
            label="Margin over the second-best person (0-1)"
            name="margin"
            id="faces-margin"
            type="number"
            step="0.01"
            min={0}
            max={1}
            defaultValue={faces.settings.margin}
            error={err("margin")}
          />
          <Field
            label="Smallest face classified (px)"
            name="minFacePx"
            id="faces-min-face"
            type="number"
            min={8}
            max={1024}
            defaultValue={faces.settings.minFacePx}
            error={err("minFacePx")}
          />
          <Field
            label="Reclassify a recognised track at most every (s)"
            name="reclassifySeconds"
            id="faces-reclassify"
            type="number"
            min={1}
            max={3600}
            defaultValue={faces.settings.reclassifySeconds}
            error={err("reclassifySeconds")}
          />
          <Field
            label="Keep recognition events (days)"
            name="eventRetentionDays"
            id="faces-retention"
            type="number"
            min={1}
            max={3650}
            defaultValue={faces.eventRetentionDays}
            error={err("eventRetentionDays")}
          />
          <SelectField
            label="Attendance time zone"
            name="timezone"
            id="faces-timezone"
            defaultValue={faces.timezone}
            hint="Attendance days start at midnight in this zone."
            error={err("timezone")}
          >
            {timeZones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </SelectField>
          <FormError message={fetcher.data?.error} />
          {fetcher.data?.ok && !busy ? (
            <p role="status" className="text-sm text-emerald-700">
              Saved
            </p>
          ) : null}
          {isAdmin ? (
            <Button name="intent" value="save" disabled={busy}>
              {busy ? "Saving…" : "Save settings"}
            </Button>
          ) : null}
        </fieldset>
      </fetcher.Form>
    </Card>
  );
}
