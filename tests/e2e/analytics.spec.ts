// VCC analytics dashboard end to end (SPEC V1-V5, issue 11): crossings sent by a fake worker through the real
// ingestion path (stored, aggregated, announced as detections:stored) are counted on the page; bucket presets, a
// range picked on the two calendars and a click on a top device change the charts and the URL (the back button
// undoes it); a live crossing appears without a reload; the CSV link gives the same numbers as the JSON API. The
// browser runs in New York time, so the page's zone (tz) is not the server's.
import { expect, test, type Page } from "@playwright/test";
import { apiJson, createTenant } from "./support/api";
import { signIn, uniqueName } from "./support/auth";
import { startFakeWorker, type Crossing } from "./support/fake-worker";

const ZONE = "America/New_York";
test.use({ timezoneId: ZONE, locale: "en-US" });

/** YYYY-MM-DD of `date` in the zone (what the calendars' data-day attributes hold). */
const dayIn = (date: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(date);

const statValue = async (page: Page, testId: string) =>
  Number(((await page.getByTestId(testId).locator("[data-value]").textContent()) ?? "").replace(/,/g, ""));
const chartTotal = async (page: Page) => Number(await page.getByTestId("vcc-counts-chart").getAttribute("data-total"));

interface VccJson {
  buckets: string[];
  classes: string[];
  byClass: Record<string, number[]>;
  direction: { in: number[]; out: number[] };
  totals: { total: number; in: number; out: number };
}

test.describe("VCC analytics (V1-V5)", () => {
  test.setTimeout(180_000);

  test("filters, range, buckets and devices in the URL; live crossings; the CSV equals the API", async ({
    page,
    baseURL,
  }, testInfo) => {
    // uPlot and the calendars style elements inline: the CSP must allow them (style-src), and nothing else may break it.
    const violations: string[] = [];
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`Content-Security-Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
      ),
    );
    page.on("console", (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    await signIn(page);
    // A site of its own, so crossings other specs produce in the tenant are not counted here.
    const { site } = await apiJson<{ site: { id: string } }>(page, "POST", "/api/v1/sites", {
      name: uniqueName("Counts"),
    });
    const camera = async (name: string) =>
      (
        await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
          name: uniqueName(name),
          kind: "browser",
          siteId: site.id,
        })
      ).camera.id;
    const gateA = await camera("Gate A");
    const gateB = await camera("Gate B");

    const worker = await startFakeWorker(page, baseURL!);
    const now = Date.now();
    const recent: Crossing[] = [];
    const classesA = ["person", "person", "car", "person", "truck", "person"];
    for (let i = 0; i < 24; i++)
      recent.push({
        cameraId: gateA,
        time: new Date(now - (50 - 2 * i) * 60_000),
        cls: classesA[i % classesA.length]!,
        direction: i % 3 ? "in" : "out",
      });
    for (let i = 0; i < 8; i++)
      recent.push({
        cameraId: gateB,
        time: new Date(now - (45 - 5 * i) * 60_000),
        cls: i % 2 ? "car" : "bicycle",
        direction: i % 2 ? "in" : "out",
      });
    // Two days ago: outside the last hour, inside a range picked on the calendars.
    const older = Array.from({ length: 5 }, (_, i) => ({
      cameraId: gateB,
      time: new Date(now - 48 * 3600_000 + i * 60_000),
      cls: "person",
      direction: "in" as const,
    }));
    expect((await worker.sendCrossings([...recent, ...older])).stored).toBe(37);

    try {
      // The page sends the browser's zone; the site filter keeps other specs' crossings out.
      await page.goto(`/analytics?range=1h&site_id=${site.id}`);
      await expect(page).toHaveURL(new RegExp(`tz=${encodeURIComponent(ZONE)}`));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vehicle and people counts");
      await expect(page.getByTestId("vcc-live")).toHaveAttribute("data-state", "live", { timeout: 15_000 });
      await expect.poll(() => statValue(page, "vcc-total")).toBe(32);
      await expect.poll(() => chartTotal(page)).toBe(32);
      await expect(page.locator(".u-over").first()).toBeVisible(); // uPlot drew
      await expect(page.getByTestId("vcc-classes").locator("li").first()).toHaveAttribute("data-class", "person");
      const devices = page.getByTestId("vcc-top-devices").locator("a");
      await expect(devices).toHaveCount(2);
      await expect(devices.first()).toHaveAttribute("data-camera-id", gateA);

      // Bucket presets (V2): 5 minutes; a fine bucket stays enabled for an hour, and the URL says which.
      await page.getByRole("group", { name: "Bucket size" }).getByRole("button", { name: "5m", exact: true }).click();
      await expect(page).toHaveURL(/bucket=5m/);
      await expect(page.getByRole("button", { name: "5m", exact: true })).toHaveAttribute("aria-pressed", "true");
      await expect
        .poll(async () => Number(await page.getByTestId("vcc-counts-chart").getAttribute("data-points")))
        .toBeLessThanOrEqual(13);
      await expect.poll(() => chartTotal(page)).toBe(32);
      await page.getByRole("button", { name: "1m", exact: true }).click();
      await expect(page).toHaveURL(/bucket=1m/);
      await expect
        .poll(async () => Number(await page.getByTestId("vcc-counts-chart").getAttribute("data-points")))
        .toBeGreaterThanOrEqual(60);
      await page.screenshot({ path: testInfo.outputPath("analytics-desktop.png"), fullPage: true });

      // A live crossing (V4) moves the totals and the chart without a reload.
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
      await worker.sendCrossings([{ cameraId: gateA, time: new Date(), cls: "car", direction: "in" }]);
      await expect.poll(() => statValue(page, "vcc-total"), { timeout: 15_000 }).toBe(33);
      await expect.poll(() => chartTotal(page)).toBe(33);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);

      // Top devices (V1): a click filters the whole dashboard by the camera; back undoes it.
      await page.locator(`a[data-camera-id="${gateB}"]`).click();
      await expect(page).toHaveURL(new RegExp(`camera_id=${gateB}`));
      await expect.poll(() => statValue(page, "vcc-total")).toBe(8);
      await expect(page.getByTestId("vcc-scope")).toContainText("Gate B");
      await expect(page.locator('select[name="camera_id"]')).toHaveValue(gateB);
      await page.goBack();
      await expect(page).not.toHaveURL(/camera_id=/);
      await expect.poll(() => statValue(page, "vcc-total")).toBe(33);

      // A range picked on the two calendars (V2): two days ago to today, whole days; it is fixed (not live).
      await page.getByRole("button", { name: "Custom range…" }).click();
      const picker = page.getByTestId("range-picker");
      const first = dayIn(new Date(now - 2 * 86_400_000));
      const last = dayIn(new Date(now));
      await picker.locator(`[data-day="${first}"] button`).click();
      await picker.locator(`[data-day="${last}"] button`).click();
      await expect(picker.locator(`[data-day="${first}"]:not([data-outside])`)).toHaveAttribute(
        "data-selected",
        "true",
      );
      await expect(picker.locator(`[data-day="${last}"]:not([data-outside])`)).toHaveAttribute("data-selected", "true");
      await expect(picker.locator(".rdp-range_middle:not([data-outside])")).toHaveCount(1);
      await picker.getByLabel("Start time").fill("00:00");
      await picker.getByLabel("End time").fill("23:59");
      await picker.getByRole("button", { name: "Apply range" }).click();
      await expect(page).toHaveURL(/start_time=.*end_time=/);
      await expect(page).not.toHaveURL(/range=/);
      const url = new URL(page.url());
      // Midnight in New York, sent as UTC.
      const startUtc = new Date(url.searchParams.get("start_time")!);
      expect(dayIn(startUtc)).toBe(first);
      expect(new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, timeStyle: "short" }).format(startUtc)).toBe("00:00");
      await expect(page.getByTestId("vcc-live")).toHaveAttribute("data-state", "fixed");
      await expect.poll(() => statValue(page, "vcc-total")).toBe(38);
      // Buckets that would draw more than MAX_POINTS bars are disabled, with a title saying why.
      const oneMinute = page.getByRole("button", { name: "1m", exact: true });
      await expect(oneMinute).toBeDisabled();
      await expect(oneMinute).toHaveAttribute("title", /more than 2,000/);
      await page.getByRole("button", { name: "1h", exact: true }).click();
      await expect(page).toHaveURL(/bucket=1h/);
      await expect.poll(() => chartTotal(page)).toBe(38);

      // The CSV (V5) is exactly what is on screen: the same buckets and numbers as the JSON API.
      const csvHref = await page.getByTestId("vcc-csv").getAttribute("href");
      expect(csvHref).toMatch(/^\/api\/v1\/analytics\/vcc\.csv\?/);
      const query = new URL(csvHref!, baseURL).searchParams;
      expect(query.get("bucket")).toBe("1h");
      expect(query.get("tz")).toBe(ZONE);
      expect(query.get("site_id")).toBe(site.id);
      const json = await apiJson<VccJson>(page, "GET", `/api/v1/analytics/vcc?${query}`);
      const csv = await (await page.request.get(csvHref!)).text();
      const [header, ...lines] = csv.trim().split(/\r?\n/);
      expect(header).toBe(["bucket_start", ...json.classes, "in", "out", "total"].join(","));
      expect(lines).toHaveLength(json.buckets.length);
      lines.forEach((line, i) => {
        const cells = line.split(",").slice(1).map(Number);
        const perClass = json.classes.map((c) => json.byClass[c]![i]!);
        expect(cells).toEqual([
          ...perClass,
          json.direction.in[i],
          json.direction.out[i],
          perClass.reduce((a, b) => a + b, 0),
        ]);
      });
      expect(lines.reduce((sum, line) => sum + Number(line.split(",").at(-1)), 0)).toBe(38);
      expect(json.totals.total).toBe(await statValue(page, "vcc-total"));

      // 390 px wide: nothing overflows sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`/analytics?range=24h&site_id=${site.id}&tz=${encodeURIComponent(ZONE)}`);
      await expect.poll(() => statValue(page, "vcc-total")).toBe(33);
      await page.getByRole("button", { name: "Custom range…" }).click();
      await expect(page.getByTestId("range-picker")).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: testInfo.outputPath("analytics-390-picker.png"), fullPage: true });
      await page.getByRole("button", { name: "Cancel" }).click();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: testInfo.outputPath("analytics-390.png"), fullPage: true });
      expect(violations, "no CSP violation on the dashboard").toEqual([]);
    } finally {
      await worker.close();
      // Specs share one server: leave no cameras behind for later specs' workers to be assigned (fleet.spec.ts
      // expects a new worker to start without cameras).
      for (const id of [gateA, gateB]) expect((await page.request.delete(`/api/v1/cameras/${id}`)).status()).toBe(204);
    }
  });

  test("an admin fills an empty dashboard with sample traffic from the page (issue 11 §7)", async ({ page }) => {
    await signIn(page);
    // A tenant of its own: its dashboard is empty whatever other specs counted.
    const tenant = await createTenant(page, uniqueName("Sample traffic"));
    const switched = await page.request.post("/tenant/switch", { form: { tenantId: tenant.id }, maxRedirects: 0 });
    expect(switched.status()).toBe(302);
    try {
      await page.goto("/analytics?range=24h&tz=UTC");
      await expect(page.getByTestId("vcc-empty")).toBeVisible();
      const form = page.getByTestId("vcc-generate");
      await form.getByLabel("Cameras").fill("2");
      await form.getByLabel("Days").fill("0.5");
      await form.getByLabel("Crossings per hour").fill("40");
      await form.getByRole("button", { name: "Generate sample traffic" }).click();
      await expect(form.getByRole("status")).toContainText(/Generated [\d,]+ crossings/, { timeout: 60_000 });
      const status = (await form.getByRole("status").textContent()) ?? "";
      const generated = Number(/Generated ([\d,]+) crossings/.exec(status)![1].replace(/,/g, ""));
      // The page reloads its data: the charts and totals show what the API counts.
      await expect(page.getByTestId("vcc-empty")).toBeHidden();
      const api = await apiJson<VccJson>(page, "GET", "/api/v1/analytics/vcc?tz=UTC", undefined, tenant.id);
      expect(api.totals.total).toBeGreaterThan(0);
      await expect.poll(() => statValue(page, "vcc-total")).toBe(api.totals.total);
      // Half a day ending now lies inside the last 24 hours: every generated crossing is counted.
      expect(api.totals.total).toBe(generated);
    } finally {
      const { cameras } = await apiJson<{ cameras: Array<{ id: string }> }>(
        page,
        "GET",
        "/api/v1/cameras",
        undefined,
        tenant.id,
      );
      for (const c of cameras)
        expect(
          (await page.request.delete(`/api/v1/cameras/${c.id}`, { headers: { "X-Argus-Tenant": tenant.id } })).status(),
        ).toBe(204);
    }
  });

  test("a bad parameter shows the API's message in the page's error state", async ({ page }) => {
    await signIn(page);
    await page.goto("/analytics?bucket=3m&tz=UTC");
    await expect(page.getByTestId("vcc-error")).toContainText("bucket must be one of");
    await page.getByRole("link", { name: "Back to the last 24 hours" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vehicle and people counts");
  });
});
