import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN } from "../../../playwright.config";

export { E2E_ADMIN };

/** Signs in through the real login form. */
export async function signIn(page: Page, email = E2E_ADMIN.email, password = E2E_ADMIN.password): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  // Wait out any follow-up document load (Remix falls back to one when it could not discover the
  // target route from the login page), so the next click lands on the final, hydrated page.
  await page.waitForLoadState("networkidle");
}

/** Signs out through the user menu, as a person would. */
export async function signOut(page: Page): Promise<void> {
  await page.getByLabel("User menu").first().click();
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login$/);
}

/** A name no other test (or earlier run against a kept data dir) has used. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}
