// Staff, enrolment and attendance through the real server and its build (issue 14: S1, D6, C6, U2, U4): a real
// photograph enrolled over the API (face found, quality), bad images refused with their reason, viewers kept from
// every image, tenants kept apart, face events from a (fake, raw socket.io) worker stored once and replays counted as
// duplicates, attendance as JSON and CSV, and a person's deletion taking images, embeddings and events with an audit
// entry (checked in the database after the server stopped).
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { auditEvents, faceEvents, staffFaceImages, staffPeople } from "../../db/schema";
import { Client, waitUntil, type Json } from "./fleet-support";
import { login, makeDataDir, startServerProcess, type ServerProcess } from "./support/server-process";
import { askWorker, connectWorkerSocket, exchangeWorkerToken } from "./support/worker-socket";

const PHOTO = "/usr/share/doc/opencv-doc/opencv4/html/face_swapped.jpg";
const DATA = "/usr/share/doc/opencv-doc/examples/data";
let server: ServerProcess;
let admin: Client;
let adminCookie: string;
let viewerCookie: string;
let otherCookie: string;
let tenantB: string;
let cameraA: string;
let worker: Socket;
const data = makeDataDir("argus-staff-");
let ada: Json;
let image: Json;

async function call(
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(server.url + path, {
    method,
    headers: { cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* CSV or an image */
  }
  return { status: res.status, body: json, headers: res.headers };
}

async function upload(cookie: string, personId: string, files: Array<{ bytes: Uint8Array; name: string }>) {
  const form = new FormData();
  for (const f of files) form.append("images", new Blob([new Uint8Array(f.bytes)], { type: "image/jpeg" }), f.name);
  const res = await fetch(`${server.url}/api/v1/staff/${personId}/images`, {
    method: "POST",
    headers: { cookie },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const file = (path: string) => ({ bytes: new Uint8Array(readFileSync(path)), name: path.split("/").pop()! });

function faceEvent(type: string, personId: string | null, at: Date, extra: Json = {}) {
  const iso = at.toISOString();
  const base = {
    eventId: randomUUID(),
    cameraId: cameraA,
    utcTimestamp: iso,
    localTime: iso.slice(0, 23),
    timezoneOffset: 0,
    driftOffset: 0,
    correctedUtc: iso,
    lamport: 1,
    modelId: "faceres",
    modelVersion: "3.3.6",
    trackId: 7,
  };
  if (type === "face_track_end") return { type, ...base, personId, ...extra };
  if (type === "face_unknown") return { type, ...base, bestSimilarity: 0.21, box: [0.1, 0.1, 0.5, 0.9] };
  return { type, ...base, personId, similarity: 0.82, margin: 0.4, box: [0.1, 0.1, 0.5, 0.9] };
}

function browser(cookie: string): Promise<Socket> {
  const socket = io(server.url, {
    transports: ["websocket"],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

beforeAll(async () => {
  server = await startServerProcess({ dataDir: data.dir, env: { LOG_LEVEL: "warn" } });
  adminCookie = await login(server.url);
  admin = new Client(server.url, adminCookie);
  const tenantA = (await admin.call("GET", "/api/v1/tenants")).body.tenants[0].id;
  tenantB = (await admin.call("POST", "/api/v1/tenants", { name: "Other staff tenant" })).body.tenant.id;
  const member = (tenant: string, email: string, role: string) =>
    call(
      adminCookie,
      "POST",
      "/api/v1/members",
      { email, name: email, password: "viewer-password-123", role },
      {
        "x-argus-tenant": tenant,
      },
    );
  expect((await member(tenantA, "viewer@argus.test", "viewer")).status).toBe(201);
  expect((await member(tenantB, "other@argus.test", "admin")).status).toBe(201);
  viewerCookie = await login(server.url, "viewer@argus.test", "viewer-password-123");
  otherCookie = await login(server.url, "other@argus.test", "viewer-password-123");
  const cred = await admin.issueCredential("fake-face-worker");
  worker = await connectWorkerSocket(server.url, await exchangeWorkerToken(server.url, cred.credential));
  worker.on(
    "v1:command",
    (command: Json) => void askWorker(worker, "v1:command-ack", { commandId: command.commandId, ok: true }),
  );
  const registered = await askWorker(worker, "v1:register", {
    id: "fake-face-worker",
    name: "fake-face-worker",
    host: "test",
    version: "1",
    capacity: 2,
    capabilities: { models: [], codecs: [] },
  });
  expect(registered.ok).toBe(true);
  cameraA = (await admin.call("POST", "/api/v1/cameras", { name: "Front door", kind: "browser" })).body.camera.id;
}, 120_000);

afterAll(async () => {
  worker?.disconnect();
  await server?.stop();
  data.remove();
});

describe("enrolment over the API (S1)", () => {
  it("enrols a real photograph: face found with its quality; the file is served to operators only", async () => {
    const created = await call(adminCookie, "POST", "/api/v1/staff", { name: "Ada Lovelace", employeeNumber: "E-7" });
    expect(created.status).toBe(201);
    ada = created.body.person;
    const res = await upload(adminCookie, ada.id, [file(PHOTO)]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    image = res.body.image;
    expect(image).toMatchObject({ faceFound: true, embedder: { dimensions: 1024 } });
    expect(image.quality.sizePx).toBeGreaterThanOrEqual(100);
    expect(image.quality.sharpness).toBeGreaterThan(100);
    const served = await fetch(`${server.url}/api/v1/staff/${ada.id}/images/${image.id}`, {
      headers: { cookie: adminCookie },
    });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(served.headers.get("cache-control")).toMatch(/no-store/);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(readFileSync(PHOTO)))).toBe(true);
  }, 60_000);

  it("refuses bad images with a clear reason and keeps the good one of a mixed upload", async () => {
    const bob = (await call(adminCookie, "POST", "/api/v1/staff", { name: "Bob" })).body.person;
    const refused = async (f: { bytes: Uint8Array; name: string }) => {
      const res = await upload(adminCookie, bob.id, [f]);
      return `${res.status} ${res.body.details?.reason}: ${res.body.message}`;
    };
    expect(await refused({ bytes: new TextEncoder().encode("hello"), name: "notes.jpg" })).toMatch(
      /^415 not-an-image: Not a JPEG or PNG/,
    );
    expect(await refused({ bytes: file(PHOTO).bytes.slice(0, 300), name: "cut.jpg" })).toMatch(/^400 /);
    expect(await refused(file(`${DATA}/fruits.jpg`))).toMatch(/^422 no-face: No face found/);
    expect(await refused(file(`${DATA}/messi5.jpg`))).toMatch(/^422 face-too-small: The face is too small \(36 px/);
    expect(await refused(file("/usr/share/doc/opencv-doc/opencv4/html/facereg.jpg"))).toMatch(/^422 several-faces/);
    const mixed = await upload(adminCookie, bob.id, [file(`${DATA}/fruits.jpg`), file(PHOTO)]);
    expect(mixed.status).toBe(201);
    expect(mixed.body.images).toHaveLength(1);
    expect(mixed.body.rejected).toEqual([
      expect.objectContaining({ file: "fruits.jpg", status: 422, reason: "no-face" }),
    ]);
    const notMultipart = await call(adminCookie, "POST", `/api/v1/staff/${bob.id}/images`, { image: "x" });
    expect(notMultipart.status).toBe(415);
  }, 60_000);

  it("viewers see names but never images (403), and another tenant sees nothing", async () => {
    const list = await call(viewerCookie, "GET", "/api/v1/staff");
    expect(list.status).toBe(200);
    expect(list.body.people.map((p: Json) => p.name)).toContain("Ada Lovelace");
    expect((await call(viewerCookie, "GET", `/api/v1/staff/${ada.id}/images`)).status).toBe(403);
    expect((await call(viewerCookie, "GET", `/api/v1/staff/${ada.id}/images/${image.id}`)).status).toBe(403);
    expect((await upload(viewerCookie, ada.id, [file(PHOTO)])).status).toBe(403);
    const page = await fetch(`${server.url}/staff/${ada.id}`, { headers: { cookie: viewerCookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Ada Lovelace");
    expect(html).not.toContain(image.id);
    expect(html).not.toContain("/images/");
    // Tenant B's admin: Ada does not exist there.
    expect((await call(otherCookie, "GET", `/api/v1/staff/${ada.id}`)).status).toBe(404);
    expect((await call(otherCookie, "GET", `/api/v1/staff/${ada.id}/images/${image.id}`)).status).toBe(404);
    expect((await call(otherCookie, "DELETE", `/api/v1/staff/${ada.id}`)).status).toBe(404);
    expect((await call(otherCookie, "GET", "/api/v1/staff")).body.people).toEqual([]);
  });

  it("recognition is off until an admin turns it on; viewers cannot switch it", async () => {
    const before = await call(adminCookie, "GET", "/api/v1/staff/settings");
    expect(before.body.settings).toMatchObject({ enabled: false, eventRetentionDays: 30, threshold: 0.55 });
    expect((await call(viewerCookie, "PATCH", "/api/v1/staff/settings", { enabled: true })).status).toBe(403);
    const on = await call(adminCookie, "PATCH", "/api/v1/staff/settings", { enabled: true, timezone: "Europe/Berlin" });
    expect(on.status).toBe(200);
    expect(on.body.settings).toMatchObject({ enabled: true, timezone: "Europe/Berlin" });
    expect(on.body.settings.galleryRevision).toBeGreaterThan(before.body.settings.galleryRevision);
    const bad = await call(adminCookie, "PATCH", "/api/v1/staff/settings", { threshold: 3 });
    expect(bad.status).toBe(400);
  });
});

describe("face events and attendance (D6, S1)", () => {
  const at = new Date(Date.UTC(2026, 10, 20, 7, 30)); // 08:30 in Berlin
  it("stores a batch of face events once; a replay is duplicates; detection events beside them still go through", async () => {
    const events = [
      faceEvent("face_recognised", ada.id, at),
      faceEvent("face_unknown", null, new Date(at.getTime() + 1_000)),
      faceEvent("face_track_end", ada.id, new Date(at.getTime() + 3_600_000), {
        firstSeen: at.toISOString(),
        visibleMs: 3_600_000,
      }),
      { ...faceEvent("face_recognised", ada.id, at), similarity: 7 },
    ];
    // A detection event and a bad one between them: the batch's indices survive the split.
    const { trackId: _t, bestSimilarity: _b, box: _x, ...envelope } = faceEvent("face_unknown", null, at);
    const trackStart = {
      ...envelope,
      type: "track_start",
      trackId: 7,
      class: "person",
      confidence: 0.9,
      box: [0, 0, 1, 1],
    };
    events.splice(1, 0, trackStart, { ...trackStart, eventId: randomUUID(), class: "" });
    const batch = { batchId: randomUUID(), events };
    // Browsers of both tenants are connected: only tenant A's hears that face events were stored (ids, no pixels).
    const ownBrowser = await browser(viewerCookie);
    const otherBrowser = await browser(otherCookie);
    const heard: Json[] = [];
    const overheard: Json[] = [];
    ownBrowser.on("faces:stored", (m: Json) => heard.push(m));
    otherBrowser.on("faces:stored", (m: Json) => overheard.push(m));
    const first = await askWorker(worker, "v1:events", batch);
    expect(first.ok, JSON.stringify(first)).toBe(true);
    expect(first.data, JSON.stringify(first.data)).toMatchObject({ stored: 4, duplicates: 0 });
    expect(first.data.rejected.map((r: Json) => r.index)).toEqual([2, 5]);
    await waitUntil("faces:stored in tenant A", () => heard.length > 0, 5_000);
    expect(heard).toEqual([{ cameraId: cameraA, stored: 3, personIds: [ada.id] }]);
    const replay = await askWorker(worker, "v1:events", { ...batch, batchId: randomUUID() });
    expect(replay.data).toMatchObject({ stored: 0, duplicates: 4 });
    // A replay stores nothing and announces nothing; tenant B heard nothing at all.
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toHaveLength(1);
    expect(overheard).toEqual([]);
    ownBrowser.disconnect();
    otherBrowser.disconnect();
    const listed = await call(viewerCookie, "GET", `/api/v1/face-events?personId=${ada.id}`);
    expect(listed.body.events.map((e: Json) => e.type)).toEqual(["face_recognised", "face_track_end"]);
    const window = `start_time=2026-11-20T00:00:00Z&end_time=2026-11-21T00:00:00Z`;
    const detections = await call(adminCookie, "GET", `/api/v1/detection-events?camera_id=${cameraA}&${window}`);
    expect(detections.body.events.map((e: Json) => e.eventId ?? e.event_id)).toEqual([trackStart.eventId]);
  });

  it("reports attendance in the tenant's zone as JSON and CSV", async () => {
    const json = await call(viewerCookie, "GET", "/api/v1/attendance?from=2026-11-20&to=2026-11-20");
    expect(json.status).toBe(200);
    expect(json.body.timezone).toBe("Europe/Berlin");
    expect(json.body.attendance).toEqual([
      expect.objectContaining({
        day: "2026-11-20",
        personId: ada.id,
        name: "Ada Lovelace",
        firstSeen: "2026-11-20T07:30:00.000Z",
        lastSeen: "2026-11-20T08:30:00.000Z",
        visibleSeconds: 3600,
        intervals: [{ start: "2026-11-20T07:30:00.000Z", end: "2026-11-20T08:30:00.000Z" }],
        cameras: [{ id: cameraA, name: "Front door" }],
      }),
    ]);
    const csv = await call(
      viewerCookie,
      "GET",
      `/api/v1/attendance?from=2026-11-20&to=2026-11-20&format=csv&personId=${ada.id}`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const lines = String(csv.body).trim().split("\r\n");
    expect(lines[0]).toBe("date,person_id,name,employee_number,first_seen,last_seen,cameras,visible_seconds");
    expect(lines[1]).toBe(
      `2026-11-20,${ada.id},Ada Lovelace,E-7,2026-11-20T08:30:00+01:00,2026-11-20T09:30:00+01:00,Front door,3600`,
    );
    expect((await call(viewerCookie, "GET", "/api/v1/attendance?from=2026-11-21&to=2026-11-20")).status).toBe(400);
    expect((await call(viewerCookie, "GET", "/api/v1/attendance?from=2026-01-01&to=2026-12-31")).status).toBe(400);
    expect((await call(viewerCookie, "GET", "/api/v1/attendance?from=yesterday")).status).toBe(400);
    const page = await fetch(`${server.url}/attendance?from=2026-11-20&to=2026-11-20`, {
      headers: { cookie: viewerCookie },
    });
    const html = await page.text();
    expect(html).toContain("Ada Lovelace");
    // The chart above the table draws the same one interval (engineer E).
    expect(html).toMatch(/data-testid="attendance-chart" data-lanes="1" data-intervals="1"/);
  });

  it("deleting a person removes images, embeddings and recognition events at once, and is audited", async () => {
    expect((await call(viewerCookie, "DELETE", `/api/v1/staff/${ada.id}`)).status).toBe(403);
    const deleted = await call(adminCookie, "DELETE", `/api/v1/staff/${ada.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted).toEqual({ images: 1, events: 2 });
    expect((await call(adminCookie, "GET", `/api/v1/staff/${ada.id}/images/${image.id}`)).status).toBe(404);
    expect((await call(adminCookie, "GET", `/api/v1/face-events?personId=${ada.id}`)).body.events).toEqual([]);
    const unknown = await call(adminCookie, "GET", "/api/v1/face-events?type=face_unknown");
    expect(unknown.body.events).toHaveLength(1); // not anyone's: kept until retention
    const attendance = await call(adminCookie, "GET", "/api/v1/attendance?from=2026-11-20&to=2026-11-20");
    expect(attendance.body.attendance).toEqual([]);
  });

  it("leaves no trace of the person in the database and audits without biometric data", async () => {
    await server.stop();
    const handle = await openDatabase({ dataDir: data.dir });
    try {
      expect(await handle.db.select().from(staffPeople).where(eq(staffPeople.id, ada.id))).toEqual([]);
      expect(await handle.db.select().from(staffFaceImages).where(eq(staffFaceImages.personId, ada.id))).toEqual([]);
      expect(await handle.db.select().from(faceEvents).where(eq(faceEvents.personId, ada.id))).toEqual([]);
      const audit = await handle.db.select().from(auditEvents);
      const actions = audit.map((a) => a.action);
      for (const action of ["staff.face_enrol", "staff.person_delete", "faces.recognition_on"])
        expect(actions).toContain(action);
      const text = JSON.stringify(audit);
      expect(text).not.toMatch(/embedding|base64|\/9j\//); // no vectors, no JPEG bytes
    } finally {
      await handle.close();
    }
  }, 60_000);
});
