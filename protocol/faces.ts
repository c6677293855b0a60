// Issue 14 (SPEC S1, D6, C3, C6): the face-recognition contract between the server, the workers and the browser.
//   - Per-camera face settings ride with the camera's analysis (`cameraAnalysisSchema.faces`).
//   - The tenant's gallery (enrolled people and their embeddings, never images) is pushed to every worker that serves
//     a camera of the tenant ("v1:face-gallery"), on register/assignment and within seconds of any change.
//   - Recognition results ride on the track: `LiveObject.known` / `label` (green / red boxes on the live view) and the
//     face events below, through the same envelope, spool and idempotent ingest as detection events.
// No Node or Remix imports: shared by the server, the worker process and browsers.
import { z } from "zod";
import { uuidSchema } from "./common";

/** Embeddings travel as base64 of little-endian float32 (L2-normalised). */
export const embeddingB64Schema = z
  .string()
  .min(8)
  .max(64 * 1024)
  .regex(/^[A-Za-z0-9+/]+=*$/);

/** Matching and gating settings of a tenant (D6). Defaults measured on real images (docs/models.md). */
export const faceSettingsSchema = z
  .object({
    /** Cosine similarity at or above which the best gallery person is a match. */
    threshold: z.number().min(0).max(1),
    /** The best person's similarity must exceed the second-best person's by at least this much. */
    margin: z.number().min(0).max(1),
    /** Smallest face (pixels, the shorter side of the face box in the frame) that is classified at all. */
    minFacePx: z.number().int().min(8).max(1024),
    /** A recognised track is classified again at most this often (seconds) unless its embedding moves away. */
    reclassifySeconds: z.number().min(1).max(3600),
  })
  .strict();
export type FaceSettings = z.infer<typeof faceSettingsSchema>;

/** Per camera, inside the camera's analysis: absent or enabled=false = no face work on this camera. */
export const cameraFaceAnalysisSchema = z
  .object({
    /** The tenant turned recognition on (privacy: off until an admin turns it on). */
    enabled: z.boolean(),
    /** Which gallery this camera matches against (the camera's tenant id). */
    galleryId: uuidSchema,
    settings: faceSettingsSchema,
  })
  .strict();
export type CameraFaceAnalysis = z.infer<typeof cameraFaceAnalysisSchema>;

export const galleryPersonSchema = z
  .object({
    personId: uuidSchema,
    /** Shown on the live view next to a green box. */
    name: z.string().min(1).max(100),
    /** One per enrolled image with a face (at most 20 per person). */
    embeddings: z.array(embeddingB64Schema).min(1).max(20),
  })
  .strict();
export type GalleryPerson = z.infer<typeof galleryPersonSchema>;

/** Server -> worker ("v1:face-gallery"): the whole gallery of one tenant; replaces any earlier one with that id. */
export const faceGallerySchema = z
  .object({
    galleryId: uuidSchema,
    /** Increases with every change; a worker ignores a message older than the one it has. */
    revision: z.number().int().min(0),
    /** The embedder the embeddings came from: a worker with another model does not match against them. */
    modelId: z.string().min(1).max(64),
    modelVersion: z.string().min(1).max(50),
    /** False: recognition was turned off; the worker drops the gallery from memory. */
    enabled: z.boolean(),
    people: z.array(galleryPersonSchema).max(10_000),
  })
  .strict();
export type FaceGallery = z.infer<typeof faceGallerySchema>;

/** Encode / decode an embedding for the wire (base64 of little-endian float32). */
export function encodeEmbedding(v: Float32Array): string {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

export function decodeEmbedding(b64: string): Float32Array {
  const binary = atob(b64);
  if (binary.length % 4 !== 0) throw new Error("an embedding is a whole number of float32 values");
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const out = new Float32Array(binary.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Defaults of a tenant's face settings (D6); measured on real images, see docs/models.md (issue 14). */
export const DEFAULT_FACE_SETTINGS: FaceSettings = {
  threshold: 0.55, // bench:faces on the offline photos (docs/models.md): other-person max 0.567, same person across photos >= 0.58 except one Yale lighting pair (0.52)
  margin: 0.05, // same bench: at 0.55 no unknown accepted with 0.05 or 0.10; at 0.50 a 0.05 margin halves false accepts
  minFacePx: 40, // same bench: a face shrunk to 44 / 36 / 28 px keeps cosine >= 0.89 / 0.86 / 0.78 to its full-size self
  reclassifySeconds: 10,
};
