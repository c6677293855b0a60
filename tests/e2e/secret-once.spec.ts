// Issue 12 §3: one "copy it now" panel (app/components/secret-once.tsx) for every newly issued secret: an API key,
// a worker credential and a publish link each appear once, copy to the clipboard with visible feedback (also on a
// page without the async Clipboard API, as over plain http on a LAN address), and can be hidden once saved.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { apiJson } from "./support/api";
import { signIn, uniqueName } from "./support/auth";
import { recordExternalRequests } from "./support/network";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

const clipboard = (page: Page) =>
  page.evaluate(() => (window as unknown as { argusClipboard?: Clipboard }).argusClipboard!.readText());

test.beforeEach(async ({ page }) => {
  // Keep a handle on the clipboard for reading it back, whatever a test does to navigator.clipboard.
  await page.addInitScript(() => {
    (window as unknown as { argusClipboard: Clipboard }).argusClipboard = navigator.clipboard;
  });
  await signIn(page);
});

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).include("[data-secret-once]").analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test("an API key is shown once, copied with feedback, and hidden when saved", async ({ page, context }) => {
  const external = recordExternalRequests(context);
  const name = uniqueName("Key");
  await page.goto("/productivity/settings");
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const panel = page.getByRole("status").filter({ hasText: `New key “${name}”` });
  await expect(panel).toContainText("copy it now, it will not be shown again");
  const key = (await page.getByTestId("new-api-key").textContent())!.trim();
  expect(key).toMatch(/^argus_pk_/);
  await expectAccessible(page);

  await panel.getByRole("button", { name: "Copy key" }).click();
  await expect(panel.getByRole("button", { name: "Copied" })).toBeVisible();
  await expect(panel).toContainText("Key copied to the clipboard.");
  expect(await clipboard(page)).toBe(key);

  await panel.getByRole("button", { name: "I have saved it" }).click();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  // The list shows the key's prefix only.
  await expect(page.getByText(key)).toHaveCount(0);
  expect(external()).toEqual([]);
});

test("a worker credential: the panel carries the start command; copy works without the async Clipboard API", async ({
  page,
}) => {
  // As on http://<LAN address>: no navigator.clipboard outside a secure context.
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }));
  const name = uniqueName("edge");
  await page.goto("/workers");
  await page.getByLabel("Worker name").fill(name);
  await page.getByRole("button", { name: "Issue credential" }).click();
  const panel = page.getByRole("status").filter({ hasText: `Credential for “${name}”` });
  const credential = (await page.getByTestId("issued-credential").textContent())!.trim();
  expect(credential).toMatch(/^argw_/);
  await expect(panel).toContainText(`--token ${credential}`);
  await panel.getByRole("button", { name: "Copy credential" }).click();
  await expect(panel).toContainText("Credential copied to the clipboard.");
  expect(await clipboard(page)).toBe(credential);
  await expectAccessible(page);
});

test("a publish link is shown as a link and copied whole (origin and path)", async ({ page, baseURL }) => {
  const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
    name: uniqueName("Secret kiosk"),
    kind: "browser",
  });
  try {
    await page.goto(`/cameras/${camera.id}`);
    await page.getByRole("button", { name: "New publish link" }).click();
    const link = page.getByTestId("publish-link");
    await expect(link).toHaveAttribute("href", /^\/publish\/apt_/);
    const href = (await link.getAttribute("href"))!;
    const panel = page.getByRole("status").filter({ hasText: "New publish link" });
    await panel.getByRole("button", { name: "Copy link" }).click();
    await expect(panel).toContainText("Link copied to the clipboard.");
    expect(await clipboard(page)).toBe(`${baseURL}${href}`);
    await expectAccessible(page);
  } finally {
    await page.request.delete(`/api/v1/cameras/${camera.id}`);
  }
});
