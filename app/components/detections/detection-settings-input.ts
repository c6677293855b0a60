// The detection settings form's fields (D1, W10) parsed from FormData with messages for each field; ranges match
// protocol/scene.ts detectionSettingsSchema, which the model validates with again. Browser-safe.
import { z } from "zod";
import { detectionSettingsSchema, type DetectionSettings } from "../../../protocol/scene";

const number = (label: string, min: number, max: number, int = false) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .transform(Number)
    .pipe(
      z
        .number({ error: `${label} must be a number` })
        .refine((n) => !int || Number.isInteger(n), `${label} must be a whole number`)
        .refine((n) => n >= min && n <= max, `${label} must be between ${min} and ${max}`),
    );

export const detectionFormSchema = z.object({
  enabled: z.boolean(),
  faceRecognition: z.boolean(),
  modelId: z.string().trim().max(64),
  classes: z.array(z.string().trim().min(1).max(40)).min(1, "Pick at least one class").max(80),
  confidence: number("Confidence", 0.05, 0.95),
  idleAfterSeconds: number("Idle after", 5, 3600, true),
  idleFps: number("Idle rate", 0, 5),
});

/** A patch for updateCameraAnalysis (modelId null = the server's default), or field errors by input name. */
export function parseDetectionForm(
  form: FormData,
):
  | { ok: true; patch: Omit<Partial<DetectionSettings>, "modelId"> & { modelId: string | null } }
  | { ok: false; fieldErrors: Record<string, string[]> } {
  const parsed = detectionFormSchema.safeParse({
    enabled: form.get("enabled") === "on",
    faceRecognition: form.get("faceRecognition") === "on",
    modelId: String(form.get("modelId") ?? ""),
    classes: form.getAll("classes").map(String),
    confidence: String(form.get("confidence") ?? ""),
    idleAfterSeconds: String(form.get("idleAfterSeconds") ?? ""),
    idleFps: String(form.get("idleFps") ?? ""),
  });
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const { modelId, ...rest } = parsed.data;
  const check = detectionSettingsSchema.safeParse({ ...rest, ...(modelId ? { modelId } : {}) });
  if (!check.success) return { ok: false, fieldErrors: z.flattenError(check.error).fieldErrors };
  return { ok: true, patch: { ...rest, modelId: modelId || null } };
}

/** Field errors from the model's HttpError details ([{ path: "detection.classes", message }]). */
export function detailsToFieldErrors(details: unknown): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  if (!Array.isArray(details)) return errors;
  for (const d of details as Array<{ path?: unknown; message?: unknown }>) {
    if (typeof d.path !== "string" || typeof d.message !== "string") continue;
    const field = d.path.replace(/^detection\./, "").split(".")[0] ?? "";
    (errors[field] ??= []).push(d.message);
  }
  return errors;
}
