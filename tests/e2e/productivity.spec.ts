import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";

// P3-P5 in a real browser: generate data (with simulated drift), read the dashboard, filter by a
// worker, see and acknowledge the drift alert.
test("generate data, filter the dashboard by a worker, see a drift alert", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page);
  await page.getByRole("link", { name: "Productivity" }).first().click();
  await expect(page).toHaveURL(/\/productivity$/);

  await page.getByRole("link", { name: "Settings & data" }).click();
  await page.getByRole("button", { name: "Seed people & stations" }).click();
  // A fresh install may already have the documented sample factory (PRODUCTIVITY_SAMPLE_DATA): then none are new.
  await expect(page.getByText(/Added [06] people and [06] workstations/)).toBeVisible();
  await page.getByLabel("Days of events").fill("2");
  await page.getByLabel("Simulate model drift (last 90 min)").check();
  await page.getByRole("button", { name: "Generate events" }).click();
  await expect(page.getByText(/Generated [\d,]+ events/)).toBeVisible({ timeout: 60_000 });

  await page.getByRole("link", { name: "Dashboard" }).click();
  const workers = page.getByTestId("workers-table");
  await expect(workers.locator("tbody tr")).toHaveCount(6);
  const events = page.getByTestId("stat-events");
  const allEvents = await events.locator("p").nth(1).textContent();
  expect(Number(allEvents!.replace(/,/g, ""))).toBeGreaterThan(100);
  await expect(page.getByTestId("utilisation-chart")).toBeVisible();

  // Live: an event ingested through the API shows up without a reload.
  const production = page.getByTestId("stat-production").locator("p").nth(1);
  const before = Number((await production.textContent())!.replace(/,/g, ""));
  const posted = await page.request.post("/api/v1/events", {
    data: {
      timestamp: new Date(Date.now() - 60_000).toISOString(),
      worker_id: "W1",
      workstation_id: "S1",
      event_type: "product_count",
      count: 5,
      confidence: 0.9,
    },
  });
  expect(posted.status()).toBe(201);
  await expect(production).toHaveText((before + 5).toLocaleString("en-US"));

  await workers.getByRole("link", { name: /^W2 · / }).click();
  await expect(page).toHaveURL(/worker=W2/);
  await expect(page.getByTestId("active-filter")).toContainText("Person W2");
  await expect(workers.locator('tr[aria-selected="true"]')).toContainText("W2");
  await expect(events.locator("p").nth(1)).not.toHaveText(allEvents!);
  const filtered = Number((await events.locator("p").nth(1).textContent())!.replace(/,/g, ""));
  expect(filtered).toBeLessThan(Number(allEvents!.replace(/,/g, "")));

  await expect(page.getByRole("alert").filter({ hasText: "open model alert" })).toBeVisible();

  // A custom time range with no data: everything drops to zero, the worker filter stays.
  await page.getByLabel("From").fill("2020-01-01T00:00");
  await page.getByLabel("To").fill("2020-01-02T00:00");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/start_time=2020-01-0/);
  await expect(events.locator("p").nth(1)).toHaveText("0");
  await expect(page.getByTestId("active-filter")).toContainText("Person W2");
  await page.getByRole("link", { name: "Last 7d" }).click();
  await expect(page).not.toHaveURL(/start_time/);
  await page.getByRole("link", { name: /Models & alerts/ }).click();
  const alerts = page.getByTestId("alerts-list");
  const lowConfidence = alerts.locator("li", { hasText: "Low confidence" });
  await expect(lowConfidence).toHaveCount(1);
  await expect(lowConfidence).toHaveAttribute("data-state", "open");
  await expect(page.getByTestId("models-table")).toContainText("v2");
  await lowConfidence.getByRole("button", { name: "Acknowledge" }).click();
  await expect(alerts.locator("li", { hasText: "Low confidence" })).toHaveAttribute("data-state", "acknowledged");
});
