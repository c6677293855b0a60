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
}
