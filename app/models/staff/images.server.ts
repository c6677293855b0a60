// Enrolment images (issue 14, S1, C6): an uploaded photo is decoded in memory, its one face found and checked for
// quality, embedded by the same analyzer the workers run, and stored with the image itself, which is kept ONLY for
// enrolment (shown on the staff pages to admins/operators, deletable). A bad image is refused with a reason a person
// can act on (the thresholds are in ENROLMENT_RULES and docs/staff.md). Every enrolment and deletion is audited
// without the image or the embedding.
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { staffFaceImages, staffPeople, type StaffFaceImageRow } from "../../../db/schema";
import { decodeImage, ImageDecodeError, sniffFormat } from "../../../worker/faces/decode-image";
import type { FoundFace } from "../../../worker/faces/types";
import { HttpError, notFound } from "../../utils/errors.server";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import { withFaceAnalyzer } from "./analyzer.server";
import { embeddingToBytes, GALLERY_EMBEDDINGS_PER_PERSON } from "./gallery.server";
import { bumpGalleryRevision, notifyGalleryChanged } from "./settings.server";

/** What an enrolment image must satisfy (docs/staff.md). */
export const ENROLMENT_RULES = {
  /** One request's body is limited to 2 MiB by the server; one image to this. */
  maxBytes: 2_000_000,
  /** Shorter side of the face box in the image, pixels (cameras classify from 40 px by default). */
  minFacePx: 40,
  /** Variance of the Laplacian of the face crop's luma (FaceQuality.sharpness). */
  minSharpness: 20,
  /** 0..1 from the keypoints' symmetry (FaceQuality.frontal); frontal portraits measure 0.5-0.95. */
  minFrontal: 0.3,
  /** A second face at least this fraction of the main face's size makes the image ambiguous. */
  secondFaceRatio: 0.5,
  maxImagesPerPerson: GALLERY_EMBEDDINGS_PER_PERSON,
} as const;

export interface FaceImageView {
  id: string;
  personId: string;
  mime: string;
  sizeBytes: number;
  width: number;
  height: number;
  faceFound: true;
  faceBox: number[];
  faceScore: number;
  quality: { sizePx: number; sharpness: number; frontal: number };
  embedder: { id: string; version: string; dimensions: number };
  createdAt: string;
}

export const toImageView = (row: Omit<StaffFaceImageRow, "image">): FaceImageView => ({
  id: row.id,
  personId: row.personId,
  mime: row.mime,
  sizeBytes: row.sizeBytes,
  width: row.width,
  height: row.height,
  faceFound: true,
  faceBox: row.faceBox.map((v) => Math.round(v)),
  faceScore: round(row.faceScore, 3),
  quality: {
    sizePx: Math.round(row.quality.sizePx),
    sharpness: round(row.quality.sharpness, 1),
    frontal: round(row.quality.frontal, 2),
  },
  embedder: { id: row.embedderId, version: row.embedderVersion, dimensions: row.embedding.byteLength / 4 },
  createdAt: row.createdAt.toISOString(),
});

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** A refused enrolment image: 400/413/415 for the file itself, 422 for a usable image with an unusable face. */
export class EnrolmentError extends HttpError {
  constructor(
    status: number,
    readonly reason: string,
    message: string,
  ) {
    super(status, message, { reason });
  }
}

const metadataColumns = {
  id: staffFaceImages.id,
  tenantId: staffFaceImages.tenantId,
  personId: staffFaceImages.personId,
  mime: staffFaceImages.mime,
  sizeBytes: staffFaceImages.sizeBytes,
  width: staffFaceImages.width,
  height: staffFaceImages.height,
  faceBox: staffFaceImages.faceBox,
  faceScore: staffFaceImages.faceScore,
  quality: staffFaceImages.quality,
  embedding: staffFaceImages.embedding,
  embedderId: staffFaceImages.embedderId,
  embedderVersion: staffFaceImages.embedderVersion,
  createdBy: staffFaceImages.createdBy,
  createdAt: staffFaceImages.createdAt,
};

async function requirePerson(scope: TenantScope, personId: string): Promise<{ id: string; name: string }> {
  const [person] = await scope.db
    .select({ id: staffPeople.id, name: staffPeople.name })
    .from(staffPeople)
    .where(and(eq(staffPeople.tenantId, scope.tenantId), eq(staffPeople.id, personId)));
  if (!person) throw notFound("No such person in this tenant");
  return person;
}

/** Operators and admins only: viewers see names, never faces. */
export async function listImages(scope: TenantScope, personId: string): Promise<FaceImageView[]> {
  assertRole(scope, "operator");
  await requirePerson(scope, personId);
  const rows = await scope.db
    .select(metadataColumns)
    .from(staffFaceImages)
    .where(and(eq(staffFaceImages.tenantId, scope.tenantId), eq(staffFaceImages.personId, personId)))
    .orderBy(asc(staffFaceImages.createdAt));
  return rows.map(toImageView);
}

/** The stored file, for the staff pages only (operators and admins). */
export async function readImageFile(
  scope: TenantScope,
  personId: string,
  imageId: string,
): Promise<{ bytes: Uint8Array; mime: string }> {
  assertRole(scope, "operator");
  const [row] = await scope.db
    .select({ image: staffFaceImages.image, mime: staffFaceImages.mime })
    .from(staffFaceImages)
    .where(
      and(
        eq(staffFaceImages.tenantId, scope.tenantId),
        eq(staffFaceImages.personId, personId),
        eq(staffFaceImages.id, imageId),
      ),
    );
  if (!row) throw notFound("No such image");
  return { bytes: row.image, mime: row.mime };
}

/** Pure: the face to enrol among those found, or why there is none (thresholds: ENROLMENT_RULES). */
export function chooseEnrolmentFace(faces: FoundFace[]): FoundFace {
  if (!faces.length)
    throw new EnrolmentError(422, "no-face", "No face found in this image: use a clear photo of one face");
  const bySize = [...faces].sort((a, b) => b.quality.sizePx - a.quality.sizePx);
  const main = bySize[0]!;
  const rivals = bySize
    .slice(1)
    .filter((f) => f.quality.sizePx >= main.quality.sizePx * ENROLMENT_RULES.secondFaceRatio);
  if (rivals.length)
    throw new EnrolmentError(
      422,
      "several-faces",
      `More than one face in this image (${rivals.length + 1}): crop it to the one person`,
    );
  const q = main.quality;
  if (q.sizePx < ENROLMENT_RULES.minFacePx)
    throw new EnrolmentError(
      422,
      "face-too-small",
      `The face is too small (${Math.round(q.sizePx)} px; at least ${ENROLMENT_RULES.minFacePx} px): move closer or crop`,
    );
  if (q.sharpness < ENROLMENT_RULES.minSharpness)
    throw new EnrolmentError(
      422,
      "too-blurry",
      `The face is too blurry (sharpness ${q.sharpness.toFixed(1)}; at least ${ENROLMENT_RULES.minSharpness})`,
    );
  if (q.frontal < ENROLMENT_RULES.minFrontal)
    throw new EnrolmentError(
      422,
      "not-frontal",
      `The face is not frontal enough (${q.frontal.toFixed(2)}; at least ${ENROLMENT_RULES.minFrontal}): look at the camera`,
    );
  return main;
}

function decodeOrRefuse(bytes: Uint8Array, mime: string | undefined) {
  if (!bytes.byteLength) throw new EnrolmentError(400, "empty", "The file is empty");
  if (bytes.byteLength > ENROLMENT_RULES.maxBytes)
    throw new EnrolmentError(413, "too-large", `The image is larger than ${ENROLMENT_RULES.maxBytes / 1e6} MB`);
  const format = sniffFormat(bytes);
  if (!format) throw new EnrolmentError(415, "not-an-image", "Not a JPEG or PNG image");
  try {
    return { format, image: decodeImage(bytes, mime) };
  } catch (error) {
    if (error instanceof ImageDecodeError)
      throw new EnrolmentError(error.reason === "unsupported-format" ? 415 : 400, error.reason, error.message);
    throw new EnrolmentError(400, "corrupt", "The image could not be decoded (corrupt or truncated?)");
  }
}

/** Operators and admins: decodes, checks, embeds and stores one image; throws EnrolmentError with the reason. */
export async function enrolImage(
  scope: TenantScope,
  personId: string,
  file: { bytes: Uint8Array; mime?: string; name?: string },
): Promise<FaceImageView> {
  assertRole(scope, "operator");
  const person = await requirePerson(scope, personId);
  const existing = await scope.db
    .select({ id: staffFaceImages.id })
    .from(staffFaceImages)
    .where(and(eq(staffFaceImages.tenantId, scope.tenantId), eq(staffFaceImages.personId, personId)));
  if (existing.length >= ENROLMENT_RULES.maxImagesPerPerson)
    throw new EnrolmentError(
      409,
      "too-many-images",
      `${person.name} has ${existing.length} images already (at most ${ENROLMENT_RULES.maxImagesPerPerson}): delete one first`,
    );
  const { format, image } = decodeOrRefuse(file.bytes, file.mime);
  const analysed = await withFaceAnalyzer(async (analyzer) => {
    const face = chooseEnrolmentFace(await analyzer.detect(image));
    const embedding = await analyzer.embed(image, face);
    return { face, embedding, embedderId: analyzer.embedderId, embedderVersion: analyzer.embedderVersion };
  });
  const row = await scope.db.transaction(async (tx) => {
    const [stored] = await tx
      .insert(staffFaceImages)
      .values({
        tenantId: scope.tenantId,
        personId,
        image: file.bytes,
        mime: format === "png" ? "image/png" : "image/jpeg",
        sizeBytes: file.bytes.byteLength,
        width: image.width,
        height: image.height,
        faceBox: [...analysed.face.box],
        faceScore: analysed.face.score,
        quality: { ...analysed.face.quality },
        embedding: embeddingToBytes(analysed.embedding),
        embedderId: analysed.embedderId,
        embedderVersion: analysed.embedderVersion,
        createdBy: scope.userId,
      })
      .returning(metadataColumns);
    await bumpGalleryRevision(tx as unknown as Db, scope.tenantId);
    await recordAudit(tx as unknown as Db, {
      tenantId: scope.tenantId,
      userId: scope.userId,
      action: "staff.face_enrol",
      details: { personId, imageId: stored!.id, sizeBytes: file.bytes.byteLength, quality: analysed.face.quality },
    });
    return stored!;
  });
  notifyGalleryChanged(scope.tenantId);
  return toImageView(row);
}

export async function deleteImage(scope: TenantScope, personId: string, imageId: string): Promise<void> {
  assertRole(scope, "operator");
  await scope.db.transaction(async (tx) => {
    const deleted = await tx
      .delete(staffFaceImages)
      .where(
        and(
          eq(staffFaceImages.tenantId, scope.tenantId),
          eq(staffFaceImages.personId, personId),
          eq(staffFaceImages.id, imageId),
        ),
      )
      .returning({ id: staffFaceImages.id });
    if (!deleted.length) throw notFound("No such image");
    await bumpGalleryRevision(tx as unknown as Db, scope.tenantId);
    await recordAudit(tx as unknown as Db, {
      tenantId: scope.tenantId,
      userId: scope.userId,
      action: "staff.face_delete",
      details: { personId, imageId },
    });
  });
  notifyGalleryChanged(scope.tenantId);
}
