// The staff module against a real embedded TimescaleDB and the real face analyzer (issue 14: S1, D6, C6): enrolment
// of a real photograph, the gallery workers receive (revision bumps, galleryChanges, decodable embeddings, inactive
// people left out, off = empty), face events stored idempotently with the detection ingest's tenancy rule, a
// person's deletion taking images, embeddings and events in one go with an audit entry free of biometric data, and
// the per-tenant retention sweep.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, cameras, faceEvents, memberships, staffFaceImages, tenants, users } from "../../../db/schema";
import { faceEventRetentionSweep, TimescaleJobs } from "../../../db/timescale/jobs";
import { decodeEmbedding } from "../../../protocol";
import { openTestDb, type TestDb } from "../productivity/test-support";
import type { TenantScope } from "../scope.server";
import { ingestFaceEvents } from "./face-events.server";
import { faceAnalysisFor, galleryChanges, loadGallery } from "./gallery.server";
import { chooseEnrolmentFace, enrolImage, EnrolmentError, listImages } from "./images.server";
import { createPerson, deletePerson, updatePerson } from "./people.server";
import { updateFaceSettings } from "./settings.server";

const PHOTO = "/usr/share/doc/opencv-doc/opencv4/html/face_swapped.jpg";
let t: TestDb;
let admin: TenantScope;
let otherAdmin: TenantScope;
let cameraId: string;
let otherCameraId: string;

async function tenantWithAdmin(name: string): Promise<TenantScope> {
  const db = t.handle.db;
  const [tenant] = await db
    .insert(tenants)
    .values({ name, slug: `${name}-${randomUUID().slice(0, 6)}` })
    .returning();
  const [user] = await db
    .insert(users)
    .values({ email: `${randomUUID()}@argus.test`, name, passwordHash: "x" })
    .returning();
  await db.insert(memberships).values({ userId: user!.id, tenantId: tenant!.id, role: "admin" });
  return { db, tenantId: tenant!.id, userId: user!.id, role: "admin" };
}

async function camera(scope: TenantScope): Promise<string> {
  const [row] = await scope.db
    .insert(cameras)
    .values({ tenantId: scope.tenantId, name: "Door", kind: "rtsp" })
    .returning();
  return row!.id;
}

function faceEvent(cam: string, personId: string | null, at: string, type = "face_recognised") {
  const base = {
    eventId: randomUUID(),
    cameraId: cam,
    utcTimestamp: at,
    localTime: at.slice(0, 23),
    timezoneOffset: 0,
    driftOffset: 0,
    correctedUtc: at,
    lamport: 1,
    modelId: "faceres",
    modelVersion: "3.3.6",
    trackId: 4,
  };
  if (type === "face_track_end")
    return { type, ...base, personId, firstSeen: new Date(Date.parse(at) - 60_000).toISOString(), visibleMs: 60_000 };
  if (type === "face_unknown") return { type, ...base, bestSimilarity: 0.2, box: [0.1, 0.1, 0.4, 0.9] };
  return { type, ...base, personId, similarity: 0.8, margin: 0.3, box: [0.1, 0.1, 0.4, 0.9] };
}

beforeAll(async () => {
  t = await openTestDb();
  admin = await tenantWithAdmin("staffco");
  otherAdmin = await tenantWithAdmin("otherco");
  cameraId = await camera(admin);
  otherCameraId = await camera(otherAdmin);
}, 60_000);

afterAll(async () => t?.close());

describe("enrolment and the gallery (S1, D6)", () => {
  it("enrols a real photograph: face found with quality; the gallery is empty until recognition is turned on", async () => {
    const changes: string[] = [];
    const listener = (tenantId: string) => changes.push(tenantId);
    galleryChanges.on("changed", listener);
    const ada = await createPerson(admin, { name: "Ada", employeeNumber: "E-1" });
    const image = await enrolImage(admin, ada.id, { bytes: new Uint8Array(readFileSync(PHOTO)), mime: "image/jpeg" });
    expect(image.faceFound).toBe(true);
    expect(image.quality.sizePx).toBeGreaterThan(80);
    expect(image.quality.sharpness).toBeGreaterThan(100);
    expect(image.embedder.dimensions).toBe(1024);
    expect(changes).toEqual([admin.tenantId]);

    const off = await loadGallery(admin.db, admin.tenantId);
    expect(off).toMatchObject({ enabled: false, people: [], revision: 1 });
    expect(await faceAnalysisFor(admin.db, admin.tenantId)).toBeUndefined();

    await updateFaceSettings(admin, { enabled: true });
    expect(changes).toHaveLength(2);
    const on = await loadGallery(admin.db, admin.tenantId);
    expect(on.revision).toBe(2);
    expect(on.enabled).toBe(true);
    expect(on.modelId).toBe(image.embedder.id);
    expect(on.people).toHaveLength(1);
    const vector = decodeEmbedding(on.people[0]!.embeddings[0]!);
    expect(vector.length).toBe(1024);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 3);
    expect(await faceAnalysisFor(admin.db, admin.tenantId)).toMatchObject({ enabled: true, galleryId: admin.tenantId });

    // Inactive people leave the gallery; the revision moves on every change.
    await updatePerson(admin, ada.id, { active: false });
    const inactive = await loadGallery(admin.db, admin.tenantId);
    expect(inactive.people).toEqual([]);
    expect(inactive.revision).toBe(3);
    await updatePerson(admin, ada.id, { active: true });
    expect((await loadGallery(admin.db, admin.tenantId)).people).toHaveLength(1);
    galleryChanges.off("changed", listener);

    // Another tenant's gallery sees none of it.
    await updateFaceSettings(otherAdmin, { enabled: true });
    expect((await loadGallery(otherAdmin.db, otherAdmin.tenantId)).people).toEqual([]);
    await expect(listImages(otherAdmin, ada.id)).rejects.toMatchObject({ status: 404 });
  }, 60_000);

  it("refuses bad images with their reason", async () => {
    const bob = await createPerson(admin, { name: "Bob" });
    const refuse = (bytes: Uint8Array) =>
      enrolImage(admin, bob.id, { bytes }).then(
        () => null,
        (e: unknown) => (e instanceof EnrolmentError ? `${e.status} ${e.reason}` : String(e)),
      );
    expect(await refuse(new TextEncoder().encode("not an image at all"))).toBe("415 not-an-image");
    expect(await refuse(new Uint8Array(readFileSync(PHOTO)).slice(0, 400))).toMatch(/^400 /);
    const data = "/usr/share/doc/opencv-doc/examples/data";
    expect(await refuse(new Uint8Array(readFileSync(`${data}/fruits.jpg`)))).toBe("422 no-face");
    expect(await refuse(new Uint8Array(readFileSync(`${data}/messi5.jpg`)))).toBe("422 face-too-small");
    expect(await refuse(new Uint8Array(readFileSync("/usr/share/doc/opencv-doc/opencv4/html/facereg.jpg")))).toBe(
      "422 several-faces",
    );
    expect((await listImages(admin, bob.id)).length).toBe(0);
  }, 60_000);

  it("chooses the face by the documented rules", () => {
    const face = (sizePx: number, sharpness = 300, frontal = 0.9) => ({
      box: [0, 0, sizePx, sizePx] as [number, number, number, number],
      score: 0.9,
      keypoints: [],
      quality: { sizePx, sharpness, frontal },
    });
    expect(chooseEnrolmentFace([face(100), face(30)]).quality.sizePx).toBe(100); // a small face behind is fine
    expect(() => chooseEnrolmentFace([face(100), face(60)])).toThrow(/More than one face/);
    expect(() => chooseEnrolmentFace([face(100, 10)])).toThrow(/blurry/);
    expect(() => chooseEnrolmentFace([face(100, 300, 0.1)])).toThrow(/frontal/);
    expect(() => chooseEnrolmentFace([])).toThrow(/No face/);
  });
});

describe("face events, deletion and retention (D6, S1, C6)", () => {
  it("stores face events once (a replay is duplicates) and only for the worker's tenant's cameras", async () => {
    const person = await createPerson(admin, { name: "Cy" });
    const events = [
      faceEvent(cameraId, person.id, new Date(Date.now() - 3_600_000).toISOString()),
      faceEvent(cameraId, null, new Date(Date.now() - 3_500_000).toISOString(), "face_unknown"),
      faceEvent(cameraId, person.id, new Date(Date.now() - 3_400_000).toISOString(), "face_track_end"),
      faceEvent(otherCameraId, person.id, new Date().toISOString()),
      // Another tenant's person, and an id nobody has: never stored under this tenant's camera.
      faceEvent(cameraId, (await createPerson(otherAdmin, { name: "Elsewhere" })).id, new Date().toISOString()),
      faceEvent(cameraId, randomUUID(), new Date().toISOString(), "face_track_end"),
    ];
    const raw = events.map((item, index) => ({ index: index + 10, item }));
    const worker = { tenantId: admin.tenantId, workerId: "w1", shared: false };
    const first = await ingestFaceEvents(admin.db, worker, raw);
    expect(first.stored).toBe(3);
    expect(first.rejected).toEqual([
      { index: 13, eventId: events[3]!.eventId, message: "camera not in this tenant" },
      { index: 14, eventId: events[4]!.eventId, message: "person not in the camera's tenant" },
      { index: 15, eventId: events[5]!.eventId, message: "person not in the camera's tenant" },
    ]);
    // The live notice (engineer E, "faces:stored"): per camera, under its tenant, ids and a count only.
    expect(first.notices).toEqual([{ tenantId: admin.tenantId, cameraId, stored: 3, personIds: [person.id] }]);
    const replay = await ingestFaceEvents(admin.db, worker, raw);
    expect(replay).toMatchObject({ stored: 0, duplicates: 3, notices: [] });
    const rows = await admin.db.select().from(faceEvents).where(eq(faceEvents.personId, person.id));
    expect(rows.map((r) => r.type).sort()).toEqual(["face_recognised", "face_track_end"]);
    expect(rows.find((r) => r.type === "face_track_end")!.visibleMs).toBe(60_000);
  });

  it("deleting a person removes their images, embeddings and events at once and audits counts only", async () => {
    const dee = await createPerson(admin, { name: "Dee" });
    await enrolImage(admin, dee.id, { bytes: new Uint8Array(readFileSync(PHOTO)) });
    const at = new Date(Date.now() - 60_000).toISOString();
    await ingestFaceEvents(admin.db, { tenantId: admin.tenantId, workerId: "w1", shared: false }, [
      { index: 0, item: faceEvent(cameraId, dee.id, at) },
      { index: 1, item: faceEvent(cameraId, dee.id, at, "face_track_end") },
    ]);
    const before = (await loadGallery(admin.db, admin.tenantId)).revision;
    expect(await deletePerson(admin, dee.id)).toEqual({ images: 1, events: 2 });
    expect(await admin.db.select().from(staffFaceImages).where(eq(staffFaceImages.personId, dee.id))).toEqual([]);
    expect(await admin.db.select().from(faceEvents).where(eq(faceEvents.personId, dee.id))).toEqual([]);
    // A worker that still held the old gallery reports Dee once more: dropped, nothing of Dee is stored again.
    const late = await ingestFaceEvents(admin.db, { tenantId: admin.tenantId, workerId: "w1", shared: false }, [
      { index: 0, item: faceEvent(cameraId, dee.id, new Date().toISOString()) },
    ]);
    expect(late).toMatchObject({ stored: 0, rejected: [{ index: 0, message: "person not in the camera's tenant" }] });
    const gallery = await loadGallery(admin.db, admin.tenantId);
    expect(gallery.revision).toBe(before + 1);
    expect(gallery.people.map((p) => p.personId)).not.toContain(dee.id);
    const audit = await admin.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.tenantId, admin.tenantId),
          sql`${auditEvents.action} LIKE 'staff.%' OR ${auditEvents.action} LIKE 'faces.%'`,
        ),
      );
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "staff.face_enrol",
        "staff.person_delete",
        "faces.recognition_on",
        "staff.person_deactivate",
      ]),
    );
    expect(audit.find((a) => a.action === "staff.person_delete")!.details).toMatchObject({ images: 1, events: 2 });
    // No image bytes or embedding in any audit entry.
    expect(JSON.stringify(audit.map((a) => a.details)).length).toBeLessThan(5_000);
    expect(JSON.stringify(audit)).not.toMatch(/embedding|image":/i);
  }, 60_000);

  it("the retention sweep deletes face events older than each tenant's setting", async () => {
    await updateFaceSettings(admin, { eventRetentionDays: 2 });
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 1 * 86_400_000).toISOString();
    const otherOld = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await ingestFaceEvents(admin.db, { tenantId: admin.tenantId, workerId: "w1", shared: false }, [
      { index: 0, item: faceEvent(cameraId, null, old, "face_unknown") },
      { index: 1, item: faceEvent(cameraId, null, recent, "face_unknown") },
    ]);
    await ingestFaceEvents(otherAdmin.db, { tenantId: otherAdmin.tenantId, workerId: "w2", shared: false }, [
      { index: 0, item: faceEvent(otherCameraId, null, otherOld, "face_unknown") },
    ]);
    const logger = { info: () => {}, warn: () => {}, debug: () => {} };
    const jobs = new TimescaleJobs(t.handle, "app", logger, 60_000, [], [faceEventRetentionSweep(30)]);
    await jobs.runSweeps();
    const times = async (tenantId: string) =>
      (await t.handle.db.select().from(faceEvents).where(eq(faceEvents.tenantId, tenantId))).map((r) =>
        r.correctedUtc.toISOString(),
      );
    expect(await times(admin.tenantId)).not.toContain(old);
    expect(await times(admin.tenantId)).toContain(recent);
    expect(await times(otherAdmin.tenantId)).toContain(otherOld); // 10 days < the other tenant's 30
  });
});
