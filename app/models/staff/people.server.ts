// The staff directory of a tenant (issue 14, S1): people with a name, an optional employee number (unique in the
// tenant), an optional site and an active flag. Viewers read names; operators add, edit and (de)activate; admins
// delete. Deleting a person deletes, in ONE transaction, their enrolment images, embeddings AND recognition events
// (docs/staff.md, "Deleting a person"); the audit entry records counts, never an image or an embedding.
import { and, asc, count, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { faceEvents, sites, staffFaceImages, staffPeople, type StaffPersonRow } from "../../../db/schema";
import { safeText } from "../../../protocol/strings";
import { isUniqueViolation } from "../../utils/db-errors.server";
import { badRequest, conflict, notFound } from "../../utils/errors.server";
import { recordAudit } from "../audit.server";
import { assertRole, type TenantScope } from "../scope.server";
import { bumpGalleryRevision, notifyGalleryChanged } from "./settings.server";

const employeeNumber = safeText()
  .trim()
  .max(40, "Employee number: at most 40 characters")
  .transform((v) => v || null)
  .nullable();

export const personInputSchema = z
  .object({
    name: safeText().trim().min(1, "Name is required").max(100, "Name: at most 100 characters"),
    employeeNumber: employeeNumber.optional(),
    siteId: z.uuid("siteId must be a UUID").nullable().optional(),
  })
  .strict();
export type PersonInput = z.input<typeof personInputSchema>;

export const personPatchSchema = personInputSchema
  .partial()
  .extend({ active: z.boolean().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "Send at least one of name, employeeNumber, siteId, active");
export type PersonPatch = z.input<typeof personPatchSchema>;

export interface PersonView {
  id: string;
  name: string;
  employeeNumber: string | null;
  siteId: string | null;
  active: boolean;
  images: number;
  createdAt: string;
}

const toView = (p: StaffPersonRow, images: number): PersonView => ({
  id: p.id,
  name: p.name,
  employeeNumber: p.employeeNumber,
  siteId: p.siteId,
  active: p.active,
  images,
  createdAt: p.createdAt.toISOString(),
});

export async function listPeople(scope: TenantScope): Promise<PersonView[]> {
  const rows = await scope.db
    .select({ person: staffPeople, images: count(staffFaceImages.id) })
    .from(staffPeople)
    .leftJoin(staffFaceImages, eq(staffFaceImages.personId, staffPeople.id))
    .where(eq(staffPeople.tenantId, scope.tenantId))
    .groupBy(staffPeople.id)
    .orderBy(asc(staffPeople.name), asc(staffPeople.id));
  return rows.map((r) => toView(r.person, Number(r.images)));
}

export async function getPerson(scope: TenantScope, personId: string): Promise<PersonView> {
  const [row] = await scope.db
    .select({ person: staffPeople, images: count(staffFaceImages.id) })
    .from(staffPeople)
    .leftJoin(staffFaceImages, eq(staffFaceImages.personId, staffPeople.id))
    .where(and(eq(staffPeople.tenantId, scope.tenantId), eq(staffPeople.id, personId)))
    .groupBy(staffPeople.id);
  if (!row) throw notFound("No such person in this tenant");
  return toView(row.person, Number(row.images));
}

async function checkSite(scope: TenantScope, siteId: string | null | undefined): Promise<void> {
  if (!siteId) return;
  const [site] = await scope.db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.tenantId, scope.tenantId), eq(sites.id, siteId)));
  if (!site) throw badRequest("No such site in this tenant");
}

const duplicateNumber = (error: unknown) => {
  if (isUniqueViolation(error)) throw conflict("Another person in this tenant has that employee number");
  throw error;
};

export async function createPerson(scope: TenantScope, input: PersonInput): Promise<PersonView> {
  assertRole(scope, "operator");
  const values = personInputSchema.parse(input);
  await checkSite(scope, values.siteId);
  const [person] = await scope.db
    .insert(staffPeople)
    .values({
      tenantId: scope.tenantId,
      name: values.name,
      employeeNumber: values.employeeNumber ?? null,
      siteId: values.siteId ?? null,
    })
    .returning()
    .catch(duplicateNumber);
  await recordAudit(scope.db, {
    tenantId: scope.tenantId,
    userId: scope.userId,
    action: "staff.person_create",
    details: { personId: person!.id, name: person!.name },
  });
  return toView(person!, 0);
}

/** A name or activation change changes the gallery (names show on the live view; inactive people are left out). */
export async function updatePerson(scope: TenantScope, personId: string, patch: PersonPatch): Promise<PersonView> {
  assertRole(scope, "operator");
  const values = personPatchSchema.parse(patch);
  const before = await getPerson(scope, personId);
  await checkSite(scope, values.siteId);
  const galleryChanged =
    (values.active !== undefined && values.active !== before.active) ||
    (values.name !== undefined && values.name !== before.name);
  await scope.db.transaction(async (tx) => {
    await tx
      .update(staffPeople)
      .set(values)
      .where(and(eq(staffPeople.tenantId, scope.tenantId), eq(staffPeople.id, personId)))
      .catch(duplicateNumber);
    if (galleryChanged) await bumpGalleryRevision(tx as unknown as Db, scope.tenantId);
    if (values.active !== undefined && values.active !== before.active)
      await recordAudit(tx as unknown as Db, {
        tenantId: scope.tenantId,
        userId: scope.userId,
        action: values.active ? "staff.person_activate" : "staff.person_deactivate",
        details: { personId, name: values.name ?? before.name },
      });
  });
  if (galleryChanged) notifyGalleryChanged(scope.tenantId);
  return getPerson(scope, personId);
}

/**
 * Admins only. One transaction: the person's recognition events (face_events, by person_id: recognised and
 * track-end events that named them), then the person, whose images and embeddings go by ON DELETE CASCADE; then
 * the gallery revision. Nothing of them is left to expire later.
 */
export async function deletePerson(scope: TenantScope, personId: string): Promise<{ images: number; events: number }> {
  assertRole(scope, "admin");
  const result = await scope.db.transaction(async (tx) => {
    const [person] = await tx
      .select({ name: staffPeople.name })
      .from(staffPeople)
      .where(and(eq(staffPeople.tenantId, scope.tenantId), eq(staffPeople.id, personId)));
    if (!person) throw notFound("No such person in this tenant");
    const events = await tx
      .delete(faceEvents)
      .where(and(eq(faceEvents.tenantId, scope.tenantId), eq(faceEvents.personId, personId)))
      .returning({ id: faceEvents.eventId });
    const images = await tx
      .delete(staffFaceImages)
      .where(and(eq(staffFaceImages.tenantId, scope.tenantId), eq(staffFaceImages.personId, personId)))
      .returning({ id: staffFaceImages.id });
    await tx.delete(staffPeople).where(and(eq(staffPeople.tenantId, scope.tenantId), eq(staffPeople.id, personId)));
    await bumpGalleryRevision(tx as unknown as Db, scope.tenantId);
    const counts = { images: images.length, events: events.length };
    await recordAudit(tx as unknown as Db, {
      tenantId: scope.tenantId,
      userId: scope.userId,
      action: "staff.person_delete",
      details: { personId, name: person.name, ...counts },
    });
    return counts;
  });
  notifyGalleryChanged(scope.tenantId);
  return result;
}

/** Names of the tenant's people by id (attendance, CSV). */
export async function peopleNames(
  db: Db,
  tenantId: string,
): Promise<Map<string, { name: string; employeeNumber: string | null }>> {
  const rows = await db
    .select({ id: staffPeople.id, name: staffPeople.name, employeeNumber: staffPeople.employeeNumber })
    .from(staffPeople)
    .where(eq(staffPeople.tenantId, tenantId));
  return new Map(rows.map((r) => [r.id, { name: r.name, employeeNumber: r.employeeNumber }]));
}
