// What a camera analyses and where it counts (SPEC C5, D1, D3, W10): counting lines with a direction, polygon zones,
// and the per-camera detection settings. Coordinates are normalised to the frame (0..1, x right, y down), so a scene
// drawn on the live view holds for any decoded size. Shared by the server (stored per camera), the worker (sent with
// the assignment) and the browser (scene editor). No Node or Remix imports.
import { z } from "zod";
import { idSchema } from "./common";
import { cameraFaceAnalysisSchema } from "./faces";

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
    /** Issue 13: this line counts the product output of that productivity workstation (crossings "in" = units). The
     * workstation must also be bound to a zone of the same camera, whose default worker the units are credited to. */
    workstationId: idSchema.optional(),
  })
  .strict()
  .refine((l) => Math.hypot(l.a.x - l.b.x, l.a.y - l.b.y) >= 0.01, "a counting line needs two distinct ends");
export type CountingLine = z.infer<typeof countingLineSchema>;

/**
 * Issue 13: how a workstation zone turns what it sees into working / idle / absent. Defaults were measured on
 * vtest.avi at 5 analysed fps (docs/workstations.md); a zone may override any of them.
 */
const workstationThresholdFields = {
  /** Fraction of a person's box (0-1) that must lie inside the zone for the person to be at the workstation. */
  minOverlap: z.number().min(0.05).max(1),
  /** Seconds a person must be seen at the workstation before it counts as occupied. */
  enterSeconds: z.number().min(0).max(60),
  /** Seconds without a person before the workstation counts as absent (rides out missed detections). */
  leaveSeconds: z.number().min(0).max(600),
  /** Luma change (0-255) between two analysed frames above which a sampled pixel of the person's box moved. */
  pixelDelta: z.number().int().min(2).max(128),
  /** Mean fraction of moved pixels in the person's box (over `windowSeconds`) at or above which they are active. */
  activeThreshold: z.number().min(0.001).max(1),
  /** Seconds of activity measures averaged for one decision. */
  windowSeconds: z.number().min(0.2).max(60),
  /** Seconds the average must stay below the threshold before working turns idle. */
  idleAfterSeconds: z.number().min(0).max(600),
  /** Seconds the average must stay at or above the threshold before idle turns working. */
  activeAfterSeconds: z.number().min(0).max(600),
};
export const workstationThresholdsSchema = z.object(workstationThresholdFields).strict();
export type WorkstationThresholds = z.infer<typeof workstationThresholdsSchema>;
/** A zone's overrides: no defaults here, so a stored zone keeps only what an operator set and follows later defaults. */
export const workstationThresholdOverridesSchema = z.object(workstationThresholdFields).partial().strict();
export const DEFAULT_WORKSTATION_THRESHOLDS: WorkstationThresholds = {
  minOverlap: 0.3,
  enterSeconds: 1,
  leaveSeconds: 4,
  pixelDelta: 18,
  activeThreshold: 0.2,
  windowSeconds: 2,
  idleAfterSeconds: 5,
  activeAfterSeconds: 1,
};

/** Issue 13: a zone bound to a productivity workstation (external ids of the tenant's productivity module). */
export const zoneWorkstationSchema = z
  .object({
    workstationId: idSchema,
    /** Who is credited with what the zone sees (face recognition may name someone else later). */
    workerId: idSchema,
    thresholds: workstationThresholdOverridesSchema.optional(),
  })
  .strict();
export type ZoneWorkstation = z.infer<typeof zoneWorkstationSchema>;

export const zoneSchema = z
  .object({
    id: idSchema,
    name: sceneName,
    polygon: z.array(pointSchema).min(3).max(32),
    classes: classList.optional(),
    workstation: zoneWorkstationSchema.optional(),
  })
  .strict();
export type Zone = z.infer<typeof zoneSchema>;

export const sceneSchema = z
  .object({
    lines: z.array(countingLineSchema).max(16).default([]),
    zones: z.array(zoneSchema).max(16).default([]),
  })
  .strict()
  .refine(
    (s) => new Set([...s.lines.map((l) => l.id), ...s.zones.map((z) => z.id)]).size === s.lines.length + s.zones.length,
    {
      message: "line and zone ids must be unique within a camera",
    },
  )
  .refine(
    (s) =>
      s.zones.filter((z) => z.workstation).length ===
      new Set(s.zones.flatMap((z) => (z.workstation ? [z.workstation.workstationId] : []))).size,
    {
      message: "a workstation can be bound to one zone of a camera only",
    },
  )
  .refine(
    (s) =>
      s.lines.every((l) => !l.workstationId || s.zones.some((z) => z.workstation?.workstationId === l.workstationId)),
    { message: "a line counting a workstation's output needs a zone bound to that workstation (it names the worker)" },
  );
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
    /** Issue 14 (D6, privacy): while the tenant has face recognition on, this camera takes part; false = never looks
     * for faces here (e.g. a camera over a rest area), whatever the tenant's switch. */
    faceRecognition: z.boolean().default(true),
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
    /** Issue 13: the tenant's productivity settings a workstation zone needs (absent = the module's defaults). */
    productivity: z
      .object({
        /** P2: how long each working/idle/absent event counts for; states are re-affirmed at this period. */
        stateDurationSeconds: z.number().int().min(1).max(86_400),
      })
      .strict()
      .optional(),
    /** Issue 14 (D6): face recognition on this camera's person tracks (absent = off). */
    faces: cameraFaceAnalysisSchema.optional(),
  })
  .strict();
export type CameraAnalysis = z.infer<typeof cameraAnalysisSchema>;
