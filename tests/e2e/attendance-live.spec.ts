// The attendance page live (issue 14, S1): a face track stored by a (fake) worker while the page is open reaches it
// over socket.io ("faces:stored") without a reload - the row in the table and the interval in the chart above it -
// the hover readout names the person, the page fits a 390 px phone and axe finds nothing serious.
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { apiJson } from "./support/api";
import { horizontalOverflow } from "./support/app-pages";
import { signIn, uniqueName } from "./support/auth";
import { startFakeWorker, type FakeWorker } from "./support/fake-worker";
import { recordExternalRequests } from "./support/network";

let worker: FakeWorker | undefined;
const cleanup: string[] = [];
test.afterEach(async ({ page }) => {
  await worker?.close();
  for (const path of cleanup.splice(0)) await page.request.delete(path);
});

function faceEvent(type: "face_recognised" | "face_track_end", cameraId: string, personId: string, at: Date) {
  const iso = at.toISOString();
  const base = {
    type,
    eventId: randomUUID(),
    cameraId,
    personId,
    utcTimestamp: iso,
    localTime: iso.slice(0, 23),
    timezoneOffset: 0,
    driftOffset: 0,
    correctedUtc: iso,
    lamport: 1,
    modelId: "e2e",
    modelVersion: "1",
    trackId: 11,
  };
  return type === "face_track_end"
    ? { ...base, firstSeen: new Date(at.getTime() - 3_600_000).toISOString(), visibleMs: 3_600_000 }
    : { ...base, similarity: 0.8, margin: 0.3, box: [0.1, 0.1, 0.4, 0.9] };
}

test("a stored face track appears in the attendance table and chart without a reload", async ({ page, baseURL }) => {
  const external = recordExternalRequests(page.context());
  await signIn(page);
  const name = uniqueName("Live Attendee");
  const { person } = await apiJson<{ person: { id: string } }>(page, "POST", "/api/v1/staff", { name });
  cleanup.push(`/api/v1/staff/${person.id}`);
  const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
    name: uniqueName("Attendance door"),
    kind: "browser",
  });
  cleanup.push(`/api/v1/cameras/${camera.id}`);
  worker = await startFakeWorker(page, baseURL!);
  const { settings } = await apiJson<{ settings: { timezone: string } }>(page, "GET", "/api/v1/staff/settings");
  // Today in the tenant's attendance zone (the page's default range ends today there).
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: settings.timezone }).format(new Date());

  await page.goto(`/attendance?from=${today}&to=${today}&personId=${person.id}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "live");
  await expect(page.getByText("No one was recognised in this range.")).toBeVisible();
  await expect(page.getByTestId("attendance-chart")).toHaveCount(0);

  // The track ended a minute ago after an hour in view (clipped to today if it began before midnight).
  const end = new Date(Date.now() - 60_000);
  const reply = await worker.sendEvents([
    faceEvent("face_track_end", camera.id, person.id, end),
    faceEvent("face_recognised", camera.id, person.id, end),
  ]);
  expect(reply).toMatchObject({ stored: 2, rejected: [] });
  const chart = page.getByTestId("attendance-chart");
  await expect(chart).toHaveAttribute("data-intervals", "1", { timeout: 15_000 });
  const row = page.getByRole("table", { name: "Attendance" }).getByRole("row").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(today);
  // The text alternative and the hover readout say who and when.
  await expect(chart.getByRole("listitem")).toContainText(`${name}: in view`);
  await page.getByTestId("attendance-interval").hover();
  await expect(page.getByTestId("attendance-readout")).toContainText(`${name}: in view`);

  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  const { scrollWidth, viewport, offenders } = await horizontalOverflow(page);
  expect(scrollWidth, offenders.join(", ")).toBeLessThanOrEqual(viewport);
  expect(external(), "no request leaves 127.0.0.1").toEqual([]);
});
