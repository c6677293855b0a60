// Staff and face recognition in the browser (issue 14, SPEC S1, D6, C3, C6): an admin adds a person and enrols him
// from two photos through the staff pages, turns recognition on (the page states what is stored), and a browser camera
// that shows him (Chromium's fake webcam playing tests/support/face-clip.ts: the real opencv-doc portrait walked in
// and out of the frame) gets a green box with his name on the live view from the server's local worker, and a row in
// today's attendance. A viewer of the same tenant sees the person but never an enrolment image: no <img>, and the
// image URL answers 403. No request leaves 127.0.0.1.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from "../../playwright.config";
import { enrolmentImage, ensureFaceClip } from "../support/face-clip";
import { addMember, apiJson, defaultTenantId } from "./support/api";
import { signIn, uniqueName } from "./support/auth";
import { fakeCameraArgs } from "./support/fake-camera";
import { overlayColourPixels, recordLiveFrames } from "./support/face-overlay";
import { expectFramesFlowing, startPublishing } from "./support/live";
import { recordExternalRequests } from "./support/network";

const clip = ensureFaceClip("known", "y4m");
const enrolment = [enrolmentImage("known"), enrolmentImage("known", "darker")];
test.use({
  launchOptions: { executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS, ...fakeCameraArgs(clip)] },
});

// Specs share one server (and the default tenant): what this spec makes is removed afterwards, and recognition is
// switched off again so later specs' cameras do no face work.
const cameras: string[] = [];
const people: string[] = [];
test.afterEach(async ({ page }) => {
  for (const id of cameras.splice(0))
    expect([204, 404]).toContain((await page.request.delete(`/api/v1/cameras/${id}`)).status());
  for (const id of people.splice(0))
    expect([200, 404]).toContain((await page.request.delete(`/api/v1/staff/${id}`)).status());
  await page.request.patch("/api/v1/staff/settings", { data: { enabled: false } });
});

async function addPersonInUi(page: Page, name: string): Promise<string> {
  await page.goto("/staff");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Add person" }).click();
  await expect(page).toHaveURL(/\/staff\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").pop()!;
  people.push(id);
  return id;
}

test.describe("staff and face recognition (S1, D6, C3)", () => {
  test.setTimeout(300_000);

  test("an admin enrols a person from two photos, turns recognition on, and sees him recognised live and in attendance", async ({
    page,
  }) => {
    const external = recordExternalRequests(page.context());
    await signIn(page);
    const name = uniqueName("Kai Reinholt");

    // Enrolment through the page: the server finds the face and shows its quality.
    const personId = await addPersonInUi(page, name);
    await expect(page.getByRole("heading", { name })).toBeVisible();
    // Two photos at once (neither is a frame of the camera's clip: tests/support/face-clip.ts).
    await page.getByLabel("Face images").setInputFiles(enrolment);
    await page.getByRole("button", { name: "Upload" }).click();
    for (const file of enrolment)
      await expect(page.getByText(`${path.basename(file)}: enrolled`)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole("heading", { name: "2 enrolled images" })).toBeVisible();
    await expect(page.getByText("Face found", { exact: true })).toHaveCount(2);
    for (const n of [1, 2])
      await expect(page.getByRole("img", { name: `Enrolment image ${n} of ${name}` })).toBeVisible();

    // Off until an admin turns it on, with a plain statement of what is stored.
    await page.goto("/staff/recognition");
    await expect(page.getByText("What is stored when face recognition is on")).toBeVisible();
    await expect(page.getByText(/Never stored/)).toBeVisible();
    await page.getByRole("button", { name: "Turn face recognition on" }).click();
    await expect(page.getByRole("button", { name: "Turn face recognition off" })).toBeVisible({ timeout: 15_000 });
    const { settings } = await apiJson<{ settings: { enabled: boolean } }>(page, "GET", "/api/v1/staff/settings");
    expect(settings.enabled).toBe(true);

    // A camera that shows him: the local worker detects the person, finds and matches his face.
    const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
      name: uniqueName("Entrance"),
      kind: "browser",
    });
    cameras.push(camera.id);
    await apiJson(page, "PUT", `/api/v1/cameras/${camera.id}/analysis`, { detection: { classes: ["person"] } });
    const publisher = await page.context().newPage();
    await startPublishing(publisher, camera.id);
    const live = recordLiveFrames(page);
    await page.goto(`/cameras/${camera.id}/live`);
    await expectFramesFlowing(page);
    await expect(page.getByTestId("detector-status")).toHaveAttribute("data-state", "receiving", { timeout: 90_000 });

    // The page received his track as recognised with his name, and the overlay draws it green (never red).
    await expect
      .poll(() => live.objects(camera.id).find((o) => o.known === true)?.label, {
        message: "a track recognised with his name in detections:live",
        timeout: 150_000,
        intervals: [1000],
      })
      .toBe(name);
    await expect
      .poll(async () => (await overlayColourPixels(page)).green, { timeout: 30_000, intervals: [250] })
      .toBeGreaterThan(200);
    expect(live.objects(camera.id).filter((o) => o.known === false)).toEqual([]);
    expect((await overlayColourPixels(page)).red).toBe(0);
    // The name the canvas draws is also on the page as text (screen readers cannot read the overlay).
    await expect(page.getByRole("list", { name: "Recognised now" }).getByText(name)).toBeVisible({ timeout: 15_000 });

    // Attendance: today (the tenant's zone is UTC by default), filtered to him.
    const today = new Date().toISOString().slice(0, 10);
    await expect
      .poll(
        async () => {
          const { attendance } = await apiJson<{ attendance: Array<{ personId: string }> }>(
            page,
            "GET",
            `/api/v1/attendance?from=${today}&to=${today}&personId=${personId}`,
          );
          return attendance.length;
        },
        { timeout: 60_000, intervals: [2000] },
      )
      .toBe(1);
    await page.goto("/attendance");
    await page.getByLabel("From").fill(today);
    await page.getByLabel("To").fill(today);
    await page.getByLabel("Person").selectOption({ label: name });
    await page.getByRole("button", { name: "Show" }).click();
    const table = page.getByRole("table", { name: "Attendance" });
    const row = table.getByRole("row").filter({ hasText: name });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(today);
    await publisher.close();
    expect(external(), "no request leaves 127.0.0.1").toEqual([]);
  });

  test("a viewer sees the person but no enrolment image: no <img>, and the image URL answers 403", async ({
    page,
    browser,
  }) => {
    const external = recordExternalRequests(page.context());
    await signIn(page);
    const name = uniqueName("Enrolled");
    const { person } = await apiJson<{ person: { id: string } }>(page, "POST", "/api/v1/staff", { name });
    people.push(person.id);
    const upload = await page.request.post(`/api/v1/staff/${person.id}/images`, {
      multipart: {
        images: { name: "enrol.jpg", mimeType: "image/jpeg", buffer: readFileSync(enrolment[0]!) },
      },
    });
    expect(upload.status(), await upload.text()).toBe(201);
    const { image } = (await upload.json()) as { image: { id: string } };
    const imageUrl = `/api/v1/staff/${person.id}/images/${image.id}`;
    // The admin gets the file (private, never cached)...
    const own = await page.request.get(imageUrl);
    expect(own.status()).toBe(200);
    expect(own.headers()["content-type"]).toMatch(/^image\/jpeg/);
    expect(own.headers()["cache-control"]).toContain("no-store");

    const tenantId = await defaultTenantId(page);
    const email = `viewer-${Date.now()}@e2e.argus.test`;
    await addMember(page, tenantId, { email, name: "Viewer", password: "viewer-password-123", role: "viewer" });
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const viewerExternal = recordExternalRequests(context);
    const viewer = await context.newPage();
    await signIn(viewer, email, "viewer-password-123");
    // ...the viewer finds the person in the directory and on their page, without any image or its metadata.
    await viewer.goto("/staff");
    await expect(viewer.getByRole("link", { name })).toBeVisible();
    await viewer.goto(`/staff/${person.id}`);
    await expect(viewer.getByRole("heading", { name })).toBeVisible();
    await expect(viewer.getByText(/shown only to operators and admins/)).toBeVisible();
    await expect(viewer.locator("img")).toHaveCount(0);
    await expect(viewer.getByText("Face found", { exact: true })).toHaveCount(0);
    await expect(viewer.getByLabel("Face images")).toHaveCount(0);
    expect((await viewer.request.get(imageUrl)).status()).toBe(403);
    expect((await viewer.request.get(`/api/v1/staff/${person.id}/images`)).status()).toBe(403);
    // Nor can a viewer switch recognition on.
    await viewer.goto("/staff/recognition");
    await expect(viewer.getByText("Only an admin can turn face recognition on or off.")).toBeVisible();
    await expect(viewer.getByRole("button", { name: /Turn face recognition/ })).toHaveCount(0);
    await context.close();
    expect([...external(), ...viewerExternal()], "no request leaves 127.0.0.1").toEqual([]);
  });
});
