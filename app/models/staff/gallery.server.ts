// Issue 14 (D6, S1): a tenant's face gallery as workers receive it, and the signal that it changed.
// CONTRACT between the staff module (owner: implements these from the staff tables) and the fleet (pushes
// "v1:face-gallery" to every worker serving a camera of the tenant, and adds `faces` to each camera's analysis).
// Embeddings only; enrolment images never leave the staff module (C6).
import { EventEmitter } from "node:events";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { staffFaceImages, staffPeople } from "../../../db/schema";
import { encodeEmbedding, type CameraFaceAnalysis, type FaceGallery, type GalleryPerson } from "../../../protocol";
import { singleton } from "../../utils/singleton.server";
import { getFaceSettings } from "./settings.server";

/** At most this many embeddings per person go to the workers (the newest; protocol/faces.ts allows 20). */
export const GALLERY_EMBEDDINGS_PER_PERSON = 20;

/**
 * Emits "changed" with a tenant id whenever that tenant's gallery, recognition switch or face settings change.
 * One emitter per process: the Remix build (which emits, from the staff routes) and server.ts (whose fleet listens)
 * each bundle their own copy of this module, so it lives on globalThis (utils/singleton.server.ts).
 */
export const galleryChanges = singleton(
  "staff-gallery-changes",
  () => new EventEmitter<{ changed: [tenantId: string] }>(),
);

/** Pure: a float32 embedding from its stored bytes (little-endian, as on the wire). */
export function embeddingFromBytes(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Pure: the stored bytes of an embedding (little-endian float32). */
export function embeddingToBytes(v: Float32Array): Uint8Array {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  return bytes;
}

/** The tenant's whole gallery (enabled=false and no people when recognition is off). */
export async function loadGallery(db: Db, tenantId: string): Promise<FaceGallery> {
  const settings = await getFaceSettings(db, tenantId);
  const base = { galleryId: tenantId, revision: settings.galleryRevision };
  if (!settings.enabled) return { ...base, modelId: "none", modelVersion: "0", enabled: false, people: [] };
  const rows = await db
    .select({
      personId: staffPeople.id,
      name: staffPeople.name,
      embedding: staffFaceImages.embedding,
      embedderId: staffFaceImages.embedderId,
      embedderVersion: staffFaceImages.embedderVersion,
    })
    .from(staffFaceImages)
    .innerJoin(staffPeople, eq(staffPeople.id, staffFaceImages.personId))
    .where(
      and(eq(staffFaceImages.tenantId, tenantId), eq(staffPeople.tenantId, tenantId), eq(staffPeople.active, true)),
    )
    .orderBy(desc(staffFaceImages.createdAt));
  // Embeddings of different embedders are not comparable: the gallery carries the newest embedder's only (after a
  // model change, people enrolled with the old one need new images; the staff page says so).
  const model = rows[0] ? { id: rows[0].embedderId, version: rows[0].embedderVersion } : { id: "none", version: "0" };
  const people = new Map<string, GalleryPerson>();
  for (const row of rows) {
    if (row.embedderId !== model.id || row.embedderVersion !== model.version) continue;
    const person = people.get(row.personId) ?? { personId: row.personId, name: row.name.slice(0, 100), embeddings: [] };
    if (person.embeddings.length >= GALLERY_EMBEDDINGS_PER_PERSON) continue;
    person.embeddings.push(encodeEmbedding(embeddingFromBytes(row.embedding)));
    people.set(row.personId, person);
  }
  return {
    ...base,
    modelId: model.id.slice(0, 64),
    modelVersion: model.version.slice(0, 50),
    enabled: true,
    people: [...people.values()],
  };
}

/** What a camera of this tenant should do about faces (undefined = recognition off). */
export async function faceAnalysisFor(db: Db, tenantId: string): Promise<CameraFaceAnalysis | undefined> {
  const settings = await getFaceSettings(db, tenantId);
  if (!settings.enabled) return undefined;
  return { enabled: true, galleryId: tenantId, settings: settings.settings };
}
