// Issue 10 §3 (ADR 0012): the Content-Security-Policy fits the app. Every page hydrates and navigates with
// no CSP violation reported by the browser (inline scripts carry the nonce; socket.io, fetches and styles
// stay on this origin).
import { expect, test } from "@playwright/test";
import { apiJson } from "./support/api";
import { signIn, uniqueName } from "./support/auth";

const PAGES = ["/", "/cameras", "/live", "/sites", "/workers", "/members", "/account", "/tenants"];
const MORE = ["/productivity", "/productivity/models", "/productivity/people", "/productivity/settings", "/api-docs"];

test("no page reports a Content-Security-Policy violation (issue 10 §3)", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content-Security-Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await signIn(page);
  // A camera's settings (scene editor), live and publish pages: canvas overlays, socket.io, getUserMedia.
  const { camera } = await apiJson<{ camera: { id: string } }>(page, "POST", "/api/v1/cameras", {
    name: uniqueName("CSP cam"),
    kind: "browser",
  });
  const cameraPages = [`/cameras/${camera.id}`, `/cameras/${camera.id}/live`, `/cameras/${camera.id}/publish`];
  for (const path of [...PAGES, ...MORE, ...cameraPages]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  // Client-side navigation works, so the nonce'd scripts ran and hydrated.
  await page.goto("/");
  await page.getByRole("link", { name: "Sites", exact: true }).click();
  await expect(page).toHaveURL(/\/sites$/);
  expect(violations).toEqual([]);
});
