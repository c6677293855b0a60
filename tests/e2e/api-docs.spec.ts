// Issue 12 §3 / U2: the API reference. /docs is readable without a session (the reference holds no data) and
// /api-docs inside the signed-in shell; both render the generated OpenAPI document as a reference (Markdown turned
// into code spans and links, no raw backticks, no bare repository file names), fit a phone, pass axe, and reach
// nothing but this server.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./support/auth";
import { recordExternalRequests } from "./support/network";

async function expectRenderedReference(page: Page) {
  await expect(page.getByRole("heading", { level: 1, name: "Argus API" })).toBeVisible();
  // Every route family has its section, reachable from the contents list.
  const contents = page.getByRole("navigation", { name: "API contents" });
  for (const tag of ["Cameras", "Workers", "Sites", "Members", "Metrics", "Analytics", "Ingestion"])
    await expect(contents.getByRole("link", { name: tag, exact: true })).toBeVisible();
  await contents.getByRole("link", { name: "Cameras", exact: true }).click();
  await expect(page).toHaveURL(/#tag-cameras$/);
  const assign = page.locator("article", { hasText: "/api/v1/cameras/{cameraId}/assign" });
  await expect(assign.getByText("Access: operator+ session")).toBeVisible();
  await expect(assign.getByRole("table", { name: "Body fields" }).first()).toContainText("mode");
  // Markdown is rendered: code spans are <code>, and no backtick or ** is left in the visible text.
  await expect(page.locator("header code", { hasText: "X-Argus-Tenant" })).toBeVisible();
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/`[^`\s][^`]*`/);
  expect(text).not.toMatch(/\*\*\w/);
  expect(text).not.toMatch(/\bdocs\/[\w-]+\.md\b/);
  // The JSON it is rendered from is one link away.
  const json = page.getByRole("link", { name: "OpenAPI 3.1 document (JSON)" });
  await expect(json).toHaveAttribute("href", "/api/v1/openapi.json");
}

test("/docs without a session renders the reference; the JSON answers anonymously (issue 12 §3)", async ({
  page,
  context,
}) => {
  const external = recordExternalRequests(context);
  await page.goto("/docs");
  await expect(page).toHaveURL(/\/docs$/);
  await expectRenderedReference(page);
  const res = await page.request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  expect((await res.json()).openapi).toBe("3.1.0");
  expect(external()).toEqual([]);
});

test("/api-docs (signed in) fits a phone and has no serious accessibility violations (U2)", async ({ page }) => {
  test.setTimeout(240_000); // axe over the whole reference (70+ operations) is slow on a loaded machine
  await signIn(page);
  await page.goto("/docs"); // a signed-in browser is sent to the reference inside the shell
  await expect(page).toHaveURL(/\/api-docs$/);
  await expectRenderedReference(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
});
