// Issue 10 §3 (ADR 0012): the Content-Security-Policy fits the app. Every page hydrates and navigates with
// no CSP violation reported by the browser (inline scripts carry the nonce; socket.io, fetches and styles
// stay on this origin).
import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";

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
  for (const path of [...PAGES, ...MORE]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  // Client-side navigation works, so the nonce'd scripts ran and hydrated.
  await page.goto("/");
  await page.getByRole("link", { name: "Sites", exact: true }).click();
  await expect(page).toHaveURL(/\/sites$/);
  expect(violations).toEqual([]);
});
