// Detection settings of one camera (D1, W10), for operators: on/off, model, classes, confidence and the idle policy.
// Saved through the camera page's action (intent update-detection); errors show next to their fields.
import { useFetcher } from "@remix-run/react";
import { useState } from "react";
import { Button, Card, Field, FormError, SelectField, type FieldErrors } from "~/components/form";
import { DEFAULT_CLASSES, type DetectionSettings } from "../../../protocol/scene";

export interface ModelOption {
  id: string;
  version: string;
  format: string;
  classes: string[];
  isDefault: boolean;
}

type Result = { ok?: boolean; error?: string; fieldErrors?: FieldErrors };

export function DetectionSettingsForm({ settings, models }: { settings: DetectionSettings; models: ModelOption[] }) {
  const fetcher = useFetcher<Result>();
  // The answer shows as soon as it arrives, not only after the page's revalidation settles.
  const answered = fetcher.state !== "submitting";
  const errors = answered ? fetcher.data?.fieldErrors : undefined;
  const [modelId, setModelId] = useState(settings.modelId ?? "");
  const [confidence, setConfidence] = useState(settings.confidence);
  const defaultModel = models.find((m) => m.isDefault);
  const model = models.find((m) => m.id === modelId) ?? defaultModel;
  const common: readonly string[] = DEFAULT_CLASSES;
  const others = [...new Set([...(model?.classes ?? []), ...settings.classes])].filter((c) => !common.includes(c));
  const checkedOthers = settings.classes.filter((c) => !common.includes(c));
  const busy = fetcher.state === "submitting";
  return (
    <Card title="Detection">
      <fetcher.Form
        method="post"
        noValidate
        className="grid gap-4 sm:grid-cols-2"
        id="detection"
        aria-label="Detection settings"
      >
        <input type="hidden" name="intent" value="update-detection" />
        <label className="flex items-center gap-2 text-sm sm:col-span-2">
          <input type="checkbox" name="enabled" defaultChecked={settings.enabled} /> Detect and count objects on this
          camera
        </label>
        <label className="flex items-start gap-2 text-sm sm:col-span-2">
          <input
            type="checkbox"
            name="faceRecognition"
            className="mt-1"
            defaultChecked={settings.faceRecognition}
            aria-describedby="detection-face-hint"
          />
          <span>
            Recognise enrolled staff on this camera
            <span id="detection-face-hint" className="block text-xs text-slate-500">
              Only while face recognition is on for this tenant (Staff, Face recognition). Untick for places where faces
              must never be looked at.
            </span>
          </span>
        </label>
        <SelectField
          label="Model"
          name="modelId"
          id="detection-model"
          value={modelId}
          onChange={(e) => setModelId(e.target.value)}
          error={errors?.modelId?.[0]}
          hint={models.length === 0 ? "No models are registered on the server yet." : undefined}
        >
          <option value="">Server default{defaultModel ? ` (${defaultModel.id} ${defaultModel.version})` : ""}</option>
          {models.map((m) => (
            <option key={`${m.id}@${m.version}`} value={m.id}>
              {m.id} {m.version} · {m.format} · {m.classes.length} classes
            </option>
          ))}
        </SelectField>
        <div>
          <label htmlFor="detection-confidence" className="block text-sm font-medium text-slate-700">
            Minimum confidence{" "}
            <output htmlFor="detection-confidence" className="font-semibold tabular-nums">
              {Math.round(confidence * 100)}%
            </output>
          </label>
          <input
            id="detection-confidence"
            type="range"
            name="confidence"
            min={0.05}
            max={0.95}
            step={0.05}
            value={confidence}
            onChange={(e) => setConfidence(Number(e.target.value))}
            aria-invalid={errors?.confidence ? true : undefined}
            aria-describedby={errors?.confidence ? "detection-confidence-error" : "detection-confidence-hint"}
            className="mt-3 block w-full accent-indigo-600"
          />
          {errors?.confidence ? (
            <p id="detection-confidence-error" className="mt-1 text-xs text-red-600">
              {errors.confidence[0]}
            </p>
          ) : (
            <p id="detection-confidence-hint" className="mt-1 text-xs text-slate-500">
              Lower finds more objects and more false ones.
            </p>
          )}
        </div>
        <fieldset
          className="sm:col-span-2"
          aria-invalid={errors?.classes ? true : undefined}
          aria-describedby={errors?.classes ? "detection-classes-error" : undefined}
        >
          <legend className="text-sm font-medium text-slate-700">Classes</legend>
          <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
            {DEFAULT_CLASSES.map((c) => (
              <label key={c} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" name="classes" value={c} defaultChecked={settings.classes.includes(c)} /> {c}
              </label>
            ))}
          </div>
          {others.length ? (
            <details className="mt-2" open={checkedOthers.length > 0}>
              <summary className="cursor-pointer text-sm text-indigo-700">
                More classes{model ? ` from ${model.id}` : ""} ({others.length})
              </summary>
              <div className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-4">
                {others.map((c) => (
                  <label key={c} className="flex items-center gap-1.5 text-sm">
                    <input type="checkbox" name="classes" value={c} defaultChecked={settings.classes.includes(c)} /> {c}
                  </label>
                ))}
              </div>
            </details>
          ) : null}
          {errors?.classes ? (
            <p id="detection-classes-error" className="mt-1 text-xs text-red-600">
              {errors.classes[0]}
            </p>
          ) : null}
        </fieldset>
        <Field
          label="Go idle after (seconds)"
          name="idleAfterSeconds"
          id="detection-idle-after"
          type="number"
          min={5}
          max={3600}
          step={1}
          defaultValue={settings.idleAfterSeconds}
          error={errors?.idleAfterSeconds?.[0]}
          hint="Without motion or tracked objects for this long, the detector slows down."
        />
        <Field
          label="Detector runs per second while idle"
          name="idleFps"
          id="detection-idle-fps"
          type="number"
          min={0}
          max={5}
          step={0.1}
          defaultValue={settings.idleFps}
          error={errors?.idleFps?.[0]}
          hint="Motion is still checked on every analysed frame."
        />
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <Button disabled={busy}>{busy ? "Saving…" : "Save detection settings"}</Button>
          <span aria-live="polite" className="text-xs text-emerald-700" data-testid="detection-saved">
            {answered && fetcher.data?.ok ? "Saved." : ""}
          </span>
        </div>
        <div className="sm:col-span-2">
          <FormError message={answered ? fetcher.data?.error : null} />
        </div>
      </fetcher.Form>
    </Card>
  );
}
