// What a camera analyses and where it counts (SPEC C5, D1, D3, W10): counting lines with a direction, polygon zones,
// and the per-camera detection settings. Coordinates are normalised to the frame (0..1, x right, y down), so a scene
// drawn on the live view holds for any decoded size. Shared by the server (stored per camera), the worker (sent with
// the assignment) and the browser (scene editor). No Node or Remix imports.
import { z } from "zod";
import { idSchema } from "./common";

export const pointSchema = z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).strict();
export type Point = z.infer<typeof pointSchema>;

const sceneName = z.string().trim().min(1).max(60);
const classList = z.array(z.string().min(1).max(40)).max(80);

/**
 * A counting line from `a` to `b`. Direction: walking from `a` to `b`, the right-hand side (on screen, y down) is the
 * "in" side. An object whose anchor moves from the left-hand side to the right-hand side is counted `in`, the other
 * way `out`. `classes` narrows which classes this line counts (absent = the camera's classes).
 */
export const countingLineSchema = z
  .object({
    id: idSchema,
    name: sceneName,
    a: pointSchema,
    b: pointSchema,
    classes: classList.optional(),
  })
  .strict()
  .refine((l) => Math.hypot(l.a.x - l.b.x, l.a.y - l.b.y) >= 0.01, "a counting line needs two distinct ends");
export type CountingLine = z.infer<typeof countingLineSchema>;

export const zoneSchema = z
  .object({
    id: idSchema,
    name: sceneName,
    polygon: z.array(pointSchema).min(3).max(32),
    classes: classList.optional(),
  })
  .strict();
export type Zone = z.infer<typeof zoneSchema>;

export const sceneSchema = z
  .object({
    lines: z.array(countingLineSchema).max(16).default([]),
    zones: z.array(zoneSchema).max(16).default([]),
  })
  .strict()
  .refine((s) => new Set([...s.lines.map((l) => l.id), ...s.zones.map((z) => z.id)]).size === s.lines.length + s.zones.length, {
    message: "line and zone ids must be unique within a camera",
  });
export type Scene = z.infer<typeof sceneSchema>;
export const EMPTY_SCENE: Scene = { lines: [], zones: [] };

/** VCC classes (D3) plus person: what a camera counts unless configured otherwise. */
export const DEFAULT_CLASSES = ["person", "bicycle", "car", "motorcycle", "bus", "truck"] as const;

/** Per-camera detection settings (D1, W10), edited by operators, stored with the camera. */
export const detectionSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** A detection model id from the registry; absent = the server's default model. */
    modelId: idSchema.optional(),
    classes: classList.min(1).default([...DEFAULT_CLASSES]),
    /** Detections below this score are dropped before tracking. */
    confidence: z.number().min(0.05).max(0.95).default(0.35),
    /** W10: seconds without motion or tracked objects before the camera goes idle. */
    idleAfterSeconds: z.number().int().min(5).max(3600).default(30),
    /** W10: detector runs per second while idle (motion is still checked on every analysed frame). */
    idleFps: z.number().min(0).max(5).default(0.2),
  })
  .strict();
export type DetectionSettings = z.infer<typeof detectionSettingsSchema>;
export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = detectionSettingsSchema.parse({});

/** How a worker's detector turns a model file into boxes. */
export const modelFormats = ["centernet", "nanodet", "yolo"] as const;

/** A detection model as the worker needs it to fetch (authenticated HTTP, checksum verified) and run it. */
export const modelDescriptorSchema = z
  .object({
    id: idSchema,
    version: z.string().min(1).max(50),
    format: z.enum(modelFormats),
    /** Lower-case hex SHA-256 of the ONNX file. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    inputWidth: z.number().int().min(32).max(4096),
    inputHeight: z.number().int().min(32).max(4096),
    classes: z.array(z.string().max(60)).min(1).max(1000),
  })
  .strict();
export type ModelDescriptor = z.infer<typeof modelDescriptorSchema>;

/** Path (relative to the server URL) where a worker downloads a model file with its Bearer token. */
export const modelFilePath = (modelId: string, version: string) =>
  `/api/v1/detection-models/${encodeURIComponent(modelId)}/versions/${encodeURIComponent(version)}/file`;

/** Everything a worker needs to analyse one camera; carried by assignments and pushed on change. */
export const cameraAnalysisSchema = z
  .object({
    detection: detectionSettingsSchema,
    /** Null when detection is off or no model is available (the worker only decodes). */
    model: modelDescriptorSchema.nullable(),
    scene: sceneSchema,
  })
  .strict();
export type CameraAnalysis = z.infer<typeof cameraAnalysisSchema>;
