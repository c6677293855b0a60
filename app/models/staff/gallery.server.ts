// Issue 14 (D6, S1): a tenant's face gallery as workers receive it, and the signal that it changed.
// CONTRACT between the staff module (owner: implements these from the staff tables) and the fleet (pushes
// "v1:face-gallery" to every worker serving a camera of the tenant, and adds `faces` to each camera's analysis).
// Embeddings only; enrolment images never leave the staff module (C6).
import { EventEmitter } from "node:events";
import type { Db } from "../../../db/client";
import type { CameraFaceAnalysis, FaceGallery } from "../../../protocol";

/** Emits "changed" with a tenant id whenever that tenant's gallery, recognition switch or face settings change. */
export const galleryChanges = new EventEmitter<{ changed: [tenantId: string] }>();

/** The tenant's whole gallery (enabled=false and no people when recognition is off). */
export async function loadGallery(db: Db, tenantId: string): Promise<FaceGallery> {
  void db;
  return { galleryId: tenantId, revision: 0, modelId: "none", modelVersion: "0", enabled: false, people: [] };
}

/** What a camera of this tenant should do about faces (undefined = recognition off). */
export async function faceAnalysisFor(db: Db, tenantId: string): Promise<CameraFaceAnalysis | undefined> {
  void db;
  void tenantId;
  return undefined;
}
